import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD, expectSignedIn, login, logout, screenshot } from './helpers';

test.beforeAll(() => {
  if (!ADMIN_PASSWORD) throw new Error('Set OPSC_ADMIN_PASSWORD to the admin password of the backend under test');
});

test('a wrong password shows an error and keeps the user on the login page', async ({ page }) => {
  await page.goto('/login');
  await screenshot(page, 'login');
  await login(page, 'admin', `${ADMIN_PASSWORD}-wrong`);
  await expect(page.getByTestId('login-error')).toBeVisible();
  await expect(page.getByTestId('login-error')).not.toBeEmpty();
  await expect(page).toHaveURL(/\/login$/);
  await screenshot(page, 'login-error');
});

test('pages that need a session send a signed-out visitor to the login page', async ({ page }) => {
  await page.goto('/users');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('admin signs in, sees service health and the admin navigation, and the session survives a reload', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await expect(page.getByTestId('health-cards')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  for (const item of ['Dashboard', 'Runs', 'Jobs', 'Targets', 'Credentials', 'Users']) {
    await expect(nav.getByRole('link', { name: item })).toBeVisible();
  }
  await screenshot(page, 'dashboard');

  await page.reload();
  await expectSignedIn(page, 'admin');

  // Tablet width: the navigation folds behind the burger.
  await page.setViewportSize({ width: 820, height: 1100 });
  await expect(page.getByRole('button', { name: 'Toggle navigation' })).toBeVisible();
  await screenshot(page, 'dashboard-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByLabel(/Switch to (dark|light) theme/).first().click();
  await screenshot(page, 'dashboard-theme-toggled');
  await page.getByLabel(/Switch to (dark|light) theme/).first().click();

  await logout(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
});

test('the refresh token is out of reach of page scripts: an HttpOnly cookie on the auth path, nothing in storage', async ({ page, context }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  const cookie = (await context.cookies()).find((c) => c.name === 'opsc_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('opsc_refresh');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(stored).not.toContain(cookie!.value);
  expect(stored).not.toContain('opsconductor.refreshToken');
});

test('a session whose refresh token is no longer accepted ends on the login page with a notice', async ({ page, context }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  const cookie = (await context.cookies()).find((c) => c.name === 'opsc_refresh')!;
  await context.addCookies([{ ...cookie, value: 'revoked-or-expired' }]);
  await page.reload();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('session-notice')).toHaveText('Your session has expired');
  await screenshot(page, 'login-session-expired');
});
