import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, adminApi, expectSignedIn, login, screenshot } from './helpers';

/**
 * The run view of a fleet and what operators reach for, against the real host and a real sshd
 * (scripts/test-sshd.sh): a job on three targets, two on the sshd and one on a closed port (it fails).
 * Counts by status as a filter, failed first, expand/collapse, search in the output, timestamps, copy
 * and download; the jobs list's last run; Run again… with other parameters and targets; `/` and Ctrl+K.
 * Everything it creates has a unique name, so it runs alone or after the other files.
 */
const SSH_PORT = process.env.OPSC_SSH_PORT;
const SSH_USER = process.env.OPSC_SSH_USER ?? 'opsc-test';
const SSH_PASSWORD = process.env.OPSC_SSH_PASSWORD ?? 'OpsC-Test-Passw0rd!';

test.describe.configure({ mode: 'serial' });
test.skip(process.env.OPSC_E2E_MOCK === '1' || !SSH_PORT || !process.env.OPSC_SSHD_DIR, 'needs the real backend, OPSC_SSH_PORT and OPSC_SSHD_DIR (eval "$(scripts/test-sshd.sh start)")');

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const names = {
  good1: `rv-alpha-${suffix}`,
  good2: `rv-bravo-${suffix}`,
  bad: `rv-closed-${suffix}`,
  tag: `rv-${suffix}`,
  job: `rv-fleet-${suffix}`,
};
const fixture = { jobId: 0, runId: 0, targetIds: [] as number[] };

/** The fingerprint of the test sshd's host key (scripts/test-sshd.sh writes the key), pinned on the targets. */
function serverFingerprint(): string {
  const key = `${process.env.OPSC_SSHD_DIR}/ssh_host_ed25519_key.pub`;
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', key], { encoding: 'utf8' }).split(' ')[1];
}

