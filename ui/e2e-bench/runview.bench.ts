import { expect, test } from '@playwright/test';
import { installProbe, maxMs, readProbe, report, spansIn, waitForFinal, waitForFirstOutput, waitForInteractive } from './probe';

/**
 * Run view while many targets stream output (bench/ui-runview.sh sets it up): OPSC_RUNVIEW_JOB is a job on N targets
 * whose command prints a line every 0.2 s for a while. For each of OPSC_RUNVIEW_RUNS runs (default 3): start the run
 * through the API, load /runs/{id} in a fresh tab (full page load, warm HTTP cache) and measure
 *   - time to interactive: navigation start → run header (h2 + status) and the target list (title + first card) visible;
 *   - until the run is final: long tasks (PerformanceObserver 'longtask', > 50 ms) and frames over 100 ms
 *     (gaps between requestAnimationFrame callbacks), both only while the output streams (first line → final status).
 * Prints a Markdown table; figures also in test-results/ui-runview.json.
 */
const PASSWORD = process.env.OPSC_ADMIN_PASSWORD ?? '';
const JOB = Number(process.env.OPSC_RUNVIEW_JOB);
const RUNS = Number(process.env.OPSC_RUNVIEW_RUNS ?? 3);
const TARGETS = Number(process.env.OPSC_RUNVIEW_TARGETS ?? 200);

test('run view responsiveness while targets stream', async ({ browser, request }) => {
  const login = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: PASSWORD } });
  const headers = { Authorization: `Bearer ${(await login.json()).accessToken}` };
  const context = await browser.newContext();
  const page0 = await context.newPage();
  await page0.goto('/login');
  await page0.getByLabel('Username').fill('admin');
  await page0.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page0.getByRole('button', { name: 'Sign in' }).click();
  await expect(page0.getByRole('heading', { name: 'Dashboard', level: 2 })).toBeVisible();
  await page0.close();
  await installProbe(context);

  const results: Record<string, number | string>[] = [];
  for (let r = 1; r <= RUNS; r++) {
    const res = await request.post(`/api/v1/jobs/${JOB}/runs`, { headers, data: { parameters: {} } });
    expect(res.ok(), await res.text()).toBeTruthy();
    const run = await res.json();
    const page = await context.newPage();
    // OPSC_PERF_PROFILE=1: a CPU profile of the whole page life; the top self-time functions go to the console.
    const cdp = process.env.OPSC_PERF_PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.goto(`/runs/${run.id}`, { waitUntil: 'commit' });
    const tti = await waitForInteractive(page, TARGETS);
    // Full output (small runs, expanded targets) or, for a large run's collapsed rows, a row's last line.
    const tFirst = await waitForFirstOutput(page);
    const tEnd = await waitForFinal(page, 180_000);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const dt = profile.timeDeltas ?? [];
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      (profile.samples ?? []).forEach((id, i) => {
        const n = byId.get(id)!;
        const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000);
      });
      console.log(`profile run ${r}:\n` + [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v.toFixed(0)}ms ${k}`).join('\n'));
    }
    const status = await page.getByTestId('run-status').textContent();
    const probe = await readProbe(page);
    const lines = await page.evaluate(() => {
      let n = 0;
      for (const b of document.querySelectorAll('[data-testid="step-output"]')) n += Number(b.getAttribute('data-lines'));
      return n;
    });
    const lt = spansIn(probe.longTasks, tFirst, tEnd);
    const gaps = spansIn(probe.gaps, tFirst, tEnd);
    const ltLoad = probe.longTasks.filter((x) => x.start < tFirst);
    const max = maxMs;
    results.push({
      run: r,
      runId: run.id,
      status: status ?? '',
      ttiMs: Math.round(tti),
      firstOutputMs: Math.round(tFirst),
      streamingS: +((tEnd - tFirst) / 1000).toFixed(1),
      linesRendered: lines,
      longTasksDuringLoad: ltLoad.length,
      longTaskMaxDuringLoadMs: max(ltLoad),
      longTasks: lt.length,
      longTaskMaxMs: max(lt),
      longTaskTotalMs: Math.round(lt.reduce((s, x) => s + x.duration, 0)),
      framesOver100ms: gaps.length,
      worstFrameMs: max(gaps),
      fps: +(probe.frames / (tEnd / 1000)).toFixed(1),
    });
    await page.close();
    // let the run's sessions settle before the next one
    await new Promise((r) => setTimeout(r, 2000));
  }
  await context.close();
  report(results, 'ui-runview.json');
});
