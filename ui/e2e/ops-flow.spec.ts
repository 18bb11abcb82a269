import { execFileSync } from 'node:child_process';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, expectSignedIn, login, logout, screenshot } from './helpers';

/**
 * The main operator flow against the real host and a real sshd (scripts/test-sshd.sh):
 * credential → target (checked, host key shown) → job with a parameter → run with live output
 * → history; then a viewer sees it all without any button that changes something.
 * Everything it creates has a unique name, so it runs alone or after the other files.
 */
const SSH_PORT = process.env.OPSC_SSH_PORT;
const SSH_USER = process.env.OPSC_SSH_USER ?? 'opsc-test';
const SSH_PASSWORD = process.env.OPSC_SSH_PASSWORD ?? 'OpsC-Test-Passw0rd!';
const mock = process.env.OPSC_E2E_MOCK === '1';

test.describe.configure({ mode: 'serial' });
test.skip(mock || !SSH_PORT || !process.env.OPSC_SSHD_DIR, 'needs the real backend, OPSC_SSH_PORT and OPSC_SSHD_DIR (eval "$(scripts/test-sshd.sh start)")');

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const names = {
  credential: `e2e-cred-${suffix}`,
  target: `e2e-target-${suffix}`,
  tag: `e2e-${suffix}`,
  job: `e2e-hello-${suffix}`,
};
const viewer = { username: `e2e-viewer-${suffix}`, password: `Viewer-Password-${suffix}` };
let runUrl = '';
let jobUrl = '';

async function apiToken(request: APIRequestContext): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).accessToken;
}

/** What an operator reads on the server to compare: the fingerprint of its host key (scripts/test-sshd.sh writes it). */
function serverFingerprint(): string {
  const key = `${process.env.OPSC_SSHD_DIR}/ssh_host_ed25519_key.pub`;
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', key], { encoding: 'utf8' }).split(' ')[1];
}

