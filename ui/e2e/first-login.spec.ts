import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD, adminApi, expectSignedIn, login, logout, screenshot } from './helpers';

/**
 * Issue 14: a password someone else chose is replaced at first sign-in, and the job page's Run button says when a
 * blackout window refuses manual runs (an admin may still override it in the run dialog).
 */
test.describe.configure({ mode: 'serial' });

const suffix = Date.now().toString(36);
const newcomer = { username: `e2e-first-${suffix}`, password: `Initial-Password-${suffix}`, chosen: `My-Own-Password-${suffix}` };
const operator = { username: `e2e-first-op-${suffix}`, password: `Operator-Password-${suffix}` };
const names = { job: `e2e-first-frozen-${suffix}`, tag: `e2e-freeze-${suffix}`, window: `E2E change freeze ${suffix}` };
const utcInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);
let jobId = 0;
let windowId = 0;
let scheduleId = 0;
let targetId = 0;
let credentialId = 0;

test.afterAll(async ({ request }) => {
  const api = await adminApi(request);
  if (windowId) await api.del(`/api/v1/schedules/blackout-windows/${windowId}`);
  if (scheduleId) await api.del(`/api/v1/schedules/${scheduleId}`);
  if (jobId) await api.del(`/api/v1/jobs/${jobId}`);
  if (targetId) await api.del(`/api/v1/targets/${targetId}`);
  if (credentialId) await api.del(`/api/v1/credentials/${credentialId}`);
});

test('a user an admin created must choose a new password before anything else, then lands on the dashboard', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto('/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Username').fill(newcomer.username);
  await dialog.getByLabel('Full name').fill('First Sign-in');
  await dialog.getByLabel('Email').fill(`${newcomer.username}@example.test`);
  await dialog.getByLabel('Initial password').fill(newcomer.password);
  await expect(dialog.getByText(/chooses a new password at first sign-in/i)).toBeVisible();
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();
  await logout(page);

  await login(page, newcomer.username, newcomer.password);
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toHaveCount(0);
  await screenshot(page, 'first-login-change-password');

  // Nothing can be reached around it: another page sends back here, and the server refuses the API too.
  await page.goto('/jobs');
  await expect(page).toHaveURL(/\/change-password$/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();

  // The same password again is not a new one.
  await page.getByLabel('Current password').fill(newcomer.password);
  await page.getByLabel('New password', { exact: true }).fill(newcomer.password);
  await page.getByLabel('Repeat new password').fill(newcomer.password);
  await page.getByRole('button', { name: 'Change password and continue' }).click();
  await expect(page.getByText('Choose a password different from the current one')).toBeVisible();

  await page.getByLabel('New password', { exact: true }).fill(newcomer.chosen);
  await page.getByLabel('Repeat new password').fill(newcomer.chosen);
  await page.getByRole('button', { name: 'Change password and continue' }).click();
  // Where the user was going (/jobs) once the password is theirs.
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 2 })).toBeVisible();
  await logout(page);

  // The next sign-in goes straight to the dashboard with the chosen password.
  await login(page, newcomer.username, newcomer.chosen);
  await expectSignedIn(page, newcomer.username);
  await screenshot(page, 'first-login-dashboard');
});

test('the API refuses a user who must change the password, with a code', async ({ request }) => {
  const api = await adminApi(request);
  const username = `e2e-first-api-${suffix}`;
  const password = `Initial-Password-${suffix}`;
  await api.post('/api/v1/users', { username, email: `${username}@example.test`, fullName: 'API first', role: 'viewer', password });
  const signIn = await request.post('/api/v1/auth/login', { data: { username, password } });
  const session = await signIn.json();
  expect(session.user.mustChangePassword).toBe(true);
  const jobs = await request.get('/api/v1/jobs', { headers: { Authorization: `Bearer ${session.accessToken}` } });
  expect(jobs.status()).toBe(403);
  expect((await jobs.json()).code).toBe('password_change_required');
});

test('a blackout window refusing manual runs disables Run with its name; an admin may override it in the run dialog', async ({ page, request }) => {
  const api = await adminApi(request);
  await api.post('/api/v1/users', {
    username: operator.username,
    email: `${operator.username}@example.test`,
    fullName: 'E2E First Operator',
    role: 'operator',
    password: operator.password,
    mustChangePassword: false,
  });
  // A target the job's tag matches, so an admin's Run is not held back for want of targets (the dialog is not submitted).
  const credential = await api.post('/api/v1/credentials', {
    name: `e2e-first-cred-${suffix}`,
    type: 'password',
    username: 'nobody',
    secret: { password: 'Not-Used-Pass-1' },
  });
  credentialId = credential.id;
  const target = await api.post('/api/v1/targets', {
    name: `e2e-first-target-${suffix}`,
    hostname: '127.0.0.1',
    port: 22,
    osType: 'linux',
    connection: 'ssh',
    credentialId: credential.id,
    tags: [names.tag],
  });
  targetId = target.id;
  const job = await api.post('/api/v1/jobs', {
    name: names.job,
    steps: [{ name: 'hello', type: 'command', script: 'echo hello' }],
    targets: { tags: [names.tag] },
  });
  jobId = job.id;
  // The job carries the window's tag through a schedule (jobs have no tags of their own); disabled, so it never fires.
  scheduleId = (await api.post('/api/v1/schedules', { name: `${names.job}-schedule`, jobId, cron: '0 0 1 1 *', timezone: 'UTC', enabled: false, tags: [names.tag] })).id;
  const now = Date.now();
  windowId = (
    await api.post('/api/v1/schedules/blackout-windows', {
      name: names.window,
      timezone: 'UTC',
      periods: [{ start: utcInput(now - 3600_000), end: utcInput(now + 3 * 3600_000) }],
      tags: [names.tag],
      appliesToManualRuns: true,
    })
  ).id;

  await login(page, operator.username, operator.password);
  await expectSignedIn(page, operator.username);
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByRole('heading', { name: names.job, level: 2 })).toBeVisible();
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toBeDisabled();
  await expect(page.getByTestId('job-blackout')).toContainText(names.window);
  await page.getByTestId('run-button-wrapper').hover();
  await expect(page.getByRole('tooltip')).toContainText(`The blackout window '${names.window}' refuses manual runs`);
  await screenshot(page, 'job-run-blackout');
  await logout(page);

  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId('job-blackout')).toContainText('override it in the run dialog');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${names.job}` });
  await expect(dialog.getByRole('checkbox', { name: `Override the blackout window '${names.window}'` })).toBeVisible();
  await screenshot(page, 'job-run-blackout-override');
});
