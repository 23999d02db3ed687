import { promises as fs, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LOGDIRS, readGolden } from '../support/golden-form';
import { collectErrors, launchChromium, waitForChart, type ChartDebug } from './support/browser';
import { writeSyntheticRun } from './support/synthetic-run';
import { ensureViewerBuilt, startViewerServer, type ViewerServer } from './support/viewer-server';

/**
 * Panning and wheel-zooming scalar charts (each new window read again at full
 * resolution) and the histogram view's every-step ridgeline with its hover
 * readout, in a real browser over the fixture logdirs plus one long run.
 */
const SHOTS = path.resolve(__dirname, '..', '..', 'test-output');
/** Long enough that the unzoomed chart is downsampled by the server. */
const LONG_STEPS = 20000;
/** More histogram steps than the server sends by default (TensorBoard keeps 500). */
const HISTO_STEPS = 1200;
const LONG_RUN = 'synthetic/long';

/** The long run's scalar, as written (simple_value is a float32). */
const longValue = (step: number): number => Math.fround(Math.sin(step / 300) + step * 1e-4);

/** A bell of 200 values whose centre drifts from 0 to 2 over the run, in 24 buckets over [-3, 5]. */
function driftingHistogram(step: number): { min: number; max: number; bucketLimit: number[]; bucket: number[] } {
  const centre = (2 * step) / HISTO_STEPS;
  const bucketLimit = Array.from({ length: 24 }, (_, i) => -3 + ((i + 1) * 8) / 24);
  const bucket = bucketLimit.map((right) =>
    Math.round((200 * 0.33 * Math.exp(-((right - 1 / 6 - centre) ** 2) / 2)) / Math.sqrt(2 * Math.PI)),
  );
  return { min: -3, max: 5, bucketLimit, bucket };
}

interface Chart extends ChartDebug {
  xRange: [number, number];
  loading: boolean;
}

interface HistogramDebug {
  run: string;
  tag: string;
  mode: string;
  steps: number[];
  drawnSteps: number[];
  frame: { left: number; right: number; top: number; bottom: number; lo: number; hi: number } | null;
  bases: number[];
}

let browser: Browser;
let server: ViewerServer;
let page: Page;
let errors: string[];
let logdir: string;

jest.setTimeout(90000);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  logdir = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-pan-'));
  await fs.cp(LOGDIRS, logdir, { recursive: true });
  await writeSyntheticRun(
    path.join(logdir, ...LONG_RUN.split('/')),
    (function* () {
      for (let step = 0; step < LONG_STEPS; step++) {
        const histograms = step < HISTO_STEPS ? { many_steps: driftingHistogram(step) } : undefined;
        yield { step, scalars: { long_loss: longValue(step) }, ...(histograms ? { histograms } : {}) };
      }
    })(),
  );
  await ensureViewerBuilt();
  server = await startViewerServer(logdir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  errors = collectErrors(page, 'http://127.0.0.1:');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (logdir) await fs.rm(logdir, { recursive: true, force: true });
});

async function open(hash: string): Promise<void> {
  await page.goto(`${server.url}#${hash}`);
  await page.waitForFunction(
    () => (globalThis as unknown as { __featherboard?: { ready: boolean } }).__featherboard?.ready === true,
  );
}

/** The one chart of `tag` once it is drawn, settled (no read under way) and passes `ok`. */
function settled(tag: string, ok: (c: Chart) => boolean = () => true) {
  return (charts: ChartDebug[]): Chart | undefined => {
    const c = (charts as Chart[]).find((x) => x.tag === tag);
    return c && !c.loading && c.drawn.length > 0 && c.drawn[0]!.x.length > 0 && ok(c) ? c : undefined;
  };
}

/** The /api/scalars reads the page makes for a tag, as their minStep/maxStep. */
function scalarReads(tag: string): { minStep: string | null; maxStep: string | null }[] {
  const seen: { minStep: string | null; maxStep: string | null }[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.endsWith('/api/scalars') && url.searchParams.get('tag') === tag)
      seen.push({ minStep: url.searchParams.get('minStep'), maxStep: url.searchParams.get('maxStep') });
  });
  return seen;
}

const width = (r: [number, number]): number => r[1] - r[0];