async function nav(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

test('admin adds a credential and an SSH target, and checks it', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');

  await nav(page, 'Credentials');
  await page.getByRole('button', { name: 'New credential' }).click();
  const cd = page.getByRole('dialog', { name: 'New credential' });
  await cd.getByRole('textbox', { name: 'Name', exact: true }).fill(names.credential);
  await cd.getByRole('textbox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'Password' }).click();
  await cd.getByLabel('Username').fill(SSH_USER);
  await cd.getByLabel(/^Password/).fill(SSH_PASSWORD);
  await cd.getByRole('button', { name: 'Create credential' }).click();
  await expect(cd).toBeHidden();
  await expect(page.getByText(names.credential, { exact: true })).toBeVisible();
  await screenshot(page, 'credentials');

  await nav(page, 'Targets');
  await page.getByRole('button', { name: 'New target' }).click();
  const td = page.getByRole('dialog', { name: 'New target' });
  await td.getByRole('textbox', { name: 'Name', exact: true }).fill(names.target);
  await td.getByLabel('Host name or IP').fill('127.0.0.1');
  await td.getByLabel('Port').fill(String(SSH_PORT));
  await td.getByRole('textbox', { name: 'Credential' }).click();
  await page.getByRole('option', { name: new RegExp(names.credential) }).click();
  const tags = td.getByRole('textbox', { name: 'Tags' });
  await tags.fill(names.tag);
  await tags.press('Enter');
  await td.getByRole('button', { name: 'Create target' }).click();
  await expect(td).toBeHidden();

  await page.getByLabel('Search targets').fill(names.target);
  await page.getByRole('link', { name: names.target, exact: true }).click();
  await expect(page.getByRole('heading', { name: names.target, level: 2 })).toBeVisible();
  const drawer = page.getByRole('main');
  await drawer.getByRole('button', { name: 'Check now' }).click();
  const result = drawer.getByTestId('check-result');
  // A password goes only to a confirmed host key: the first check reads the key and stops there.
  await expect(result).toContainText('Host key not confirmed yet', { timeout: 30_000 });
  const fingerprint = serverFingerprint();
  await expect(drawer.getByTestId('check-fingerprint')).toHaveText(fingerprint);
  await expect(drawer.getByTestId('pinned-host-key')).toContainText('not pinned');
  // The operator compares it with the server's own fingerprint and confirms.
  await drawer.getByRole('button', { name: 'Confirm host key' }).click();
  const confirm = page.getByRole('dialog', { name: /Confirm the host key/ });
  await expect(confirm.getByTestId('confirm-fingerprint')).toHaveText(fingerprint);
  await confirm.getByRole('button', { name: 'The fingerprints match: confirm' }).click();
  await expect(drawer.getByTestId('pinned-host-key')).toHaveText(fingerprint);

  await drawer.getByRole('button', { name: 'Check now' }).click();
  await expect(result).toContainText('Healthy', { timeout: 30_000 });
  await expect(result).toContainText('Debian');
  await expect(drawer.getByTestId('status-history')).toContainText('healthy');
  await screenshot(page, 'target-check');
  await page.getByRole('link', { name: 'All targets' }).click();
  await expect(page.getByRole('row', { name: new RegExp(names.target) })).toContainText('healthy');
  await screenshot(page, 'targets');
});

test('admin creates a job with a parameter and runs it; output arrives live', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await nav(page, 'Jobs');
  await page.getByRole('button', { name: 'New job' }).click();
  await expect(page.getByRole('heading', { name: 'New job', level: 2 })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(names.job);
  await page.getByLabel('Description').fill('Says hello a few times');
  await page.getByRole('button', { name: 'Add parameter' }).click();
  await page.getByLabel('Parameter 1 name').fill('name');
  await page.getByRole('checkbox', { name: 'required' }).check();
  await page.getByLabel('Step 1 name').fill('greet');
  await page.getByLabel('Step 1 script').fill('for i in 1 2 3 4; do echo hello {{name}} $i; sleep 1; done\necho done >&2');
  const tag = page.getByRole('textbox', { name: /every target tagged/ });
  await tag.fill(names.tag);
  await tag.press('Enter');
  await expect(page.getByTestId('target-preview')).toContainText(names.target);
  await expect(page.getByTestId('target-preview')).toContainText('1 matching target');
  await screenshot(page, 'job-editor');
  await page.getByRole('button', { name: 'Create job' }).click();
  await expect(page.getByRole('heading', { name: names.job, level: 2 })).toBeVisible();
  await expect(page).toHaveURL(/\/jobs\/\d+$/);
  jobUrl = new URL(page.url()).pathname;

  // The generated parameter form.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const rd = page.getByRole('dialog', { name: `Run ${names.job}` });
  await rd.getByRole('button', { name: 'Start run' }).click();
  await expect(rd.getByText('name is required')).toBeVisible();
  await rd.getByLabel('name').fill('world');
  await rd.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  runUrl = new URL(page.url()).pathname;

  const target = page.locator('[data-testid^="run-target-"]').filter({ hasText: names.target });
  // The first line is on screen while the run is still going.
  await expect(target.getByText('hello world 1')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('run-status')).not.toHaveText('succeeded');
  expect(await target.getByText('hello world 4').count()).toBe(0);
  await expect(page.getByTestId('stream-state')).toHaveText('live');
  await screenshot(page, 'run-live');

  await expect(page.getByTestId('run-status')).toHaveText('succeeded', { timeout: 30_000 });
  await expect(target.getByText('hello world 4')).toBeVisible();
  await expect(target.locator('[data-stream="stderr"]')).toContainText('done');
  await expect(target.getByTestId('step-0')).toContainText('exit 0');
  await expect(page.getByText('Parameters', { exact: true })).toBeVisible();
  await screenshot(page, 'run-finished');

  // …and it is in the history.
  await nav(page, 'Runs');
  const row = page.getByRole('row', { name: new RegExp(names.job) }).first();
  await expect(row).toContainText('succeeded');
  await expect(row).toContainText('admin');
  await screenshot(page, 'runs');
  await row.getByRole('link', { name: names.job }).click();
  await expect(page).toHaveURL(new RegExp(`${runUrl}$`));

  // Re-run all targets with the same parameters.
  await page.getByRole('button', { name: 'Re-run' }).click();
  await page.getByRole('menuitem', { name: 'Re-run all targets' }).click();
  await expect(page).not.toHaveURL(new RegExp(`${runUrl}$`));
  await expect(page.getByText(/re-run of/)).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('succeeded', { timeout: 30_000 });
  await expect(page.getByText('hello world 4')).toBeVisible();

  // Re-run again and cancel it while it runs.
  const rerunUrl = page.url();
  await page.getByRole('button', { name: 'Re-run' }).click();
  await page.getByRole('menuitem', { name: 'Re-run all targets' }).click();
  await expect(page).not.toHaveURL(rerunUrl);
  await expect(page.getByText('hello world 1')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Cancel run' }).click();
  // Cancel asks first (issue 14).
  await page.getByRole('dialog', { name: /^Cancel run #\d+\?$/ }).getByRole('button', { name: 'Cancel run' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: /Cancel run|Cancelling/ })).toHaveCount(0);
  expect(await page.getByText('hello world 4').count()).toBe(0);

  await nav(page, 'Dashboard');
  await expect(page.getByTestId('run-counts')).toBeVisible();
  await expect(page.getByTestId('executor-status')).toContainText('queued');
  await screenshot(page, 'dashboard');
  await nav(page, 'Jobs');
  await page.getByLabel('Search jobs').fill(names.job);
  await expect(page.getByRole('link', { name: names.job })).toBeVisible();
  await screenshot(page, 'jobs');
});

test('admin imports jobs from YAML and sees the server\'s errors for a bad document', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await nav(page, 'Jobs');
  await page.getByRole('button', { name: 'Import YAML' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import jobs from YAML' });
  await dialog.getByLabel('YAML').fill(`name: imported-${suffix}\nsteps: []\n`);
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByText(/at least one step/)).toBeVisible();
  await dialog
    .getByLabel('YAML')
    .fill(`name: imported-${suffix}\nsteps:\n- name: uptime\n  type: command\n  script: uptime\ntargets:\n  tags: [${names.tag}]\n`);
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByText(`Created: imported-${suffix}`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByLabel('Search jobs').fill(`imported-${suffix}`);
  await expect(page.getByRole('link', { name: `imported-${suffix}` })).toBeVisible();
});

test('a viewer sees the job and the run but no edit, run or cancel buttons', async ({ page, request }) => {
  test.skip(!runUrl, 'needs the run of the previous test');
  const token = await apiToken(request);
  const res = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${token}` },
    data: { username: viewer.username, fullName: 'E2E Viewer', email: `${viewer.username}@example.test`, password: viewer.password, role: 'viewer', mustChangePassword: false },
  });
  expect(res.status()).toBe(201);

  await login(page, viewer.username, viewer.password);
  await expectSignedIn(page, viewer.username);
  await nav(page, 'Jobs');
  await expect(page.getByRole('button', { name: 'New job' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import YAML' })).toHaveCount(0);
  await page.getByLabel('Search jobs').fill(names.job);
  await expect(page.getByRole('link', { name: names.job })).toBeVisible();
  await expect(page.getByRole('button', { name: `Run job ${names.job}` })).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Edit job ${names.job}` })).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Delete job ${names.job}` })).toHaveCount(0);

  await page.getByRole('link', { name: names.job }).click();
  await expect(page).toHaveURL(new RegExp(`${jobUrl}$`));
  await expect(page.getByText('You can view this job but not change it.')).toBeVisible();
  await expect(page.getByLabel('Step 1 script')).toHaveValue(/echo hello \{\{name\}\}/);
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  // Run is there but disabled, and says why (issue 14).
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await page.getByTestId('run-button-wrapper').hover();
  await expect(page.getByText('Running jobs needs the operator role.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add step' })).toHaveCount(0);

  await page.goto(runUrl);
  await expect(page.getByTestId('run-status')).toHaveText('succeeded');
  await expect(page.getByText('hello world 1')).toBeVisible();
  await expect(page.getByRole('button', { name: /Cancel run/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Re-run' })).toHaveCount(0);

  await nav(page, 'Targets');
  await expect(page.getByRole('button', { name: 'New target' })).toHaveCount(0);
  await page.getByLabel('Search targets').fill(names.target);
  await page.getByRole('link', { name: names.target, exact: true }).click();
  await expect(page.getByRole('heading', { name: names.target, level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check now' })).toHaveCount(0);
  await logout(page);
});

test('the dashboard shows every process of the deployment with its health', async ({ page }) => {
  // test.sh sets OPSC_EXPECT_PROCESSES for the eight-service topology; the all-in-one host is one process.
  const expected = Number(process.env.OPSC_EXPECT_PROCESSES ?? 1);
  expect(expected, 'OPSC_EXPECT_PROCESSES must be a process count').toBeGreaterThan(0);
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await nav(page, 'Dashboard');
  await expect(page.getByTestId('health-cards')).toBeVisible();
  if (expected < 2) {
    await expect(page.getByTestId('process-table')).toHaveCount(0);
    return;
  }
  const table = page.getByTestId('process-table');
  await expect(table.getByRole('row')).toHaveCount(expected + 1);
  await expect(table.getByText('healthy', { exact: true })).toHaveCount(expected);
  for (const name of ['auth', 'executor-1', 'executor-2', 'jobs'])
    await expect(table.getByRole('paragraph').filter({ hasText: new RegExp(`^${name}$`) })).toBeVisible();
  await screenshot(page, 'topology-processes');
});