/** A port nothing listens on (the sshd's own port plus one is free only by luck, so ask the kernel). */
function closedPort(): number {
  return Number(execFileSync('python3', ['-c', 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'], { encoding: 'utf8' }).trim());
}

async function waitForFinal(get: (p: string) => Promise<{ status: string }>, runId: number) {
  await expect.poll(async () => (await get(`/api/v1/runs/${runId}`)).status, { timeout: 60_000 }).toMatch(/^(succeeded|failed|cancelled|timed_out)$/);
}

const rows = (page: Page) => page.locator('[data-testid^="run-target-"]');
const row = (page: Page, name: string) => rows(page).filter({ hasText: name });

test.beforeAll(async ({ request }) => {
  const { post, get } = await adminApi(request);
  const cred = await post('/api/v1/credentials', { name: `rv-cred-${suffix}`, type: 'password', username: SSH_USER, secret: { password: SSH_PASSWORD } });
  const fingerprint = serverFingerprint();
  const target = (name: string, port: number) =>
    post('/api/v1/targets', { name, hostname: '127.0.0.1', port, osType: 'linux', connection: 'ssh', credentialId: cred.id, tags: [names.tag], ssh: { hostKeyFingerprint: fingerprint } });
  for (const [name, port] of [
    [names.good1, Number(SSH_PORT)],
    [names.good2, Number(SSH_PORT)],
    [names.bad, closedPort()],
  ] as const)
    fixture.targetIds.push((await target(name, port)).id);
  const job = await post('/api/v1/jobs', {
    name: names.job,
    description: 'Greets from every target',
    parameters: [{ name: 'greeting', type: 'string', required: true, description: 'What every target prints' }],
    steps: [
      { name: 'greet', type: 'shell_script', script: 'for i in 1 2 3; do echo "{{greeting}} line $i"; done; echo "careful now" >&2' },
      { name: 'finish', type: 'command', script: 'echo finished' },
    ],
    targets: { targetIds: [], tags: [names.tag] },
  });
  fixture.jobId = job.id;
  fixture.runId = (await post(`/api/v1/jobs/${job.id}/runs`, { parameters: { greeting: 'hello' } })).id;
  await waitForFinal(get, fixture.runId);
});

test('run view: counts by status filter the list and failed targets come first', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/runs/${fixture.runId}`);
  await expect(page.getByTestId('stream-state')).toHaveText('ended');
  await expect(page.getByTestId('target-counts')).toHaveText('2 succeeded · 1 failed');
  await expect(rows(page)).toHaveCount(3);
  // The failed target leads, though it was resolved last.
  await expect(rows(page).first()).toContainText(names.bad);
  await expect(rows(page).first()).toContainText('failed');

  await page.getByRole('button', { name: 'Show only failed targets' }).click();
  await expect(page.getByRole('button', { name: 'Show only failed targets' })).toHaveAttribute('aria-pressed', 'true');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(names.bad);
  await screenshot(page, 'run-view-filter-failed');
  await page.getByRole('button', { name: 'Show only succeeded targets' }).click();
  await expect(rows(page)).toHaveCount(2);
  await expect(row(page, names.bad)).toHaveCount(0);
  await page.getByRole('button', { name: 'Show all' }).click();
  await expect(rows(page)).toHaveCount(3);
});

test('run view: expand and collapse per target, per step and all at once', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/runs/${fixture.runId}`);
  // A small run opens every target.
  await expect(page.getByTestId('target-detail')).toHaveCount(3);
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(page.getByTestId('target-detail')).toHaveCount(0);
  await page.getByRole('button', { name: `Expand ${names.good1}` }).click();
  await expect(page.getByTestId('target-detail')).toHaveCount(1);
  const alpha = row(page, names.good1);
  await expect(alpha.getByTestId('step-0').getByTestId('step-output')).toContainText('hello line 1');
  await alpha.getByRole('button', { name: 'Collapse step 1' }).click();
  await expect(alpha.getByTestId('step-0').getByTestId('step-output')).toHaveCount(0);
  await expect(alpha.getByTestId('step-0')).toContainText('4 lines hidden');
  await expect(alpha.getByTestId('step-1').getByTestId('step-output')).toContainText('finished');
  await alpha.getByRole('button', { name: 'Expand step 1' }).click();
  await expect(alpha.getByTestId('step-0').getByTestId('step-output')).toContainText('careful now');
  await page.getByRole('button', { name: `Collapse ${names.good1}` }).click();
  await expect(page.getByTestId('target-detail')).toHaveCount(0);
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(page.getByTestId('target-detail')).toHaveCount(3);
});

test('run view: search in the output highlights the matches and steps through them', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/runs/${fixture.runId}`);
  await expect(page.getByTestId('stream-state')).toHaveText('ended');
  const search = page.getByRole('textbox', { name: 'Search output' });
  await search.fill('LINE 2');
  // One match per good target, case-insensitive; the first is the current one.
  await expect(page.getByTestId('search-count')).toHaveText('1 / 2');
  await expect(page.getByTestId('output-match')).toHaveCount(1);
  await expect(row(page, names.good1).getByTestId('output-match-current')).toHaveText('line 2');
  await search.press('Enter');
  await expect(page.getByTestId('search-count')).toHaveText('2 / 2');
  await expect(row(page, names.good2).getByTestId('output-match-current')).toHaveText('line 2');
  await screenshot(page, 'run-view-search');
  await page.getByRole('button', { name: 'Next match' }).click();
  await expect(page.getByTestId('search-count')).toHaveText('1 / 2');
  await search.press('Shift+Enter');
  await expect(page.getByTestId('search-count')).toHaveText('2 / 2');
  await page.getByRole('button', { name: 'Previous match' }).click();
  await expect(row(page, names.good1).getByTestId('output-match-current')).toBeVisible();
  // A collapsed target opens at its match.
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await search.fill('careful');
  await expect(page.getByTestId('search-count')).toHaveText('1 / 2');
  await expect(row(page, names.good1).getByTestId('output-match-current')).toHaveText('careful');
  await search.fill('no such text anywhere');
  await expect(page.getByTestId('search-count')).toHaveText('no match');
  await expect(page.getByTestId('output-match')).toHaveCount(0);
});

test('run view: timestamps per line, copy and download of a target and of the whole run', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/runs/${fixture.runId}`);
  await expect(page.getByTestId('stream-state')).toHaveText('ended');
  const alpha = row(page, names.good1);
  await expect(alpha.getByTestId('line-time')).toHaveCount(0);
  // Mantine's switch hides its input behind the label: a person clicks the label.
  const timestamps = page.getByRole('switch', { name: 'Timestamps' });
  await page.locator('label', { hasText: 'Timestamps' }).click();
  await expect(timestamps).toBeChecked();
  await expect(alpha.getByTestId('line-time').first()).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  await screenshot(page, 'run-view-timestamps');
  await page.locator('label', { hasText: 'Timestamps' }).click();
  await expect(timestamps).not.toBeChecked();
  await expect(alpha.getByTestId('line-time')).toHaveCount(0);

  await alpha.getByRole('button', { name: `Copy output of ${names.good1}` }).click();
  // Both streams, in the order the server numbered them (stdout and stderr travel apart, so either may come first).
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('hello line 1\nhello line 2\nhello line 3');
  const one = await page.evaluate(() => navigator.clipboard.readText());
  expect(one).toMatch(/^== 1\. greet\n/);
  expect(one).toContain('careful now');
  expect(one).toContain('== 2. finish\nfinished');
  await page.getByRole('button', { name: 'Copy run output' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`Run #${fixture.runId} of ${names.job}`);
  expect(copied.indexOf(names.bad)).toBeLessThan(copied.indexOf(names.good1));
  expect(copied).toContain(`==== ${names.good2} (127.0.0.1): succeeded`);

  const [targetFile] = await Promise.all([page.waitForEvent('download'), alpha.getByRole('button', { name: `Download output of ${names.good1}` }).click()]);
  expect(readFileSync(await targetFile.path(), 'utf8')).toContain('hello line 3');
  const [runFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download run output' }).click()]);
  expect(runFile.suggestedFilename()).toBe(`run-${fixture.runId}.txt`);
  const text = readFileSync(await runFile.path(), 'utf8');
  expect(text).toContain(`==== ${names.bad} (127.0.0.1): failed`);
  expect(text).toContain(`==== ${names.good1} (127.0.0.1): succeeded`);
  expect(text.match(/hello line 1/g)).toHaveLength(2);
  expect(text).toContain('finished');
});

test('jobs list: the last run column shows its status and age, and links to the run', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByLabel('Search jobs').fill(names.job);
  const jobRow = page.getByRole('row', { name: new RegExp(names.job) });
  const last = jobRow.getByTestId('job-last-run');
  await expect(last).toContainText('failed');
  await expect(last).toContainText(/just now|minutes? ago/);
  await expect(last).toHaveAttribute('href', `/runs/${fixture.runId}`);
  await screenshot(page, 'jobs-last-run');
  await last.click();
  await expect(page).toHaveURL(new RegExp(`/runs/${fixture.runId}$`));
  await expect(page.getByTestId('target-counts')).toHaveText('2 succeeded · 1 failed');
});

