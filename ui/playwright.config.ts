import { defineConfig } from '@playwright/test';

/**
 * E2E against a running OpsConductor (the backend serves ui/dist).
 *   OPSC_BASE_URL        where it runs (default http://127.0.0.1:5080)
 *   OPSC_ADMIN_PASSWORD  the bootstrap admin's password (user `admin`)
 *   CHROMIUM_PATH        browser binary (default /usr/bin/chromium; no browser is downloaded)
 *   OPSC_IGNORE_HTTPS_ERRORS=1  accept a self-signed certificate (scripts/topology.sh's gateway)
 *   OPSC_E2E_MOCK=1      start e2e/mock-backend.mjs on :5090 (serving dist/) instead of a real backend
 *   OPSC_E2E_IGNORE      a glob of specs to leave out (test.sh runs the session-refresh spec, which mostly waits, beside the rest)
 *   OPSC_E2E_OUTPUT      the run's output folder (default test-results; a run beside another needs its own)
 */
const mock = process.env.OPSC_E2E_MOCK === '1';
if (mock) {
  process.env.OPSC_BASE_URL ??= 'http://127.0.0.1:5090';
  process.env.OPSC_ADMIN_PASSWORD ??= 'Admin-Password-123';
}
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  testIgnore: process.env.OPSC_E2E_IGNORE ? [process.env.OPSC_E2E_IGNORE] : [],
  workers: 1,
  fullyParallel: false,
  retries: 0,
  outputDir: process.env.OPSC_E2E_OUTPUT ?? 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  webServer: mock
    ? { command: 'node e2e/mock-backend.mjs', env: { PORT: '5090' }, url: 'http://127.0.0.1:5090/health', reuseExistingServer: false }
    : undefined,
  use: {
    baseURL: process.env.OPSC_BASE_URL ?? 'http://127.0.0.1:5080',
    viewport: { width: 1280, height: 800 },
    ignoreHTTPSErrors: process.env.OPSC_IGNORE_HTTPS_ERRORS === '1',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
