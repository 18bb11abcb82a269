import { expect, test, type Page } from '@playwright/test';
import { installProbe, maxMs, readProbe, report, spansIn, waitForFinal, waitForFirstOutput, waitForInteractive } from './probe';

/**
 * The run view alone (bench/ui-runview-replay.sh starts e2e-bench/mock-backend.mjs): no host, sshd or database on
 * the machine's cores, only Chromium rendering a generated run streamed in the typed RunStreamEvent format.
 * OPSC_REPLAY_SCENARIOS: comma list of TARGETSxLINES@SECONDS (default 1x40@2,200x40@8,200x2000@20,1x100000@20): every target prints
 * LINES lines evenly over SECONDS; with ~DROP_MS the mock breaks every stream connection after DROP_MS (the page must
 * resume with ?after= and lose or repeat nothing: the checks below see it). For each scenario, OPSC_REPLAY_RUNS runs (default 3): start the run, load
 * /runs/{id} in a fresh tab (full page load, warm HTTP cache) and measure
 *   - time to interactive: navigation start → run header (h2 + status) and the target list (title + first row) visible;
 *   - while the output streams (first line → final status): long tasks (> 50 ms) and frames over 100 ms (gaps
 *     between requestAnimationFrame callbacks);
 *   - then scrolling: the target list (and the first step's output, if one is open) scrolled top to bottom in 40
 *     steps of one frame each: the worst frame.
 * It checks the result too: the counts by status, and the last row's last line. Prints a Markdown table; figures
 * also in test-results/ui-runview-replay.json.
 */
const PASSWORD = process.env.OPSC_ADMIN_PASSWORD ?? '';
const RUNS = Number(process.env.OPSC_REPLAY_RUNS ?? 3);
const FAIL_EVERY = Number(process.env.OPSC_REPLAY_FAIL_EVERY ?? 100);
const SCENARIOS = (process.env.OPSC_REPLAY_SCENARIOS ?? '1x40@2,200x40@8,200x2000@20,1x100000@20').split(',').map((s) => {
  const m = /^(\d+)x(\d+)@(\d+(?:\.\d+)?)(?:~(\d+))?$/.exec(s.trim());
  if (!m) throw new Error(`bad scenario ${s}: TARGETSxLINES@SECONDS[~DROP_MS]`);
  return { targets: Number(m[1]), lines: Number(m[2]), seconds: Number(m[3]), dropEveryMs: Number(m[4] ?? 0) };
});

async function scrollThrough(page: Page, selector: string): Promise<number | null> {
  return page.evaluate(async (sel) => {
    const el = document.querySelector<HTMLElement>(sel);
    if (!el || el.scrollHeight <= el.clientHeight) return null;
    const raf = () => new Promise<number>((r) => requestAnimationFrame(r));
    let worst = 0;
    let last = await raf();
    el.scrollTop = 0;
    for (let i = 1; i <= 40; i++) {
      el.scrollTop = ((el.scrollHeight - el.clientHeight) * i) / 40;
      const t = await raf();
      worst = Math.max(worst, t - last);
      last = t;
    }
    return Math.round(worst);
  }, selector);
}

test('run view alone: a generated run streamed by the mock backend', async ({ browser }) => {
  const context = await browser.newContext();
  // Sign in as the web UI does (refresh token in the HttpOnly cookie, shared with the pages of this context).
  const login = await context.request.post('/api/v1/auth/login', { data: { username: 'admin', password: PASSWORD }, headers: { 'X-OpsConductor-Csrf': '1' } });
  expect(login.ok(), await login.text()).toBeTruthy();
  const headers = { Authorization: `Bearer ${(await login.json()).accessToken}` };
  await context.addInitScript(() => localStorage.setItem('opsconductor.session', '1'));
  await installProbe(context);
  // Warm the HTTP cache (the bundle), as a user who has the app open would have it.
  const warm = await context.newPage();
  await warm.goto('/runs');
  await warm.close();

  const results: Record<string, number | string>[] = [];
  for (const sc of SCENARIOS) {
    for (let r = 1; r <= RUNS; r++) {
      const res = await context.request.post('/api/v1/bench/runs', { headers, data: { ...sc, failEvery: FAIL_EVERY } });
      expect(res.ok(), await res.text()).toBeTruthy();
      const run = await res.json();
      const page = await context.newPage();
      await page.goto(`/runs/${run.id}`, { waitUntil: 'commit' });
      const tti = await waitForInteractive(page, sc.targets);
      const tFirst = await waitForFirstOutput(page);
      const tEnd = await waitForFinal(page, 300_000);
      const probe = await readProbe(page);
      // The result is right: every target final, counted; the last target's last line is the last one it printed.
      const failed = FAIL_EVERY > 0 ? Math.floor(sc.targets / FAIL_EVERY) : 0;
      await expect(page.getByTestId('target-counts')).toHaveText([sc.targets - failed ? `${sc.targets - failed} succeeded` : '', failed ? `${failed} failed` : ''].filter(Boolean).join(' · '));
      const scrollOutput = await scrollThrough(page, '[data-testid="step-output"]');
      const scrollList = await scrollThrough(page, '[data-testid="target-rows"]');
      // Failed targets are listed first, so the list's last row is the last target that did not fail.
      const fails = (t: number) => FAIL_EVERY > 0 && t % FAIL_EVERY === 0;
      let lastShown = sc.targets;
      while (lastShown > 1 && fails(lastShown)) lastShown--;
      const lastRow = page.getByTestId(`run-target-${lastShown}`);
      if (sc.targets > 20) await expect(lastRow.getByTestId('target-last-line')).toContainText(`line ${sc.lines} of ${sc.lines}`);
      else await expect(lastRow.getByTestId('step-output')).toHaveAttribute('data-lines', String(Math.min(sc.lines, 20_000)));
      await expect(page.getByTestId('stream-state')).toHaveText('ended');
      const domNodes = await page.evaluate(() => document.querySelectorAll('main *').length);
      const lt = spansIn(probe.longTasks, tFirst, tEnd);
      const gaps = spansIn(probe.gaps, tFirst, tEnd);
      const max = maxMs;
      const streamFrames = probe.frames;
      results.push({
        scenario: `${sc.targets}x${sc.lines.toLocaleString('en')}${sc.dropEveryMs ? ` ~${sc.dropEveryMs}` : ''}`,
        run: r,
        events: run.events,
        ttiMs: Math.round(tti),
        firstOutputMs: Math.round(tFirst),
        streamingS: +((tEnd - tFirst) / 1000).toFixed(1),
        longTasks: lt.length,
        longTaskMaxMs: max(lt),
        framesOver100ms: gaps.length,
        worstFrameMs: max(gaps),
        fps: +(streamFrames / (tEnd / 1000)).toFixed(1),
        scrollListWorstFrameMs: scrollList ?? '-',
        scrollOutputWorstFrameMs: scrollOutput ?? '-',
        domNodesInMain: domNodes,
      });
      await page.close();
    }
  }
  await context.close();
  report(results, 'ui-runview-replay.json');
});