describe('scalar charts: pan and wheel zoom', () => {
  it('shift+drag pans by the drag and reads the new window; middle drag pans back; double-click resets', async () => {
    const golden = readGolden('tf2').runs.scalars!.tags.loss!.points.map((p) => p.step);
    await open('tab=scalars&tags=^loss$&runs=^tf2/scalars$&smoothing=0');
    await waitForChart(page, settled('loss'));
    const over = page.locator('.chart-card[data-tag="loss"] .u-over');
    const box = (await over.boundingBox())!;
    const y = box.y + box.height / 2;
    const at = (f: number): number => box.x + box.width * f;

    // Drag to zoom, as before.
    await page.mouse.move(at(0.2), y);
    await page.mouse.down();
    await page.mouse.move(at(0.6), y, { steps: 5 });
    await page.mouse.up();
    const zoomed = await waitForChart(
      page,
      settled('loss', (c) => c.zoomed && c.drawn[0]!.steps.length < golden.length),
    );
    const r0 = zoomed.xRange;
    const reads = scalarReads('loss');

    // Shift+drag from 60 % to 40 % of the plot: the window moves right by a fifth of the plot width.
    await page.keyboard.down('Shift');
    await page.mouse.move(at(0.6), y);
    await page.mouse.down();
    await page.mouse.move(at(0.4), y, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const shift = 0.2 * width(r0);
    const onePixel = width(r0) / box.width;
    const panned = await waitForChart(
      page,
      settled('loss', (c) => Math.abs(c.xRange[0] - (r0[0] + shift)) < onePixel),
    );
    expect(panned.zoomed).toBe(true);
    expect(Math.abs(panned.xRange[0] - (r0[0] + shift))).toBeLessThan(onePixel);
    expect(Math.abs(panned.xRange[1] - (r0[1] + shift))).toBeLessThan(onePixel);
    // The points of the new window were read again: exactly TensorBoard's steps inside it.
    const last = reads[reads.length - 1]!;
    expect(Number(last.minStep)).toBe(Math.floor(panned.xRange[0]));
    expect(Number(last.maxStep)).toBe(Math.ceil(panned.xRange[1]));
    const inWindow = (r: [number, number]): number[] =>
      golden.filter((s) => s >= Math.floor(r[0]) && s <= Math.ceil(r[1])).sort((a, b) => a - b);
    expect(panned.drawn[0]!.steps).toEqual(inWindow(panned.xRange));
    expect(panned.drawn[0]!.steps).not.toEqual(zoomed.drawn[0]!.steps);
    await page.screenshot({ path: path.join(SHOTS, 'scalars-panned.png') });

    // A middle-button drag the other way brings the window back.
    await page.mouse.move(at(0.4), y);
    await page.mouse.down({ button: 'middle' });
    await page.mouse.move(at(0.6), y, { steps: 8 });
    await page.mouse.up({ button: 'middle' });
    const back = await waitForChart(
      page,
      settled('loss', (c) => Math.abs(c.xRange[0] - r0[0]) < onePixel),
    );
    expect(Math.abs(back.xRange[1] - r0[1])).toBeLessThan(onePixel);
    expect(back.drawn[0]!.steps).toEqual(inWindow(back.xRange));

    await over.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    const reset = await waitForChart(
      page,
      settled('loss', (c) => !c.zoomed),
    );
    expect(reset.drawn[0]!.steps).toEqual([...golden].sort((a, b) => a - b));
  });

  it('ctrl+wheel zooms at the cursor down to every point; a pan then reads every point of the new window', async () => {
    await open(`tab=scalars&tags=^long_loss$&runs=^${LONG_RUN}$&smoothing=0`);
    const whole = await waitForChart(page, settled('long_loss'));
    // The whole run is sent downsampled (fewer points than written), first and last kept.
    expect(whole.drawn[0]!.steps.length).toBeLessThan(LONG_STEPS);
    expect(whole.drawn[0]!.steps[0]).toBe(0);
    expect(whole.drawn[0]!.steps[whole.drawn[0]!.steps.length - 1]).toBe(LONG_STEPS - 1);
    const r0 = whole.xRange;
    const over = page.locator('.chart-card[data-tag="long_loss"] .u-over');
    const box = (await over.boundingBox())!;
    // A whole pixel: the browser's clientX is one, and zooming in 35× magnifies any fraction of it.
    const px = Math.round(box.x + box.width * 0.3);
    const fx = (px - box.x) / box.width;
    const anchor = r0[0] + fx * width(r0);

    await page.mouse.move(px, box.y + box.height / 2);
    await page.keyboard.down('Control');
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    const zoomed = await waitForChart(
      page,
      settled('long_loss', (c) => c.zoomed && width(c.xRange) < width(r0) / 20 && c.drawn[0]!.steps.length > 2),
    );
    // The value under the cursor stayed under the cursor.
    expect(Math.abs((anchor - zoomed.xRange[0]) / width(zoomed.xRange) - fx)).toBeLessThan(1e-3);
    const every = (r: [number, number]): number[] => {
      const out: number[] = [];
      for (let s = Math.max(0, Math.floor(r[0])); s <= Math.min(LONG_STEPS - 1, Math.ceil(r[1])); s++) out.push(s);
      return out;
    };
    // Full resolution: every written step of the window, with its written value.
    expect(zoomed.drawn[0]!.steps).toEqual(every(zoomed.xRange));
    expect(zoomed.drawn[0]!.raw).toEqual(zoomed.drawn[0]!.steps.map(longValue));
    expect(await page.textContent('.chart-card[data-tag="long_loss"] .status')).toBe('zoomed · every point');

    // Shift+drag right by a quarter of the plot: the window moves left, its points are read again in full.
    const onePixel = width(zoomed.xRange) / box.width;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const expected = zoomed.xRange[0] - 0.25 * width(zoomed.xRange);
    const panned = await waitForChart(
      page,
      settled(
        'long_loss',
        (c) =>
          Math.abs(c.xRange[0] - expected) < onePixel && c.drawn[0]!.steps[0] === Math.max(0, Math.floor(c.xRange[0])),
      ),
    );
    expect(panned.drawn[0]!.steps).toEqual(every(panned.xRange));
    expect(panned.drawn[0]!.raw).toEqual(panned.drawn[0]!.steps.map(longValue));
    expect(Math.min(...panned.drawn[0]!.steps)).toBeLessThan(Math.min(...zoomed.drawn[0]!.steps));
    await page.screenshot({ path: path.join(SHOTS, 'scalars-wheel-zoom-pan.png') });

    // Zooming out past the whole run goes back to it.
    await page.keyboard.down('Control');
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 100);
    await page.keyboard.up('Control');
    const out = await waitForChart(
      page,
      settled('long_loss', (c) => !c.zoomed),
    );
    expect(out.drawn[0]!.steps[out.drawn[0]!.steps.length - 1]).toBe(LONG_STEPS - 1);
  });

  it('on the relative-time axis a wheel zoom and a pan also read every point of the window', async () => {
    await open(`tab=scalars&tags=^long_loss$&runs=^${LONG_RUN}$&smoothing=0&x=relative`);
    const whole = await waitForChart(
      page,
      settled('long_loss', (c) => c.drawn[0]!.x[0] === 0),
    );
    expect(whole.drawn[0]!.steps.length).toBeLessThan(LONG_STEPS);
    const over = page.locator('.chart-card[data-tag="long_loss"] .u-over');
    const box = (await over.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.6, y);
    await page.keyboard.down('Control');
    for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    // Every written point whose time falls in the window (wall times are 0.01 s apart), with its value.
    const everyIn = (c: Chart): void => {
      const d = c.drawn[0]!;
      const inside = d.x.filter((x) => x >= c.xRange[0] && x <= c.xRange[1]).length;
      const firstIdx = d.x.findIndex((x) => x >= c.xRange[0]);
      const first = d.steps[firstIdx]!;
      expect(inside).toBeGreaterThan(10);
      // The points reach both edges of the window (none missing at either end).
      expect(d.x[firstIdx]! - c.xRange[0]).toBeLessThan(0.0101);
      expect(c.xRange[1] - d.x[firstIdx + inside - 1]!).toBeLessThan(0.0101);
      expect(d.steps.slice(d.steps.indexOf(first), d.steps.indexOf(first) + inside)).toEqual(
        Array.from({ length: inside }, (_, i) => first + i),
      );
      expect(d.raw).toEqual(d.steps.map(longValue));
    };
    const zoomed = await waitForChart(
      page,
      settled('long_loss', (c) => c.zoomed && width(c.xRange) < width(whole.xRange) / 20),
    );
    everyIn(zoomed);
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.6, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, y, { steps: 10 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const expected = zoomed.xRange[0] + 0.4 * width(zoomed.xRange);
    const panned = await waitForChart(
      page,
      settled('long_loss', (c) => Math.abs(c.xRange[0] - expected) < width(zoomed.xRange) / box.width),
    );
    everyIn(panned);
    expect(Math.max(...panned.drawn[0]!.steps)).toBeGreaterThan(Math.max(...zoomed.drawn[0]!.steps));
  });
});

async function histogramCard(
  run: string,
  tag: string,
  ok: (h: HistogramDebug) => boolean = () => true,
): Promise<HistogramDebug> {
  const end = Date.now() + 10000;
  for (;;) {
    const cards = (await page.evaluate(() =>
      (globalThis as unknown as { __featherboard: { debug: () => unknown } }).__featherboard.debug(),
    )) as HistogramDebug[];
    const c = cards.find((x) => x.run === run && x.tag === tag && x.frame !== null);
    if (c && ok(c)) return c;
    if (Date.now() > end)
      throw new Error(
        `histogram ${run} ${tag} not drawn: ${JSON.stringify(cards.map((x) => [x.run, x.tag, x.steps.length]))}`,
      );
    await page.waitForTimeout(50);
  }
}

describe('histograms: every step and a hover readout', () => {
  it('draws every stored step of a fixture series (beyond the old 60-step sample for long runs)', async () => {
    const run = 'tf1_restart/session_restart';
    const golden = readGolden('tf1_restart').runs.session_restart!.tags.activations!.points.map((p) => p.step);
    await open(`tab=histograms&tags=^activations$&runs=^${run}$`);
    const card = await histogramCard(run, 'activations');
    expect(card.steps).toEqual(golden);
    expect(card.drawnSteps).toEqual(golden);
  });

  it('shows every step the API sends for a long run (first and last included)', async () => {
    await open(`tab=histograms&tags=^many_steps$&runs=^${LONG_RUN}$`);
    const card = await histogramCard(LONG_RUN, 'many_steps');
    const api = (await (
      await page.request.get(`${server.url}api/histograms?run=${encodeURIComponent(LONG_RUN)}&tag=many_steps`)
    ).json()) as { total: number; points: { step: number }[] };
    expect(api.total).toBe(HISTO_STEPS);
    expect(card.steps).toEqual(api.points.map((p) => p.step));
    expect(card.steps.length).toBeGreaterThan(60);
    expect(card.steps[0]).toBe(0);
    expect(card.steps[card.steps.length - 1]).toBe(HISTO_STEPS - 1);
    expect(card.drawnSteps).toEqual(card.steps);
    await page
      .locator(`section.card[data-tag="many_steps"] canvas`)
      .first()
      .screenshot({ path: path.join(SHOTS, 'histogram-many-steps.png') });
  });

  it('the tooltip (offset mode) shows the step, the bucket range and its count from TensorBoard data', async () => {
    const run = 'tf2/histograms';
    const points = readGolden('tf2').runs.histograms!.tags.normal!.points;
    await open(`tab=histograms&tags=^normal$&runs=^${run}$&hist=offset`);
    const card = await histogramCard(run, 'normal', (h) => h.mode === 'offset');
    const canvas = (await page.locator('section.card[data-tag="normal"] canvas').first().boundingBox())!;
    const f = card.frame!;
    const tooltip = page.locator('section.card[data-tag="normal"] .histogram-tooltip');
    for (const k of [0, Math.floor(card.drawnSteps.length / 2), card.drawnSteps.length - 1]) {
      const step = card.drawnSteps[k]!;
      const buckets = points.find((p) => p.step === step)!.value as [number, number, number][];
      // The fullest bucket of that step, hovered in its middle just above the ridge's baseline.
      const [l, r, count] = buckets.reduce((a, b) => (b[2] > a[2] ? b : a));
      const x = f.left + (((l + r) / 2 - f.lo) / (f.hi - f.lo)) * (f.right - f.left);
      await page.mouse.move(canvas.x + x, canvas.y + card.bases[k]! - 2);
      await tooltip.waitFor({ state: 'visible' });
      const rows = Object.fromEntries(
        await tooltip
          .locator('tr')
          .evaluateAll((trs) =>
            trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]),
          ),
      );
      expect(rows.Step).toBe(String(step));
      expect(Number(rows.Count)).toBe(count);
      const [shownL, shownR] = rows.Bucket!.split(' to ').map(Number);
      expect(Math.abs(shownL! - l)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(l)));
      expect(Math.abs(shownR! - r)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(r)));
      if (k === Math.floor(card.drawnSteps.length / 2))
        await page
          .locator('section.card[data-tag="normal"]')
          .screenshot({ path: path.join(SHOTS, 'histogram-tooltip.png') });
    }
    // Leaving the chart hides it.
    await page.mouse.move(canvas.x + canvas.width + 50, canvas.y - 50);
    await tooltip.waitFor({ state: 'hidden' });
  });
});

it('logs no console errors', () => {
  expect(errors).toEqual([]);
});