test('run again…: the dialog is prefilled from the run, shows parameter descriptions and the targets, and runs with changes', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.goto(`/runs/${fixture.runId}`);
  await page.getByRole('button', { name: 'Re-run' }).click();
  await page.getByRole('menuitem', { name: 'Run again…' }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${names.job} again` });
  await expect(dialog.getByLabel('greeting')).toHaveValue('hello');
  await expect(dialog.getByText('What every target prints')).toBeVisible();
  const targets = dialog.getByTestId('run-targets');
  await expect(targets).toContainText('Targets that will run (3)');
  for (const name of [names.good1, names.good2, names.bad]) await expect(targets).toContainText(name);
  await screenshot(page, 'run-again-dialog');

  // Other parameters, and not the target that failed.
  await dialog.getByLabel('greeting').fill('goodbye');
  await dialog.getByRole('checkbox', { name: `Run on ${names.bad}` }).uncheck();
  await expect(targets).toContainText('Targets that will run (2)');
  await dialog.getByRole('button', { name: 'Start run' }).click();
  // The new run's page, not this one.
  await expect(page).not.toHaveURL(new RegExp(`/runs/${fixture.runId}$`));
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  await expect(page.getByTestId('stream-state')).toHaveText('ended', { timeout: 60_000 });
  await expect(page.getByTestId('target-counts')).toHaveText('2 succeeded');
  await expect(page.getByText('Targets (2)')).toBeVisible();
  await expect(row(page, names.good1).getByTestId('step-0').getByTestId('step-output')).toContainText('goodbye line 1');
  await expect(row(page, names.bad)).toHaveCount(0);
});

test('run dialog from the jobs list: no target left is refused at the targets, and a target can be added', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Jobs' }).click();
  await page.getByLabel('Search jobs').fill(names.job);
  await page.getByRole('button', { name: `Run job ${names.job}` }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${names.job}` });
  await expect(dialog.getByText('What every target prints')).toBeVisible();
  await dialog.getByLabel('greeting').fill('only one');
  for (const name of [names.good1, names.good2, names.bad]) await dialog.getByRole('checkbox', { name: `Run on ${name}` }).uncheck();
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await expect(dialog.getByTestId('run-targets-error')).toHaveText('Choose at least one target.');
  await dialog.getByRole('checkbox', { name: `Run on ${names.good2}` }).check();
  await expect(dialog.getByTestId('run-targets')).toContainText('Targets that will run (1)');
  await dialog.getByRole('button', { name: 'Add a target' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Add a target' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+$/);
  await expect(page.getByTestId('stream-state')).toHaveText('ended', { timeout: 60_000 });
  await expect(page.getByTestId('target-counts')).toHaveText('1 succeeded');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(names.good2);
});

