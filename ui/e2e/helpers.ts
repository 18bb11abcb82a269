import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ADMIN_PASSWORD = process.env.OPSC_ADMIN_PASSWORD ?? '';
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

export async function login(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function expectSignedIn(page: Page, username: string) {
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 2 })).toBeVisible();
  await expect(page.getByTestId('user-menu')).toContainText(username);
}

export async function logout(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let skeletons and notifications settle so the picture shows the page as a person sees it.
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The API as the admin (a bearer token from a sign-in): `post` expects a 2xx answer and returns its JSON. */
export async function adminApi(request: APIRequestContext) {
  const res = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: ADMIN_PASSWORD } });
  expect(res.ok()).toBeTruthy();
  const headers = { Authorization: `Bearer ${(await res.json()).accessToken}` };
  return {
    post: async (path: string, data: unknown) => {
      const r = await request.post(path, { headers, data });
      expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
      return r.json();
    },
    get: async (path: string) => (await request.get(path, { headers })).json(),
    del: (path: string) => request.delete(path, { headers }),
  };
}
