import { expect, test, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, adminApi, expectSignedIn, login, screenshot } from './helpers';

/**
 * Schedules against the real host and a real sshd (scripts/test-sshd.sh): a 6-field cron schedule made in the editor
 * fires every few seconds and its runs carry the schedule's name; a blackout window covering now makes an occurrence
 * be recorded as skipped with the window's name. Unique names, so it runs alone or after the other files; the
 * schedules it makes are deleted at the end so nothing keeps firing.
 */
const SSH_PORT = process.env.OPSC_SSH_PORT;
const mock = process.env.OPSC_E2E_MOCK === '1';

test.describe.configure({ mode: 'serial' });
test.skip(mock || !SSH_PORT, 'needs the real backend and OPSC_SSH_PORT (eval "$(scripts/test-sshd.sh start)")');

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const names = {
  job: `e2e-sched-job-${suffix}`,
  schedule: `e2e-every-5s-${suffix}`,
  frozen: `e2e-frozen-${suffix}`,
  window: `e2e-freeze-${suffix}`,
  freezeTag: `e2e-freeze-${suffix}`,
};
const made: number[] = [];

async function nav(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** A UTC instant as the value of a datetime-local input in UTC. */
const utcInput = (ms: number) => new Date(ms).toISOString().slice(0, 16);

test.beforeAll(async ({ request }) => {
  const api = await adminApi(request);
  const cred = await api.post('/api/v1/credentials', {
    name: `e2e-sched-cred-${suffix}`,
    type: 'password',
    username: process.env.OPSC_SSH_USER ?? 'opsc-test',
    secret: { password: process.env.OPSC_SSH_PASSWORD ?? 'OpsC-Test-Passw0rd!' },
  });
  const target = await api.post('/api/v1/targets', {
    name: `e2e-sched-target-${suffix}`,
    hostname: '127.0.0.1',
    port: Number(SSH_PORT),
    osType: 'linux',
    connection: 'ssh',
    credentialId: cred.id,
    tags: [`e2e-sched-${suffix}`],
  });
  const seen = await api.post(`/api/v1/targets/${target.id}/check`, {});
  await api.post(`/api/v1/targets/${target.id}/accept-host-key`, { fingerprint: seen.hostKeyFingerprint });
  await api.post('/api/v1/jobs', {
    name: names.job,
    parameters: [{ name: 'who', type: 'string', required: true }],
    steps: [{ name: 'greet', type: 'shell_script', script: 'echo scheduled hello {{who}}' }],
    targets: { tags: [`e2e-sched-${suffix}`] },
  });
});

test.afterAll(async ({ request }) => {
  const api = await adminApi(request);
  for (const id of made) await api.del(`/api/v1/schedules/${id}`);
});

test('an operator schedules a job on a 6-field cron and sees it fire', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await nav(page, 'Schedules');
  await page.getByRole('button', { name: 'New schedule' }).click();
  const dialog = page.getByRole('dialog', { name: 'New schedule' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(names.schedule);
  await dialog.getByRole('textbox', { name: 'Job' }).click();
  await page.getByRole('option', { name: names.job, exact: true }).click();
  // The job's generated parameter form.
  await dialog.getByRole('textbox', { name: 'who' }).fill('from the scheduler');

  const cron = dialog.getByRole('textbox', { name: 'Cron' });
  await cron.fill('30 1 * * *');
  await expect(dialog.getByTestId('cron-words')).toHaveText('At 01:30');
  await cron.fill('* * *');
  await expect(dialog.getByText('Expected 5 fields (or 6 with seconds first), found 3')).toBeVisible();
  await cron.fill('*/5 * * * * *');
  await expect(dialog.getByTestId('cron-words')).toHaveText('Every 5 seconds');

  const zone = dialog.getByRole('textbox', { name: 'Timezone' });
  await zone.click();
  await zone.fill('Europe/Berlin');
  await page.getByRole('option', { name: 'Europe/Berlin', exact: true }).click();
  // The next five fire times, from POST /schedules/preview, in the zone (and the browser's when it differs).
  const preview = dialog.getByTestId('schedule-preview');
  await expect(preview.locator('tbody tr')).toHaveCount(5);
  await expect(preview).toContainText('In Europe/Berlin');
  await screenshot(page, 'schedule-editor');
  await dialog.getByRole('button', { name: 'Create schedule' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId(`schedule-row-${names.schedule}`);
  await expect(row).toContainText('Every 5 seconds');
  await expect(row).toContainText('Europe/Berlin');
  await expect(row).toContainText('enabled');
  await expect(row).toContainText('UTC');
  await screenshot(page, 'schedules');

  await row.getByRole('link', { name: names.schedule }).click();
  await expect(page.getByRole('heading', { name: names.schedule, level: 2 })).toBeVisible();
  made.push(Number(new URL(page.url()).pathname.split('/').pop()));
  const occurrences = page.getByTestId('occurrences');
  const fired = occurrences.locator('tr[data-status="fired"]').first();
  await expect(fired).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('saved-preview').locator('tbody tr')).toHaveCount(10);
  await screenshot(page, 'schedule-detail');

  // Its run carries the schedule's name, in the run view and in the history.
  await fired.getByRole('link', { name: /run #\d+/ }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  await expect(page.getByTestId('run-schedule')).toHaveText(names.schedule);
  await expect(page.getByTestId('run-status')).toHaveText('succeeded', { timeout: 30_000 });
  await expect(page.getByText('scheduled hello from the scheduler')).toBeVisible();
  await nav(page, 'Runs');
  await expect(page.getByRole('row', { name: new RegExp(names.job) }).first().getByTestId('run-schedule')).toHaveText(names.schedule);

  // Pause stops it; the list says so.
  await nav(page, 'Schedules');
  await page.getByRole('button', { name: `Pause schedule ${names.schedule}` }).click();
  await expect(row).toContainText('paused');
  await expect(page.getByRole('button', { name: `Resume schedule ${names.schedule}` })).toBeVisible();

  // The job's page lists it, the dashboard's next runs do not (paused: no next fire).
  await nav(page, 'Jobs');
  await page.getByLabel('Search jobs').fill(names.job);
  await page.getByRole('link', { name: names.job }).click();
  await expect(page.getByTestId('job-schedules')).toContainText(names.schedule);
  await expect(page.getByTestId('job-schedules')).toContainText('paused');
});

test('a blackout window covering now skips an occurrence and says which window', async ({ page, request }) => {
  test.setTimeout(120_000);
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto('/schedules');
  await page.getByRole('link', { name: 'Blackout windows' }).click();
  await expect(page.getByRole('heading', { name: 'Blackout windows', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'New window' }).click();
  const dialog = page.getByRole('dialog', { name: 'New blackout window' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(names.window);
  const now = Date.now();
  await dialog.getByLabel('Period 1 start').fill(utcInput(now - 3600_000));
  await dialog.getByLabel('Period 1 end').fill(utcInput(now + 3 * 3600_000));
  const tags = dialog.getByRole('textbox', { name: 'Tags' });
  await tags.fill(names.freezeTag);
  await tags.press('Enter');
  await dialog.getByRole('button', { name: 'Create window' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`window-row-${names.window}`)).toContainText(names.freezeTag);
  await expect(page.getByTestId('blackout-calendar')).toContainText(names.window);
  await screenshot(page, 'blackout-windows');

  // A schedule with the window's tag, made through the API (the editor was covered above).
  const api = await adminApi(request);
  const jobs = await api.get(`/api/v1/jobs?search=${encodeURIComponent(names.job)}&page=1&pageSize=5`);
  const created = await api.post('/api/v1/schedules', {
    name: names.frozen,
    jobId: jobs.items[0].id,
    cron: '*/5 * * * * *',
    timezone: 'UTC',
    parameters: { who: 'nobody' },
    tags: [names.freezeTag],
  });
  made.push(created.id);

  await page.goto(`/schedules/${created.id}`);
  await expect(page.getByRole('heading', { name: names.frozen, level: 2 })).toBeVisible();
  await expect(page.getByTestId('saved-preview')).toContainText(`skipped: ${names.window}`);
  const skipped = page.getByTestId('occurrences').locator('tr[data-status="skipped"]').first();
  await expect(skipped).toBeVisible({ timeout: 45_000 });
  await expect(skipped).toContainText(names.window);
  await expect(page.getByTestId('occurrences').locator('tr[data-status="fired"]')).toHaveCount(0);
  await screenshot(page, 'schedule-skipped');
});
