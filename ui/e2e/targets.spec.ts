import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, expectSignedIn, login, screenshot } from './helpers';

/**
 * Targets and the dashboard tell the truth (issue 14): a target has a page of its own whose status, host key and
 * history agree after every check and key acceptance; a host-key mismatch is an error with both fingerprints; a run
 * that cannot reach a target marks it failing at once; the executor counts the run it works on; bulk actions; 375 px.
 * Real host and real sshd (scripts/test-sshd.sh); unique names, so it runs alone or after the other files.
 */
const SSH_PORT = process.env.OPSC_SSH_PORT;
const SSH_USER = process.env.OPSC_SSH_USER ?? 'opsc-test';
const SSH_PASSWORD = process.env.OPSC_SSH_PASSWORD ?? 'OpsC-Test-Passw0rd!';
const mock = process.env.OPSC_E2E_MOCK === '1';

test.describe.configure({ mode: 'serial' });
test.skip(mock || !SSH_PORT || !process.env.OPSC_SSHD_DIR, 'needs the real backend, OPSC_SSH_PORT and OPSC_SSHD_DIR (eval "$(scripts/test-sshd.sh start)")');

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const name = (what: string) => `e2e-tg-${what}-${suffix}`;
/** A well-formed fingerprint that is not the server's: what a reinstalled (or impersonated) host looks like. */
const WRONG_KEY = 'SHA256:' + 'A'.repeat(43);

let token = '';
let credentialId = 0;

