import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, expectSignedIn, login, screenshot } from './helpers';

/**
 * Notifications against the real host and a real SMTP server: smtp4dev (the dotnet tool scripts/install-test-deps.sh
 * puts in .tools/smtp4dev), started here on free loopback ports and read back through its REST API.
 * The admin stores the SMTP settings in the UI and sends a test message; a job gets a failure rule in the job editor
 * (a bad address is refused at the field first); its run fails (the target's port is closed) and the mail shows in
 * the history as sent, with the server's answer, reached from the run's page.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SMTP4DEV = process.env.OPSC_SMTP4DEV ?? join(ROOT, '.tools', 'smtp4dev', 'smtp4dev');
const mock = process.env.OPSC_E2E_MOCK === '1';

test.describe.configure({ mode: 'serial' });
test.skip(mock || !existsSync(SMTP4DEV), `needs the real backend and smtp4dev at ${SMTP4DEV} (scripts/install-test-deps.sh)`);

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const names = { credential: `e2e-mail-cred-${suffix}`, target: `e2e-mail-target-${suffix}`, job: `e2e-mail-job-${suffix}` };
const mail = { test: `e2e-test-${suffix}@example.test`, ops: `e2e-ops-${suffix}@example.test`, from: `opsconductor-${suffix}@example.test` };

let smtp: { process: ChildProcess; smtpPort: number; web: string; dir: string; log: string[] } | undefined;
let jobId = 0;
let runId = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

type SmtpMessage = { id: string; subject: string; to: string[] };

async function messages(request: APIRequestContext): Promise<SmtpMessage[]> {
  const res = await request.get(`${smtp!.web}/api/messages?page=1&pageSize=500`);
  expect(res.ok()).toBeTruthy();
  return ((await res.json()).results as SmtpMessage[]).map((m) => ({ id: m.id, subject: m.subject ?? '', to: m.to }));
}

async function apiToken(request: APIRequestContext): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).accessToken;
}

async function openTab(page: Page, tab: string, heading: string) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Notifications' }).click();
  await page.getByRole('tab', { name: tab }).click();
  await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
}

test.beforeAll(async ({ request }) => {
  const dir = mkdtempSync(join(tmpdir(), 'opsc-e2e-smtp4dev-'));
  const [smtpPort, webPort, imapPort, pop3Port] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const log: string[] = [];
  const child = spawn(
    SMTP4DEV,
    [
      `--urls=http://127.0.0.1:${webPort}`,
      `--smtpport=${smtpPort}`,
      `--imapport=${imapPort}`,
      `--pop3port=${pop3Port}`,
      '--db=',
      '--nousersettings',
      '--hostname=localhost',
      `--baseappdatapath=${dir}`,
      '--tlsmode=None',
    ],
    { cwd: dir, env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => log.push(String(d)));
  child.stderr?.on('data', (d) => log.push(String(d)));
  smtp = { process: child, smtpPort, web: `http://127.0.0.1:${webPort}`, dir, log };
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`smtp4dev exited ${child.exitCode}:\n${log.join('')}`);
        return (await request.get(`${smtp!.web}/api/messages`).catch(() => null))?.ok() ?? false;
      },
      { timeout: 60_000, message: 'smtp4dev answers on its API' },
    )
    .toBe(true);
});

test.afterAll(() => {
  smtp?.process.kill();
  if (smtp) rmSync(smtp.dir, { recursive: true, force: true });
});

test('admin stores the SMTP settings and a test message arrives', async ({ page, request }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await openTab(page, 'SMTP settings', 'SMTP settings');

  await page.getByLabel('Host').fill('127.0.0.1');
  await page.getByRole('textbox', { name: 'Security' }).click();
  await page.getByRole('option', { name: 'None (plain SMTP)' }).click();
  // First a port nothing listens on: the test send reports why it failed.
  await page.getByLabel('Port').fill(String(await freePort()));
  await page.getByLabel('Username').fill('');
  await page.getByLabel('From address').fill(mail.from);
  await page.getByLabel('From name').fill('OpsConductor e2e');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText(/Last saved .* by admin/)).toBeVisible();
  await page.getByLabel('Send to').fill(mail.test);
  await page.getByRole('button', { name: 'Send a test message' }).click();
  const result = page.getByTestId('smtp-test-result');
  await expect(result).toContainText('The message was not sent');
  await expect(result.locator('pre, code')).not.toBeEmpty();
  await screenshot(page, 'notifications-smtp-test-failed');

  await page.getByLabel('Port').fill(String(smtp!.smtpPort));
  await expect(page.getByText('Save your changes first')).toBeVisible();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Saved the SMTP settings').first()).toBeVisible();
  await expect(page.getByText('Save your changes first')).toBeHidden();
  await page.getByRole('button', { name: 'Send a test message' }).click();
  await expect(result).toContainText('The server accepted the message');
  await screenshot(page, 'notifications-smtp');

  await expect.poll(async () => (await messages(request)).some((m) => m.to.includes(mail.test)), { timeout: 20_000 }).toBe(true);
});

test('a failure rule in the job editor: a bad address is named at its field, then saved', async ({ page, request }) => {
  // The target and job come from the API; the rule is the UI's part.
  const token = await apiToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const cred = await request.post('/api/v1/credentials', {
    headers,
    data: { name: names.credential, type: 'password', username: 'nobody', secret: { password: 'Not-Used-Pass-1' } },
  });
  expect(cred.status()).toBe(201);
  const closedPort = await freePort();
  const target = await request.post('/api/v1/targets', {
    headers,
    data: { name: names.target, hostname: '127.0.0.1', port: closedPort, osType: 'linux', connection: 'ssh', credentialId: (await cred.json()).id, tags: [] },
  });
  expect(target.status()).toBe(201);
  const job = await request.post('/api/v1/jobs', {
    headers,
    data: { name: names.job, parameters: [], steps: [{ name: 'fail', type: 'command', script: 'exit 3' }], targets: { targetIds: [(await target.json()).id], tags: [] } },
  });
  expect(job.status()).toBe(201);
  jobId = (await job.json()).id;

  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByRole('heading', { name: names.job, level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Add rule' }).click();
  const recipients = page.getByRole('textbox', { name: 'Rule 1 recipients' });
  await recipients.fill(mail.ops);
  await recipients.press('Enter');
  await recipients.fill('not-an-address');
  await recipients.press('Enter');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // The server's 400 names notifications[0].recipients[1]; the editor shows it on that rule's recipients.
  await expect(page.getByTestId('notification-rule-0')).toContainText("'not-an-address' is not a valid email address.");
  await screenshot(page, 'notifications-job-rule-error');

  // Backspace in an empty tags box removes the last address, the bad one.
  await recipients.click();
  await recipients.press('Backspace');
  await expect(page.getByTestId('notification-rule-0')).not.toContainText('not-an-address');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect
    .poll(async () => (await (await request.get(`/api/v1/jobs/${jobId}`, { headers })).json()).notifications)
    .toEqual([{ on: 'failed', recipients: [mail.ops] }]);
  // Reopened, the editor shows the stored rule.
  await page.reload();
  await expect(page.getByTestId('notification-rule-0')).toContainText(mail.ops);
});

test("the failed run's mail is in the history as sent, with the server's answer", async ({ page, request }) => {
  const token = await apiToken(request);
  const run = await request.post(`/api/v1/jobs/${jobId}/runs`, { headers: { Authorization: `Bearer ${token}` }, data: { parameters: {} } });
  expect(run.status()).toBe(202);
  runId = (await run.json()).id;

  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/runs/${runId}`);
  await expect(page.getByTestId('run-status')).toContainText('failed', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Notifications' }).last().click();
  await expect(page.getByRole('heading', { name: 'Notifications', level: 2 })).toBeVisible();
  await expect(page.getByLabel('Filter by run')).toHaveValue(String(runId));

  const row = page.getByRole('row').filter({ hasText: `#${runId}` }).filter({ hasText: mail.ops });
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await expect(row.getByText('sent', { exact: true })).toBeVisible({ timeout: 60_000 });
  await screenshot(page, 'notifications-history');

  await row.getByRole('button').first().click();
  const detail = page.getByTestId('notification-detail');
  await expect(detail).toContainText(mail.ops);
  await expect(page.getByTestId('notification-attempts')).toContainText('sent');
  await screenshot(page, 'notifications-detail');

  const arrived = await expect
    .poll(async () => (await messages(request)).filter((m) => m.to.includes(mail.ops)).length, { timeout: 30_000 })
    .toBe(1);
  void arrived;
  const subject = (await messages(request)).find((m) => m.to.includes(mail.ops))!.subject;
  expect(subject).toContain(names.job);

  // The filter by status narrows the same list.
  await page.keyboard.press('Escape');
  await page.getByRole('textbox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Failed' }).click();
  await expect(page.getByText('No notifications match')).toBeVisible();
});

test('a template previews live against the failed run, and an unknown field is named at its part', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await openTab(page, 'Templates', 'Templates');
  await expect(page.getByRole('tab', { name: 'Failed' })).toHaveAttribute('aria-selected', 'true');

  await page.getByRole('textbox', { name: 'Preview against run' }).click();
  await page.getByRole('option', { name: new RegExp(`^#${runId} ${names.job}`) }).click();
  await expect(page.getByTestId('preview-subject')).toContainText(names.job);

  const subject = page.getByRole('textbox', { name: 'Subject' });
  await subject.fill('Run {{ run.id }} of {{ job.name }}: {{ run.status }}');
  await expect(page.getByTestId('preview-subject')).toHaveText(`Run ${runId} of ${names.job}: failed`);

  await subject.fill('{{ job.nmae }} broke');
  await expect(page.getByTestId('preview-error')).toContainText('job.nmae');
  await page.getByRole('button', { name: 'Save template' }).click();
  // The server's 400 is shown under the Subject box itself.
  await expect(page.getByText(/Unknown template field job\.nmae/).first()).toBeVisible();
  await expect(subject).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'notifications-template-error');
});

test('the default rule: a bad recipient is named at its field, a good one is saved', async ({ page, request }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await openTab(page, 'Default rule', 'Default rule');
  await page.getByRole('textbox', { name: 'Events' }).click();
  await page.getByRole('option', { name: 'Timed out' }).click();
  await page.keyboard.press('Escape');
  const recipients = page.getByRole('textbox', { name: 'Recipients' });
  await recipients.fill(mail.ops);
  await recipients.press('Enter');
  await recipients.fill('nobody-at-all');
  await recipients.press('Enter');
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByText("'nobody-at-all' is not a valid email address.")).toBeVisible();

  await recipients.click();
  await recipients.press('Backspace');
  await page.getByRole('button', { name: 'Save rule' }).click();
  await expect(page.getByText(/Last saved .* by admin/)).toBeVisible();
  await screenshot(page, 'notifications-default-rule');

  // Back to no default rule, so the specs after this one send nothing.
  const token = await apiToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const rule = await (await request.get('/api/v1/notifications/rules/default', { headers })).json();
  expect(rule).toMatchObject({ events: ['timed_out'], recipients: [mail.ops] });
  expect((await request.put('/api/v1/notifications/rules/default', { headers, data: { events: [], recipients: [] } })).ok()).toBeTruthy();
});

test('a viewer reads the history but not the settings', async ({ page, request }) => {
  const viewer = { username: `e2e-mail-viewer-${suffix}`, password: `Viewer-Password-${suffix}` };
  const token = await apiToken(request);
  const created = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${token}` },
    data: { ...viewer, email: `${viewer.username}@example.test`, fullName: 'Mail Viewer', role: 'viewer', mustChangePassword: false },
  });
  expect(created.status()).toBe(201);

  await login(page, viewer.username, viewer.password);
  await expectSignedIn(page, viewer.username);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Notifications' }).click();
  await expect(page.getByRole('heading', { name: 'Notifications', level: 2 })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'SMTP settings' })).toHaveCount(0);
  await page.getByLabel('Filter by run').fill(String(runId));
  await expect(page.getByRole('row').filter({ hasText: mail.ops })).toHaveCount(1);

  await page.goto('/notifications/smtp');
  await expect(page.getByText('Your role does not give access to this page.')).toBeVisible();
});
