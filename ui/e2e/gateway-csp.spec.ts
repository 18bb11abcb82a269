import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD, expectSignedIn, login } from './helpers';

/**
 * The real UI through the real gateway (scripts/test-gateway.sh, deploy/nginx/opsconductor.conf.template):
 * its Content-Security-Policy blocks nothing the UI does, and the session lives in a Secure, HttpOnly cookie.
 */
const gateway = process.env.OPSC_GATEWAY_URL;

test.use({ baseURL: gateway, ignoreHTTPSErrors: true });

declare global {
  interface Window {
    __cspViolations?: string[];
    __injected?: number;
  }
}

test('every page passes the gateway Content-Security-Policy and the session survives a reload by cookie', async ({ page, context }) => {
  test.skip(!gateway, 'set OPSC_GATEWAY_URL (scripts/test-gateway.sh start) to check the UI through the gateway');
  const consoleViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content[ -]Security[ -]Policy/i.test(m.text())) consoleViolations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations = [...(window.__cspViolations ?? []), `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`];
    });
  });
  const violations = async () => (await page.evaluate(() => window.__cspViolations ?? [])) as string[];

  const loginPage = await page.goto('/login');
  expect(loginPage?.headers()['content-security-policy']).toContain("script-src 'self'");
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await expect(page.getByTestId('health-cards')).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  for (const [item, url] of [['Runs', /\/runs$/], ['Jobs', /\/jobs$/], ['Targets', /\/targets$/], ['Credentials', /\/credentials$/], ['Users', /\/users$/]] as const) {
    await nav.getByRole('link', { name: item }).click();
    await expect(page).toHaveURL(url);
    await page.waitForLoadState('networkidle');
    expect(await violations(), `CSP violations on ${item}`).toEqual([]);
  }
  await page.goto('/jobs/new');
  await page.waitForLoadState('networkidle');
  expect(await violations(), 'CSP violations in the job editor').toEqual([]);

  // The refresh token is out of reach of scripts: an HttpOnly, Secure, SameSite=Strict cookie on the auth path only.
  const cookie = (await context.cookies()).find((c) => c.name === 'opsc_refresh');
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/v1/auth' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('opsc_refresh');
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(cookie!.value);

  // A full page load: the access token (memory only) is gone, the session resumes with the cookie.
  await page.goto('/');
  await expectSignedIn(page, 'admin');
  expect(await violations()).toEqual([]);
  expect(consoleViolations).toEqual([]);

  // The policy is enforced, and the listener above would have seen a violation: an injected inline script does not run.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = 1';
    document.body.appendChild(script);
  });
  await expect.poll(violations).toContainEqual(expect.stringContaining('script-src'));
  expect(await page.evaluate(() => window.__injected)).toBeUndefined();
});
