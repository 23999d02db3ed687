import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, as CI installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Console errors, uncaught exceptions, failed responses and requests to any other origin (nothing from a CDN). */
export function collectErrors(page: Page, origin: string): string[] {
  const errors: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:') && url !== 'about:blank')
      errors.push(`request to another origin: ${url}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return errors;
}

/** What the viewer exposes for tests: the charts as drawn. */
export interface DrawnRun {
  run: string;
  x: number[];
  steps: number[];
  walls: number[];
  raw: number[];
  smoothed: number[];
}
export interface ChartDebug {
  tag: string;
  runs: string[];
  shown: string[];
  data: (number | null | undefined)[][];
  drawn: DrawnRun[];
  zoomed: boolean;
}

/** The few DOM shapes the tests read inside the page (the tests compile without the DOM library). */
export interface PageGlobals {
  __featherboard?: { ready: boolean };
  document: {
    querySelector(
      selector: string,
    ): { complete: boolean; naturalWidth: number; getAttribute(name: string): string | null } | null;
  };
}

/** Element-wise equality up to rounding: the browser's Math.pow may differ from Node's in the last bit. */
export function expectClose(got: ArrayLike<number | null | undefined>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number;
    const w = want[i] as number;
    if (Number.isFinite(w)) expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w)));
    else expect(g).toBe(w);
  }
}

/** The drawn charts (only those scrolled into view exist). */
export async function drawnCharts(page: Page): Promise<ChartDebug[]> {
  return page.evaluate(() => {
    const fb = (globalThis as unknown as { __featherboard?: { debug: () => unknown } }).__featherboard;
    return (fb?.debug() ?? []) as ChartDebug[];
  });
}

/** Wait until `pick` finds what it wants among the drawn charts. */
export async function waitForChart<T>(
  page: Page,
  pick: (charts: ChartDebug[]) => T | undefined,
  timeoutMs = 10000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = pick(await drawnCharts(page));
    if (found !== undefined) return found;
    if (Date.now() > end) {
      const drawn = (await drawnCharts(page)).map((c) => [c.tag, c.shown]);
      throw new Error(`chart condition not met within ${timeoutMs} ms; drawn: ${JSON.stringify(drawn)}`);
    }
    await page.waitForTimeout(50);
  }
}
