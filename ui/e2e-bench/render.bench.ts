import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Render time of the dashboard and every list page: navigation start → the page's first data row (for the dashboard:
 * every card filled, no skeleton left) visible, read in the page with performance.now() (0 = navigation start) on an
 * animation frame. Each page is loaded with a full reload (page.goto), OPSC_RENDER_LOADS times (default 5):
 *   cold: HTTP cache disabled (every script, stylesheet and API answer from the host), one new tab per load;
 *   warm: HTTP cache on, after one unmeasured load of the same page.
 * Prints a Markdown table; figures also in test-results/ui-render.json.
 */
const PASSWORD = process.env.OPSC_ADMIN_PASSWORD ?? '';
const LOADS = Number(process.env.OPSC_RENDER_LOADS ?? 5);

type PageSpec = { name: string; path: string; ready: string };
// `ready` is evaluated in the page; true once the data is on screen.
const rowVisible = `(() => { const r = document.querySelector('main tbody tr'); return !!r && r.getBoundingClientRect().height > 0 && !document.querySelector('main [data-testid="loading"]'); })()`;
const PAGES: PageSpec[] = [
  {
    name: 'Dashboard',
    path: '/',
    ready: `(() => !!document.querySelector('[data-testid="run-counts"]') && !document.querySelector('main .mantine-Skeleton-root') && !!document.querySelector('main tbody tr'))()`,
  },
  { name: 'Targets', path: '/targets', ready: rowVisible },
  { name: 'Jobs', path: '/jobs', ready: rowVisible },
  { name: 'Runs (history)', path: '/runs', ready: rowVisible },
  { name: 'Users', path: '/users', ready: rowVisible },
  { name: 'Credentials', path: '/credentials', ready: rowVisible },
];

async function loadOnce(page: Page, spec: PageSpec): Promise<{ ms: number; rows: number; dcl: number }> {
  await page.goto(spec.path, { waitUntil: 'commit' });
  const ms = (await (
    await page.waitForFunction(`(${spec.ready}) ? performance.now() : false`, null, { polling: 'raf', timeout: 30_000 }).catch(async (e) => {
      throw new Error(`${spec.name}: ${e}\nurl ${page.url()}\n${(await page.locator('body').innerText()).slice(0, 1500)}`);
    })
  ).jsonValue()) as number;
  const extra = await page.evaluate(() => ({
    rows: document.querySelectorAll('main tbody tr').length,
    dcl: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? 0,
  }));
  expect(page.url()).not.toContain('/login');
  return { ms, ...extra };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: Math.round(mid), max: Math.round(s[s.length - 1]), min: Math.round(s[0]) };
};

test('list pages and dashboard render time on a large installation', async ({ browser, request, baseURL }) => {
  // The access token lives in memory only and the refresh token is single-use (rotated), so every new context gets
  // its own session: a fresh API login whose refresh token is put where the app keeps it. A full reload then costs
  // what it costs a user: POST /auth/refresh before the page's own requests.
  const storage = async () => {
    const res = await request.post('/api/v1/auth/login', { data: { username: 'admin', password: PASSWORD } });
    expect(res.ok(), await res.text()).toBeTruthy();
    const { refreshToken } = await res.json();
    return { cookies: [], origins: [{ origin: new URL(baseURL!).origin, localStorage: [{ name: 'opsconductor.refreshToken', value: refreshToken }] }] };
  };
  const results: Record<string, unknown>[] = [];
  for (const spec of PAGES) {
    for (const mode of ['cold', 'warm'] as const) {
      const times: number[] = [];
      const dcls: number[] = [];
      let rows = 0;
      // cold: a fresh context per load (empty cache), cache disabled; warm: one context and tab, an unmeasured first load.
      let ctx: BrowserContext | undefined;
      let p: Page | undefined;
      for (let i = 0; i < LOADS + (mode === 'warm' ? 1 : 0); i++) {
        if (!ctx || mode === 'cold') {
          ctx = await browser.newContext({ storageState: await storage() });
          p = await ctx.newPage();
          const cdp = await ctx.newCDPSession(p);
          await cdp.send('Network.enable');
          await cdp.send('Network.setCacheDisabled', { cacheDisabled: mode === 'cold' });
        }
        const r = await loadOnce(p!, spec);
        if (mode === 'cold') await ctx.close();
        if (mode === 'warm' && i === 0) continue;
        times.push(r.ms);
        dcls.push(r.dcl);
        rows = r.rows;
      }
      if (mode === 'warm') await ctx!.close();
      const t = stats(times);
      results.push({ page: spec.name, path: spec.path, mode, ...t, domContentLoadedMedian: stats(dcls).median, rows, all: times.map(Math.round) });
    }
  }

  const lines = [
    `| page | path | load | median ms | max ms | min ms | DOMContentLoaded median ms | rows shown | all ${LOADS} loads ms |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.page} | \`${r.path}\` | ${r.mode} | ${r.median} | ${r.max} | ${r.min} | ${r.domContentLoadedMedian} | ${r.rows} | ${(r.all as number[]).join(', ')} |`),
  ];
  console.log('\n' + lines.join('\n') + '\n');
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'ui-render.json'), JSON.stringify(results, null, 2));
});
