import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD, expectSignedIn, login } from './helpers';

/**
 * Needs a backend started with a short access-token lifetime, e.g.
 * OpsConductor__Auth__AccessTokenSeconds=5, and OPSC_ACCESS_TOKEN_WAIT_SECONDS set to how long
 * a token takes to be rejected (lifetime plus the server's clock skew).
 */
const wait = Number(process.env.OPSC_ACCESS_TOKEN_WAIT_SECONDS ?? 0);

test('an expired access token is refreshed silently and the page still loads', async ({ page }) => {
  test.skip(!wait, 'set OPSC_ACCESS_TOKEN_WAIT_SECONDS and start the backend with short-lived access tokens');
  test.setTimeout((wait + 60) * 1000);
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  const refreshes: number[] = [];
  const unauthorized: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/api/v1/auth/refresh')) refreshes.push(r.status());
    else if (r.status() === 401) unauthorized.push(r.url());
  });
  await page.waitForTimeout(wait * 1000);
  // Client-side navigation: the access token lives only in memory, so this exercises the 401 → refresh → retry path.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByTestId('user-row-admin')).toBeVisible();
  expect(unauthorized.length).toBeGreaterThan(0);
  expect(refreshes).toEqual([200]);
  await expect(page).toHaveURL(/\/users$/);
});

test('a live run view outlasts its access token: the stream reconnects with a fresh one and misses no line', async ({ page, request }) => {
  test.skip(!wait || !process.env.OPSC_SSH_PORT, 'needs short-lived access tokens and OPSC_SSH_PORT (a real sshd target)');
  test.setTimeout((wait + 90) * 1000);
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const signIn = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  const headers = { Authorization: `Bearer ${(await signIn.json()).accessToken}` };
  const post = async (path: string, data: unknown) => {
    const res = await request.post(path, { headers, data });
    expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
    return res.json();
  };
  const cred = await post('/api/v1/credentials', {
    name: `refresh-cred-${suffix}`,
    type: 'password',
    username: process.env.OPSC_SSH_USER ?? 'opsc-test',
    secret: { password: process.env.OPSC_SSH_PASSWORD ?? 'OpsC-Test-Passw0rd!' },
  });
  const target = await post('/api/v1/targets', {
    name: `refresh-${suffix}`,
    hostname: '127.0.0.1',
    port: Number(process.env.OPSC_SSH_PORT),
    osType: 'linux',
    connection: 'ssh',
    credentialId: cred.id,
  });
  const seen = await post(`/api/v1/targets/${target.id}/check`, {});
  await post(`/api/v1/targets/${target.id}/accept-host-key`, { fingerprint: seen.hostKeyFingerprint });
  // Prints a line a second for longer than an access token lives.
  const ticks = wait + 10;
  const job = await post('/api/v1/jobs', {
    name: `refresh-${suffix}`,
    steps: [{ name: 'tick', type: 'command', script: `for i in $(seq 1 ${ticks}); do echo "tick $i"; sleep 1; done` }],
    targets: { targetIds: [target.id] },
  });

  const streams: string[] = [];
  const states: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/v1\/runs\/\d+\/events/.test(r.url())) streams.push(new URL(r.url()).search);
  });
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  const run = await post(`/api/v1/jobs/${job.id}/runs`, {});
  await page.goto(`/runs/${run.id}`);
  await expect(page.getByText('tick 1', { exact: true })).toBeVisible({ timeout: 20_000 });
  const watch = setInterval(() => {
    void page.getByTestId('stream-state').textContent().then((s) => s && states.push(s), () => {});
  }, 500);
  await expect(page.getByTestId('run-status')).toHaveText('succeeded', { timeout: (ticks + 30) * 1000 });
  clearInterval(watch);
  // Every line is there once (the step counts what it loaded; the list shows a window of them), the stream resumed
  // after the last event it had, and it never gave up.
  await expect(page.getByTestId('step-output')).toHaveAttribute('data-lines', String(ticks));
  await expect(page.getByText(`tick ${ticks}`, { exact: true })).toHaveCount(1);
  expect(streams.some((q) => /^\?after=\d+$/.test(q)), `stream requests: ${streams.join(' ')}`).toBeTruthy();
  expect(states).not.toContain('error');
});
