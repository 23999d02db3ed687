import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES } from '../support/golden-form';
import { collectErrors, launchChromium } from './support/browser';
import { ensureViewerBuilt, startViewerServer, type ViewerServer } from './support/viewer-server';

/**
 * The Projector tab in a real browser (Debian's chromium) over the logdir
 * PyTorch and tensorboardX wrote with add_embedding: every embedding is
 * offered, the scatter is the PCA numpy computes (fixtures/projector_fixtures.py
 * pca.json, compared up to the sign of each component), and hovering a point
 * shows its metadata label.
 */
interface Drawn {
  run: string;
  name: string;
  labels: string[];
  xs: number[];
  ys: number[];
  px: [number, number][];
}
interface NumpyPca {
  run: string;
  name: string;
  xs: number[];
  ys: number[];
}

const PCA = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'server-golden', 'projector', 'pca.json'), 'utf8'),
) as NumpyPca[];

const SHOTS = path.resolve(__dirname, '..', '..', 'test-output');

let browser: Browser;
let server: ViewerServer;
let page: Page;
let errors: string[];

jest.setTimeout(60000);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await ensureViewerBuilt();
  server = await startViewerServer(path.join(FIXTURES, 'projector'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  errors = collectErrors(page, 'http://127.0.0.1:');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function drawn(name: string): Promise<Drawn> {
  await page.waitForFunction((n) => {
    const fb = (globalThis as unknown as { __featherboard?: { debug: () => { name?: string } | undefined } })
      .__featherboard;
    return fb?.debug()?.name === n;
  }, name);
  return page.evaluate(() =>
    (globalThis as unknown as { __featherboard: { debug: () => Drawn } }).__featherboard.debug(),
  );
}

/** Equal to numpy's coordinates, each component up to its sign. */
function expectSamePca(got: number[], want: number[]): void {
  const sign = Math.sign(got.reduce((s, g, i) => s + g * want[i]!, 0)) || 1;
  const scale = Math.max(...want.map(Math.abs));
  got.forEach((g, i) => {
    expect(Math.abs(sign * g - want[i]!)).toBeLessThan(1e-6 * scale);
  });
}

it('offers every embedding and draws the PCA of each with its labels on hover', async () => {
  await page.goto(`${server.url}#tab=projector`);
  await page.waitForSelector('[data-tab="projector"][aria-selected="true"]');
  // The picker fills once the embeddings' listing has arrived.
  await page.waitForSelector('.projector-view select option', { state: 'attached' });
  const options = await page.$$eval('.projector-view select option', (os) => os.map((o) => o.textContent));
  expect(options).toEqual([
    'pytorch / digits:00000 (6×4)',
    'pytorch / words:00001 (5×3)',
    'tensorboardx / word vectors:00000 (4×3)',
  ]);

  const expectedLabels: Record<string, string[]> = {
    'digits:00000': ['zero', 'one', 'two', 'three', 'four', 'five'],
    'words:00001': ['cat', 'dog', 'oak', 'fir', 'ant'],
    'word vectors:00000': ['a', 'b', 'c', 'd'],
  };
  for (const [i, truth] of PCA.entries()) {
    if (i > 0) await page.selectOption('.projector-view select', String(i));
    const d = await drawn(truth.name);
    expect(d.run).toBe(truth.run);
    expect(d.labels).toEqual(expectedLabels[truth.name]);
    expectSamePca(d.xs, truth.xs);
    expectSamePca(d.ys, truth.ys);

    // Hover the last point: its label shows.
    const box = (await page.locator('.projector-canvas').boundingBox())!;
    const last = d.px.length - 1;
    await page.mouse.move(box.x + d.px[last]![0], box.y + d.px[last]![1]);
    await page.waitForSelector('.projector-tip:not([hidden])');
    expect(await page.textContent('.projector-tip')).toBe(d.labels[last]);
    if (i === 0) await page.screenshot({ path: path.join(SHOTS, 'projector.png') });
  }
  expect(errors).toEqual([]);
});
