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
