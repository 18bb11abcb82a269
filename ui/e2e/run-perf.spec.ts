import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_PASSWORD, expectSignedIn, login } from './helpers';

/**
 * Run view under load: a job on N targets (all pointing at the test sshd) printing LINES lines
 * each as fast as it can. Measures long tasks (PerformanceObserver 'longtask', > 50 ms) on the
 * run page while the output streams in, and checks every line arrives. Figures go to the console
 * and to test-results/run-perf.json. OPSC_PERF_TARGETS (default 4), OPSC_PERF_LINES (default 2000).
 */
const SSH_PORT = process.env.OPSC_SSH_PORT;
const TARGETS = Number(process.env.OPSC_PERF_TARGETS ?? 4);
const LINES = Number(process.env.OPSC_PERF_LINES ?? 2000);
test.skip(process.env.OPSC_E2E_MOCK === '1' || !SSH_PORT, 'needs the real backend and OPSC_SSH_PORT');

test('the run view keeps up with fast output on several targets', async ({ page, request }) => {
  test.setTimeout(120_000);
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const login1 = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const headers = { Authorization: `Bearer ${(await login1.json()).accessToken}` };
  const post = async (path: string, data: unknown) => {
    const res = await request.post(path, { headers, data });
    expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
    return res.json();
  };
  const cred = await post('/api/v1/credentials', {
    name: `perf-cred-${suffix}`,
    type: 'password',
    username: process.env.OPSC_SSH_USER ?? 'opsc-test',
    secret: { password: process.env.OPSC_SSH_PASSWORD ?? 'OpsC-Test-Passw0rd!' },
  });
  const tag = `perf-${suffix}`;
  for (let i = 1; i <= TARGETS; i++) {
    const t = await post('/api/v1/targets', {
      name: `perf-${suffix}-${i}`,
      hostname: '127.0.0.1',
      port: Number(SSH_PORT),
      osType: 'linux',
      connection: 'ssh',
      credentialId: cred.id,
      tags: [tag],
    });
    // A password is sent only to a confirmed host key: the check reads it, the operator confirms it.
    const seen = await post(`/api/v1/targets/${t.id}/check`, {});
    expect(seen.status).toBe('host_key_unconfirmed');
    await post(`/api/v1/targets/${t.id}/accept-host-key`, { fingerprint: seen.hostKeyFingerprint });
  }
  const job = await post('/api/v1/jobs', {
    name: `perf-${suffix}`,
    steps: [{ name: 'flood', type: 'shell_script', script: `i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "line $i of ${LINES} $(printf '%040d' $i)"; done` }],
    targets: { targetIds: [], tags: [tag] },
  });

  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByLabel('Search jobs').fill(job.name);
  await page.getByRole('link', { name: job.name }).click();
  await expect(page.getByRole('heading', { name: job.name, level: 2 })).toBeVisible();
  const pageReady = await page.evaluate(() => performance.now());

  // Start it from the UI: the app navigates to the run view in-page, so no page load is measured.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const cdp = process.env.OPSC_PERF_PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  const t0 = await page.evaluate(() => performance.now());
  await page.getByRole('dialog', { name: `Run ${job.name}` }).getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  // Cheap in-page checks only. The output is virtualised: each step-output says how many lines it has loaded (data-lines).
  await page.waitForFunction(() => !!document.querySelector('[data-testid="step-output"]'), null, { polling: 50, timeout: 60_000 });
  const tFirst = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    (expected) => {
      const status = document.querySelector('[data-testid="run-status"]')?.textContent;
      if (status !== 'succeeded' && status !== 'failed') return false;
      let n = 0;
      for (const b of document.querySelectorAll('[data-testid="step-output"]')) n += Number(b.getAttribute('data-lines'));
      return n === expected;
    },
    TARGETS * LINES,
    { polling: 250, timeout: 90_000 },
  );
  const tEnd = await page.evaluate(() => performance.now());
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
    console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0)}ms ${k}`).join('\n'));
  }
  await expect(page.locator('[data-testid="step-output"]')).toHaveCount(TARGETS);
  await expect(page.getByTestId('run-status')).toHaveText('succeeded');

  const longTasks = await page.evaluate((since) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start >= since), t0);
  const result = {
    targets: TARGETS,
    linesPerTarget: LINES,
    totalLines: TARGETS * LINES,
    msToFirstLine: Math.round(tFirst - t0),
    msToAllLinesRendered: Math.round(tEnd - t0),
    longTasks: longTasks.length,
    longTaskTotalMs: Math.round(longTasks.reduce((s, t) => s + t.duration, 0)),
    longTaskMaxMs: Math.round(Math.max(0, ...longTasks.map((t) => t.duration))),
    longTaskList: longTasks.map((t) => `${Math.round(t.start - t0)}ms+${Math.round(t.duration)}`),
    pageReadyMs: Math.round(pageReady),
  };
  console.log('run-perf', JSON.stringify(result));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'run-perf.json'), JSON.stringify(result, null, 2));
});