test('keyboard: / focuses the page search box, Ctrl+K and Cmd+K jump to a job, a target or a run', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 2 })).toBeVisible();
  // Focus is on the nav link just clicked: not a text field.
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search jobs')).toBeFocused();
  // Typed into a field, `/` is just a character.
  await page.keyboard.type('a/b');
  await expect(page.getByLabel('Search jobs')).toHaveValue('a/b');
  await page.goto(`/runs/${fixture.runId}`);
  await expect(page.getByTestId('stream-state')).toHaveText('ended');
  // Focus in the page (not a field), as after reading it: a click on the list's title.
  await page.getByRole('heading', { name: 'Targets (3)' }).click();
  await page.keyboard.press('/');
  await expect(page.getByRole('textbox', { name: 'Search output' })).toBeFocused();

  // Ctrl+K works from inside a text field too; a job by name.
  await page.keyboard.press('Control+k');
  const switcher = page.getByRole('textbox', { name: 'Quick switcher' });
  const results = page.getByRole('dialog').filter({ has: switcher });
  await expect(switcher).toBeFocused();
  await switcher.fill(names.job);
  // The first result is selected as it arrives, so Enter goes to it.
  await expect(results.getByRole('button', { name: new RegExp(`^${names.job}`) })).toHaveAttribute('data-selected', 'true');
  await screenshot(page, 'quick-switcher');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/jobs/${fixture.jobId}$`));
  await expect(page.getByRole('heading', { name: names.job, level: 2 })).toBeVisible();

  // A run by its number (Cmd+K as on a Mac).
  await page.keyboard.press('Meta+k');
  await expect(switcher).toBeFocused();
  await switcher.fill(`#${fixture.runId}`);
  await results.getByRole('button', { name: new RegExp(`Run #${fixture.runId} · ${names.job}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${fixture.runId}$`));

  // A target by name: its own page.
  await page.keyboard.press('Control+k');
  await switcher.fill(names.bad);
  await results.getByRole('button', { name: new RegExp(`^${names.bad}`) }).click();
  await expect(page).toHaveURL(/\/targets\/\d+$/);
  await expect(page.getByRole('heading', { name: names.bad, level: 2 })).toBeVisible();

  // ?q= starts a list's search: the targets list, searched for that name.
  await page.goto(`/targets?q=${encodeURIComponent(names.bad)}`);
  await expect(page.getByLabel('Search targets')).toHaveValue(names.bad);
  await expect(page.getByRole('row', { name: new RegExp(names.bad) })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(names.good1) })).toHaveCount(0);
});