function serverFingerprint(): string {
  const key = `${process.env.OPSC_SSHD_DIR}/ssh_host_ed25519_key.pub`;
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', key], { encoding: 'utf8' }).split(' ')[1];
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const auth = () => ({ Authorization: `Bearer ${token}` });

async function createTarget(request: APIRequestContext, what: string, port: number, hostKeyFingerprint: string | null, tags: string[] = []) {
  const res = await request.post('/api/v1/targets', {
    headers: auth(),
    data: { name: name(what), hostname: '127.0.0.1', port, osType: 'linux', connection: 'ssh', credentialId, tags, ssh: { hostKeyFingerprint } },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: number; name: string };
}

async function startRun(request: APIRequestContext, what: string, targetId: number, script: string): Promise<number> {
  const job = await request.post('/api/v1/jobs', {
    headers: auth(),
    data: { name: name(what), parameters: [], steps: [{ name: 'step', type: 'command', script }], targets: { targetIds: [targetId], tags: [] } },
  });
  expect(job.status(), await job.text()).toBe(201);
  const run = await request.post(`/api/v1/jobs/${(await job.json()).id}/runs`, { headers: auth(), data: { parameters: {} } });
  expect(run.status(), await run.text()).toBe(202);
  return (await run.json()).id;
}

async function runStatus(request: APIRequestContext, runId: number): Promise<string> {
  const res = await request.get(`/api/v1/runs/${runId}`, { headers: auth() });
  return (await res.json()).status;
}

async function signIn(page: Page) {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
}

test.beforeAll(async ({ request }) => {
  const res = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  expect(res.ok()).toBeTruthy();
  token = (await res.json()).accessToken;
  const cred = await request.post('/api/v1/credentials', {
    headers: auth(),
    data: { name: name('cred'), type: 'password', username: SSH_USER, secret: { password: SSH_PASSWORD } },
  });
  expect(cred.status()).toBe(201);
  credentialId = (await cred.json()).id;
});

test('a target has its own page whose status, host key and history agree after check and confirmation', async ({ page, request }) => {
  const target = await createTarget(request, 'page', Number(SSH_PORT), null);
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Targets' }).click();
  await page.getByLabel('Search targets').fill(target.name);
  await page.getByRole('link', { name: target.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/targets/${target.id}$`));
  await expect(page.getByRole('heading', { name: target.name, level: 2 })).toBeVisible();

  await page.getByRole('button', { name: 'Check now' }).click();
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-status', 'host_key_unconfirmed', { timeout: 30_000 });
  // The page's own status follows the check at once: not UNKNOWN next to a history that says otherwise.
  await expect(page.getByTestId('target-status')).toContainText('host key unconfirmed');
  await expect(page.getByTestId('status-history')).toContainText('host key unconfirmed');
  const fingerprint = serverFingerprint();
  await expect(page.getByTestId('presented-host-key')).toHaveText(fingerprint);
  await screenshot(page, 'target-page-unconfirmed');

  await page.getByRole('button', { name: 'Confirm host key' }).click();
  const confirm = page.getByRole('dialog', { name: /Confirm the host key/ });
  await expect(confirm.getByTestId('confirm-fingerprint')).toHaveText(fingerprint);
  await confirm.getByRole('button', { name: 'The fingerprints match: confirm' }).click();
  await expect(page.getByTestId('pinned-host-key')).toHaveText(fingerprint);
  // The old check's box goes with the state it described.
  await expect(result).toHaveCount(0);
  await expect(page.getByTestId('host-key-unconfirmed')).toHaveCount(0);

  await page.getByRole('button', { name: 'Check now' }).click();
  await expect(result).toHaveAttribute('data-status', 'healthy', { timeout: 30_000 });
  await expect(page.getByTestId('target-status')).toContainText('healthy');
  await expect(page.getByTestId('status-history')).toContainText('healthy');
  await screenshot(page, 'target-page-healthy');

  // The address is the page: a reload and a deep link land on it.
  await page.reload();
  await expect(page.getByRole('heading', { name: target.name, level: 2 })).toBeVisible();
  await expect(page.getByTestId('target-status')).toContainText('healthy');
  await page.getByRole('link', { name: 'All targets' }).click();
  await expect(page).toHaveURL(/\/targets$/);
  await page.getByLabel('Search targets').fill(target.name);
  await expect(page.getByRole('row', { name: new RegExp(target.name) })).toContainText('healthy');

  await page.goto('/targets/999999999');
  await expect(page.getByRole('heading', { name: 'Target not found' })).toBeVisible();
});

test('a host-key mismatch is an error with both fingerprints and one clear action', async ({ page, request }) => {
  const target = await createTarget(request, 'mismatch', Number(SSH_PORT), WRONG_KEY);
  await signIn(page);
  await page.goto(`/targets/${target.id}`);
  await page.getByRole('button', { name: 'Check now' }).click();
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-status', 'host_key_mismatch', { timeout: 30_000 });
  await expect(result).toContainText('Host key mismatch');
  await expect(result).not.toContainText('Healthy');
  const mismatch = page.getByTestId('host-key-mismatch');
  await expect(mismatch.getByTestId('pinned-host-key')).toHaveText(WRONG_KEY);
  await expect(mismatch.getByTestId('presented-host-key')).toHaveText(serverFingerprint());
  await expect(page.getByTestId('target-status')).toContainText('host key mismatch');
  await screenshot(page, 'target-host-key-mismatch');

  await mismatch.getByRole('button', { name: 'Accept the new host key' }).click();
  await page.getByRole('dialog', { name: /Trust the new host key/ }).getByRole('button', { name: 'Accept this key' }).click();
  await expect(page.getByTestId('host-key-mismatch')).toHaveCount(0);
  await expect(result).toHaveCount(0);
  await expect(page.getByTestId('pinned-host-key')).toHaveText(serverFingerprint());
  await page.getByRole('button', { name: 'Check now' }).click();
  await expect(result).toHaveAttribute('data-status', 'healthy', { timeout: 30_000 });
});

test('a run that cannot reach its target marks it unreachable at once: target page and dashboard', async ({ page, request }) => {
  const target = await createTarget(request, 'down', await closedPort(), serverFingerprint());
  const runId = await startRun(request, 'down', target.id, 'true');
  await expect.poll(() => runStatus(request, runId), { timeout: 30_000 }).toBe('failed');

  await signIn(page);
  const failing = page.getByTestId('failing-targets');
  await expect(failing).toContainText(target.name);
  await expect(failing.getByText(target.name)).toBeVisible();
  await screenshot(page, 'dashboard-failing-after-run');

  await page.goto(`/targets/${target.id}`);
  await expect(page.getByTestId('target-status')).toContainText('unreachable');
  await expect(page.getByTestId('target-last-error')).not.toBeEmpty();
  await expect(page.getByTestId('status-history')).toContainText('unreachable');
  // History per target: the run that touched it, linked.
  await expect(page.getByTestId('target-runs').getByRole('link', { name: new RegExp(`#${runId}`) })).toBeVisible();
  await screenshot(page, 'target-page-unreachable-after-run');
});

test('the runs list filtered to nothing offers Clear filters, which brings the runs back', async ({ page, request }) => {
  const target = await createTarget(request, 'runs', await closedPort(), serverFingerprint());
  const runId = await startRun(request, 'runs', target.id, 'true');
  await expect.poll(() => runStatus(request, runId), { timeout: 30_000 }).toBe('failed');
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Runs' }).click();
  const row = page.getByTestId(`run-row-${runId}`);
  await expect(row).toBeVisible();

  await page.getByRole('textbox', { name: 'Filter by job' }).fill(name('runs'));
  await page.getByRole('option', { name: name('runs') }).click();
  await expect(row).toBeVisible();
  await page.getByRole('textbox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'succeeded' }).click();
  await page.keyboard.press('Escape');
  await expect(page.getByText('No runs match these filters')).toBeVisible();
  await expect(page.getByText('Runs appear here once a job is started')).toHaveCount(0);
  // The filters are the address: a reload keeps them.
  await expect(page).toHaveURL(/status=succeeded/);
  await page.reload();
  await expect(page.getByText('No runs match these filters')).toBeVisible();
  await screenshot(page, 'runs-empty-filtered');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(row).toBeVisible();
  await expect(page).toHaveURL(/\/runs$/);
  await expect(page.getByRole('textbox', { name: 'Filter by job' })).toHaveValue('');
});

test('the executor card counts the run in progress', async ({ page, request }) => {
  const target = await createTarget(request, 'busy', Number(SSH_PORT), serverFingerprint());
  const runId = await startRun(request, 'busy', target.id, 'sleep 120');
  await expect.poll(() => runStatus(request, runId), { timeout: 30_000 }).toBe('running');
  await signIn(page);
  await expect(page.getByTestId('running-now')).toContainText(name('busy'));
  await expect(page.getByTestId('executor-running')).toHaveText(/^1 \/ \d+$/);
  await screenshot(page, 'dashboard-executor-busy');
  const cancel = await request.post(`/api/v1/runs/${runId}/cancel`, { headers: auth() });
  expect(cancel.status()).toBe(202);
  await expect.poll(() => runStatus(request, runId), { timeout: 30_000 }).toBe('cancelled');
});

test('bulk actions on selected targets: check health, add and remove a tag, delete with the count named', async ({ page, request }) => {
  const a = await createTarget(request, 'bulk-a', Number(SSH_PORT), serverFingerprint());
  const b = await createTarget(request, 'bulk-b', Number(SSH_PORT), serverFingerprint());
  const tag = `bulk-${suffix}`;
  await signIn(page);
  await page.goto('/targets');
  await page.getByLabel('Search targets').fill(suffix);
  const rowA = page.getByTestId(`target-row-${a.id}`);
  const rowB = page.getByTestId(`target-row-${b.id}`);
  const select = async () => {
    await page.getByRole('checkbox', { name: `Select target ${a.name}` }).check();
    await page.getByRole('checkbox', { name: `Select target ${b.name}` }).check();
    await expect(page.getByTestId('bulk-actions')).toContainText('2 selected');
  };
  await select();
  await screenshot(page, 'targets-bulk-selected');

  const bar = page.getByTestId('bulk-actions');
  await bar.getByRole('button', { name: 'Check health' }).click();
  await expect(page.getByText('Checked: 2 targets (healthy: 2)')).toBeVisible({ timeout: 30_000 });
  await expect(rowA).toContainText('healthy');
  await expect(rowB).toContainText('healthy');

  // One request for both (POST /targets/tags): a bad tag is refused at the field and neither target changes.
  const tagRequests: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/v1\/targets(\/|$)/.test(r.url()) && ['POST', 'PUT'].includes(r.method())) tagRequests.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  await bar.getByRole('button', { name: 'Add tag' }).click();
  const addDialog = page.getByRole('dialog', { name: 'Add a tag to 2 targets' });
  await addDialog.getByLabel('Tag').fill('not ok!');
  await addDialog.getByRole('button', { name: 'Add tag' }).click();
  await expect(addDialog.getByText("Not a valid tag: 'not ok!'")).toBeVisible();
  expect(tagRequests).toEqual(['POST /api/v1/targets/tags']);
  await expect(rowA).not.toContainText('not ok!');
  await screenshot(page, 'targets-bulk-tag-refused');
  await addDialog.getByLabel('Tag').fill(tag);
  await addDialog.getByRole('button', { name: 'Add tag' }).click();
  await expect(addDialog).toBeHidden();
  await expect(rowA).toContainText(tag);
  await expect(rowB).toContainText(tag);
  expect(tagRequests).toEqual(['POST /api/v1/targets/tags', 'POST /api/v1/targets/tags']);

  await select();
  await bar.getByRole('button', { name: 'Remove tag' }).click();
  const removeDialog = page.getByRole('dialog', { name: 'Remove a tag from 2 targets' });
  await removeDialog.getByLabel('Tag').fill(tag);
  await removeDialog.getByRole('button', { name: 'Remove tag' }).click();
  await expect(removeDialog).toBeHidden();
  await expect(rowA).not.toContainText(tag);
  await expect(rowB).not.toContainText(tag);

  await select();
  await bar.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete 2 targets?' });
  await expect(confirm).toContainText(a.name);
  await expect(confirm).toContainText(b.name);
  await screenshot(page, 'targets-bulk-delete-confirm');
  await confirm.getByRole('button', { name: 'Delete 2 targets' }).click();
  await expect(rowA).toHaveCount(0);
  await expect(rowB).toHaveCount(0);
});

test.describe('on a phone (375 px)', () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test('the targets list keeps the status in view and the dashboard opens on what needs attention', async ({ page, request }) => {
    const target = await createTarget(request, 'phone', await closedPort(), serverFingerprint());
    const check = await request.post(`/api/v1/targets/${target.id}/check`, { headers: auth() });
    expect(check.status()).toBe(200);
    await signIn(page);
    await page.goto('/targets');
    await page.getByLabel('Search targets').fill(target.name);
    const row = page.getByTestId(`target-row-${target.id}`);
    await expect(row.getByText('unreachable')).toBeInViewport();
    // The whole word, not "U…": the badge's label is not cut.
    const label = row.locator('.mantine-Badge-label').first();
    await expect.poll(() => label.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expect(page.getByRole('columnheader', { name: 'Host' })).toBeHidden();
    await screenshot(page, 'mobile-targets');

    await page.goto('/');
    await expect(page.getByTestId('health-databases')).toBeVisible();
    await expect(page.getByTestId('health-databases')).toContainText(/databases · all healthy/);
    await expect(page.getByTestId('health-database-list')).toBeHidden();
    await page.getByRole('button', { name: 'Show each database' }).click();
    await expect(page.getByTestId('health-database-list')).toBeVisible();
    await page.getByRole('button', { name: 'Hide details' }).click();
    // Failing runs and targets come before the system's health.
    const failing = await page.getByTestId('failing-targets').boundingBox();
    const health = await page.getByTestId('health-cards').boundingBox();
    expect(failing!.y).toBeLessThan(health!.y);
    await expect(page.getByTestId('failed-runs')).toBeVisible();
    await screenshot(page, 'mobile-dashboard');
  });
});
