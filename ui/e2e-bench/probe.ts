import type { BrowserContext, Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the benchmarks read in the page: long tasks and frame gaps over 100 ms, from the page's start. */
export type Span = { start: number; duration: number };
export type Probe = { longTasks: Span[]; gaps: Span[]; frames: number };

/** Records long tasks (PerformanceObserver 'longtask', > 50 ms) and gaps between animation frames over 100 ms in every page of the context. */
export async function installProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __probe: Probe };
    const probe: Probe = { longTasks: [], gaps: [], frames: 0 };
    w.__probe = probe;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    let last = 0;
    const tick = (t: number) => {
      if (last && t - last > 100) probe.gaps.push({ start: last, duration: t - last });
      last = t;
      probe.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

export const readProbe = (page: Page) => page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);

/** Time to interactive of the run page: the run header (h2 + status) and the target list (title + a first row) visible. */
export async function waitForInteractive(page: Page, targets: number): Promise<number> {
  const handle = await page.waitForFunction(
    (n) => {
      const h = document.querySelector('main h2');
      const status = document.querySelector('[data-testid="run-status"]');
      const title = [...document.querySelectorAll('main h4')].find((e) => e.textContent === `Targets (${n})`);
      const row = document.querySelector('main [data-testid^="run-target-"]');
      return h && status && title && row && row.getBoundingClientRect().height > 0 ? performance.now() : false;
    },
    targets,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** When the first output line is on screen: in an open step's output or, for a large run's rows, a row's last line. */
export async function waitForFirstOutput(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => ([...document.querySelectorAll('[data-testid="target-last-line"], [data-testid="step-output"] [data-stream]')].some((e) => e.textContent) ? performance.now() : false),
    null,
    { polling: 50, timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** When the run's status is final. */
export async function waitForFinal(page: Page, timeout: number): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const s = document.querySelector('[data-testid="run-status"]')?.textContent;
      return s === 'succeeded' || s === 'failed' || s === 'cancelled' || s === 'timed out' ? performance.now() : false;
    },
    null,
    { polling: 250, timeout },
  );
  return (await handle.jsonValue()) as number;
}

/** The spans that overlap [from, to]. */
export const spansIn = (xs: Span[], from: number, to: number) => xs.filter((x) => x.start + x.duration >= from && x.start <= to);
export const maxMs = (xs: { duration: number }[]) => Math.round(Math.max(0, ...xs.map((x) => x.duration)));

/** Prints the results as a Markdown table and writes them to test-results/<file>. */
export function report(results: Record<string, number | string>[], file: string): void {
  const cols = Object.keys(results[0]);
  const lines = [`| ${cols.join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`, ...results.map((r) => `| ${cols.map((c) => r[c]).join(' | ')} |`)];
  console.log('\n' + lines.join('\n') + '\n');
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, file), JSON.stringify(results, null, 2));
}
