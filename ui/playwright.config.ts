import { defineConfig } from '@playwright/test';

/**
 * E2E against a running OpsConductor (the backend serves ui/dist).
 *   OPSC_BASE_URL        where it runs (default http://127.0.0.1:5080)
 *   OPSC_ADMIN_PASSWORD  the bootstrap admin's password (user `admin`)
 *   CHROMIUM_PATH        browser binary (default /usr/bin/chromium; no browser is downloaded)
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: process.env.OPSC_BASE_URL ?? 'http://127.0.0.1:5080',
    viewport: { width: 1280, height: 800 },
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
