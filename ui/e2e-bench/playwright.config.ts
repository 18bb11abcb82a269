import { defineConfig } from '@playwright/test';

/**
 * Benchmarks against a running OpsConductor serving ui/dist (bench/ui-render.sh, bench/ui-runview.sh start one).
 *   OPSC_BASE_URL, OPSC_ADMIN_PASSWORD, CHROMIUM_PATH as in ../playwright.config.ts. No browser is downloaded.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.bench.ts',
  workers: 1,
  retries: 0,
  timeout: 600_000,
  expect: { timeout: 30_000 },
  reporter: [['list', { printSteps: false }]],
  outputDir: '../test-results/bench',
  use: {
    baseURL: process.env.OPSC_BASE_URL ?? 'http://127.0.0.1:5080',
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    },
  },
});
