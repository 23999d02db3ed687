import { promises as fs, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { smooth } from '../../src/common/smoothing';
import { LOGDIRS, readGolden, type GoldenPoint } from '../support/golden-form';
import { runCli } from '../support/run-cli';
import { appendScalar } from './support/append-event';
import {
  collectErrors,
  drawnCharts,
  expectClose,
  launchChromium,
  waitForChart,
  type ChartDebug,
  type PageGlobals,
} from './support/browser';
import { ensureViewerBuilt, startViewerServer, type ViewerServer } from './support/viewer-server';

/**
 * The viewer in a real browser (Debian's chromium, headless) over a copy of
 * every fixture logdir, checked the way a person would look at it.
 */
const SHOTS = path.resolve(__dirname, '..', '..', 'test-output');
const WRITERS = ['tf2', 'keras', 'pytorch', 'tensorboardx', 'tf1_restart'];

let browser: Browser;
let server: ViewerServer;
let page: Page;
let errors: string[];
let logdir: string;

jest.setTimeout(60000);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  logdir = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-viewer-'));
  await fs.cp(LOGDIRS, logdir, { recursive: true });
  await ensureViewerBuilt();
  server = await startViewerServer(logdir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // Every request stays on the local servers of this test: nothing from a CDN.
  errors = collectErrors(page, 'http://127.0.0.1:');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (logdir) await fs.rm(logdir, { recursive: true, force: true });
});

/** What `featherboard export --format csv` writes for these runs and tags of the served logdir. */
function exportCsv(runs: string, tags: string): string {
  const result = runCli([
    'export',
    '--logdir',
    logdir,
    '--format',
    'csv',
    '--out',
    '-',
    '--runs',
    runs,
    '--tags',
    tags,
  ]);
  expect(result.status).toBe(0);
  return result.stdout;
}

/** Open the viewer at a URL state and wait for the app to be up. */
async function open(hash: string): Promise<void> {
  await page.goto(`${server.url}#${hash}`);
  await page.waitForFunction(
    () => (globalThis as unknown as { __featherboard?: { ready: boolean } }).__featherboard?.ready === true,
  );
}

/** The run name a fixture run gets when the whole fixtures folder is the logdir. */
function fullRun(writer: string, run: string): string {
  return run === '.' ? writer : `${writer}/${run}`;
}

function goldenNumber(p: GoldenPoint): number {
  const v = (p as unknown as { value: number | string }).value;
  return typeof v === 'number' ? v : Number(v);
}

function chart(tag: string, runs?: string[]) {
  return (charts: ChartDebug[]): ChartDebug | undefined =>
    charts.find(
      (c) =>
        c.tag === tag &&
        c.drawn.length > 0 &&
        (runs === undefined || c.shown.join('\n') === runs.join('\n')) &&
        c.drawn.every((d) => d.x.length > 0),
    );
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('scalars', () => {
  it('has a chart for every scalar tag of every fixture writer', async () => {
    await open('tab=scalars');
    const shown = new Set(await page.$$eval('.chart-card', (cards) => cards.map((c) => c.getAttribute('data-tag'))));
    for (const writer of WRITERS) {
      for (const golden of Object.values(readGolden(writer).runs)) {
        for (const tag of golden.plugins.scalars ?? []) expect(shown).toContain(tag);
      }
    }
    await page.screenshot({ path: path.join(SHOTS, 'scalars-all.png') });
  });

  it.each(WRITERS)('draws %s values exactly as TensorBoard read them', async (writer) => {
    const golden = readGolden(writer);
    const [run, data] = Object.entries(golden.runs).find(([, r]) => (r.plugins.scalars ?? []).length > 0)!;
    const tag = data.plugins.scalars![0]!;
    const name = fullRun(writer, run);
    await open(`tab=scalars&tags=${encodeURIComponent(`^${esc(tag)}$`)}&runs=${encodeURIComponent(`^${esc(name)}$`)}`);
    const c = await waitForChart(page, chart(tag, [name]));
    const points = [...data.tags[tag]!.points]
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p.step - b.p.step || a.i - b.i);
    expect(c.drawn[0]!.steps).toEqual(points.map(({ p }) => p.step));
    expect(c.drawn[0]!.raw).toEqual(points.map(({ p }) => goldenNumber(p)));
  });

  it('smoothing slider redraws with TensorBoard smoothing', async () => {
    await open('tab=scalars&tags=^loss$&runs=^tf2/scalars$');
    const before = await waitForChart(page, chart('loss', ['tf2/scalars']));
    const raw = before.drawn[0]!.raw;
    expectClose(before.drawn[0]!.smoothed, smooth(raw, 0.6));
    const plot = page.locator('.chart-card[data-tag="loss"] .plot');
    const pixelsBefore = await plot.screenshot();

    await page.fill('.smoothing-value', '0.95');
    await page.dispatchEvent('.smoothing-value', 'change');
    const after = await waitForChart(page, (cs) =>
      cs.find((c) => c.tag === 'loss' && c.drawn[0]!.smoothed[3] !== before.drawn[0]!.smoothed[3]),
    );
    expectClose(after.drawn[0]!.smoothed, smooth(raw, 0.95));
    // Drawn: uPlot's series 2 is the smoothed line.
    expectClose(after.data[2]!, smooth(raw, 0.95));
    expect(Buffer.compare(await plot.screenshot(), pixelsBefore)).not.toBe(0);
    expect(page.url()).toContain('smoothing=0.95');
  });

  it('run checkboxes and the run filter hide lines', async () => {
    await open('tab=scalars&tags=^epoch_loss$&runs=^keras/');
    await waitForChart(page, chart('epoch_loss', ['keras/train', 'keras/validation']));
    await page.uncheck('input[type=checkbox][data-run="keras/validation"]');
    const one = await waitForChart(page, chart('epoch_loss', ['keras/train']));
    expect(one.data).toHaveLength(3); // x, raw, smoothed of a single run
    await page.check('input[type=checkbox][data-run="keras/validation"]');
    await waitForChart(page, chart('epoch_loss', ['keras/train', 'keras/validation']));
    await page.fill('input[aria-label="Filter runs"]', 'validation');
    await waitForChart(page, chart('epoch_loss', ['keras/validation']));
    expect(await page.$$eval('.run-list input', (xs) => xs.map((x) => x.getAttribute('data-run')))).toEqual([
      'keras/validation',
    ]);
  });

  it('draws charts only once they scroll into view', async () => {
    await open('tab=scalars');
    const cards = await page.locator('.chart-card').count();
    await waitForChart(page, (cs) => (cs.length > 0 ? cs : undefined));
    const drawnAtTop = (await drawnCharts(page)).length;
    expect(drawnAtTop).toBeLessThan(cards);
    await page.locator('.chart-card').last().scrollIntoViewIfNeeded();
    await waitForChart(page, (cs) => (cs.some((c) => c.tag === 'x') || cs.length > drawnAtTop ? cs : undefined));
    expect((await drawnCharts(page)).length).toBeGreaterThan(drawnAtTop);
  });

  it('x axis by relative and wall time, log scale y', async () => {
    await open('tab=scalars&tags=^loss$&runs=^tf2/scalars$');
    const byStep = await waitForChart(page, chart('loss', ['tf2/scalars']));
    await page.selectOption('select[aria-label="Horizontal axis"]', 'relative');
    const rel = await waitForChart(page, (cs) =>
      cs.find((c) => c.tag === 'loss' && c.drawn[0]!.x[0] === 0 && c.drawn[0]!.x[1] !== 1),
    );
    const walls = rel.drawn[0]!.walls;
    expect(rel.drawn[0]!.x).toEqual(walls.map((w) => w - walls[0]!));
    await page.selectOption('select[aria-label="Horizontal axis"]', 'wall');
    await waitForChart(page, (cs) => cs.find((c) => c.tag === 'loss' && c.drawn[0]!.x[0] === walls[0]));
    expect(page.url()).toContain('x=wall');
    await page.selectOption('select[aria-label="Horizontal axis"]', 'step');
    await page.check('.side input[type=checkbox]:not([data-run])');
    const log = await waitForChart(page, (cs) =>
      cs.find((c) => c.tag === 'loss' && c.drawn[0]!.x.join() === byStep.drawn[0]!.x.join()),
    );
    expect(page.url()).toContain('log=1');
    // Values ≤ 0 cannot be drawn on a log scale: they become gaps, the rest stay.
    expect(log.data[1]!.filter((v) => v !== null && v !== undefined).every((v) => (v as number) > 0)).toBe(true);
  });

  it('downloads a chart as CSV and JSON with every point', async () => {
    await open('tab=scalars&tags=^epoch_loss$&runs=^keras/');
    await waitForChart(page, chart('epoch_loss', ['keras/train', 'keras/validation']));
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.chart-card[data-tag="epoch_loss"] button:text("CSV")'),
    ]);
    const text = await fs.readFile((await csv.path())!, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('run,tag,step,wall_time,value');
    const golden = readGolden('keras').runs;
    expect(lines).toHaveLength(
      1 + golden.train!.tags.epoch_loss!.points.length + golden.validation!.tags.epoch_loss!.points.length,
    );
    // Export's columns and numbers: the same file `featherboard export --format csv` writes.
    expect(text).toBe(exportCsv('^keras/(train|validation)$', '^epoch_loss$'));
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.chart-card[data-tag="epoch_loss"] button:text("JSON")'),
    ]);
    const body = JSON.parse(await fs.readFile((await json.path())!, 'utf8')) as {
      runs: Record<string, { step: number; value: number }[]>;
    };
    expect(body.runs['keras/train']!.map((p) => p.value)).toEqual(
      golden.train!.tags.epoch_loss!.points.map(goldenNumber),
    );
  });

  it('downloads non-finite values spelled as export spells them', async () => {
    await open('tab=scalars&tags=^special_values$&runs=^tf2/scalars$');
    await waitForChart(page, chart('special_values', ['tf2/scalars']));
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.chart-card[data-tag="special_values"] button:text("CSV")'),
    ]);
    const text = await fs.readFile((await csv.path())!, 'utf8');
    expect(text).toContain('\ntf2/scalars,special_values,1,1795792629.319791,NaN\n');
    expect(text).toBe(exportCsv('^tf2/scalars$', '^special_values$'));
  });

  it('shows a live point while keeping the zoom, and double-click resets', async () => {
    await open('tab=scalars&tags=^loss$&runs=^tf2/scalars$&smoothing=0');
    const first = await waitForChart(page, chart('loss', ['tf2/scalars']));
    const n = first.drawn[0]!.steps.length;
    const over = page.locator('.chart-card[data-tag="loss"] .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    // The zoomed range is read again (at full resolution): fewer points than the whole series.
    const zoomed = await waitForChart(page, (cs) =>
      cs.find((c) => c.tag === 'loss' && c.zoomed && c.drawn[0]!.steps.length < n),
    );
    await page.screenshot({ path: path.join(SHOTS, 'scalars-zoomed.png') });

    const file = path.join(logdir, 'tf2', 'scalars', (await fs.readdir(path.join(logdir, 'tf2', 'scalars')))[0]!);
    // A point inside the zoomed window (same step again, as after a restart without purge).
    const inside = zoomed.drawn[0]!.steps[1]!;
    await appendScalar(file, 'loss', inside, 123.5);
    await server.loader.reload();
    const live = await waitForChart(page, (cs) => cs.find((c) => c.tag === 'loss' && c.drawn[0]!.raw.includes(123.5)));
    expect(live.zoomed).toBe(true);

    await over.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    const reset = await waitForChart(page, (cs) =>
      cs.find((c) => c.tag === 'loss' && !c.zoomed && c.drawn[0]!.steps.length === n + 1),
    );
    expect(reset.drawn[0]!.raw).toContain(123.5);

    // A point far past the end appears without a reload, as the writer flushes it.
    await appendScalar(file, 'loss', 5000, -7.25);
    await server.loader.reload();
    const tail = await waitForChart(page, (cs) => cs.find((c) => c.tag === 'loss' && c.drawn[0]!.steps.includes(5000)));
    expect(tail.drawn[0]!.raw[tail.drawn[0]!.steps.indexOf(5000)]).toBe(-7.25);
  });
});

describe('other views', () => {
  it('image slider walks through every step', async () => {
    await open('tab=images&tags=^rgb$&runs=^tf2/media$');
    const img = page.locator('section.card[data-tag="rgb"] img');
    await page.waitForFunction(() => {
      const i = (globalThis as unknown as PageGlobals).document.querySelector('section.card[data-tag="rgb"] img');
      return i?.complete && i.naturalWidth > 0;
    });
    const srcLast = await img.getAttribute('src');
    const frame = page.locator('section.card[data-tag="rgb"] .image-frame');
    const pixelsLast = await frame.screenshot();
    expect(await page.textContent('section.card[data-tag="rgb"] .step-label')).toContain('3/3');

    await page.locator('section.card[data-tag="rgb"] input[type=range]').fill('0');
    await page.waitForFunction((before) => {
      const i = (globalThis as unknown as PageGlobals).document.querySelector('section.card[data-tag="rgb"] img');
      return i !== null && i.getAttribute('src') !== before && i.complete && i.naturalWidth > 0;
    }, srcLast);
    expect(await page.textContent('section.card[data-tag="rgb"] .step-label')).toContain('step 0 · 1/3');
    expect(Buffer.compare(await frame.screenshot(), pixelsLast)).not.toBe(0);
    // Step 0 has two samples.
    expect(await page.locator('section.card[data-tag="rgb"] select option').count()).toBe(2);
  });

  it.each(['images', 'audio', 'histograms', 'distributions', 'text', 'pr_curves', 'hparams', 'graphs'])(
    'renders the %s tab',
    async (tab) => {
      await open(`tab=${tab}`);
      expect(await page.getAttribute(`.tab[data-tab="${tab}"]`, 'aria-selected')).toBe('true');
      const selector = tab === 'hparams' ? 'table.hparams tbody tr' : tab === 'graphs' ? '.graphs-view svg' : '.card';
      await page.waitForSelector(selector);
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(SHOTS, `${tab}.png`) });
    },
  );

  it('histograms switch between offset and overlay', async () => {
    await open('tab=histograms&tags=^normal$&runs=^tf2/histograms$');
    const canvas = page.locator('section.card[data-tag="normal"] canvas');
    await page.waitForSelector('section.card[data-tag="normal"] canvas[data-drawn="offset"]');
    const offset = await canvas.screenshot();
    await page.selectOption('select[aria-label="Histogram mode"]', 'overlay');
    await page.waitForSelector('section.card[data-tag="normal"] canvas[data-drawn="overlay"]');
    expect(Buffer.compare(await canvas.screenshot(), offset)).not.toBe(0);
    expect(page.url()).toContain('hist=overlay');
  });

  it('shows tabs only for kinds with data, and the arrow keys move between them', async () => {
    await open('tab=scalars');
    const tabs = await page.$$eval('.tab', (ts) => ts.map((t) => t.getAttribute('data-tab')));
    expect(tabs).toEqual([
      'scalars',
      'images',
      'audio',
      'histograms',
      'distributions',
      'text',
      'pr_curves',
      'hparams',
      'graphs',
    ]);
    await page.focus('.tab[data-tab="scalars"]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('.tab[data-tab="images"][aria-selected="true"]');
    expect(page.url()).toContain('tab=images');

    const empty = await startViewerServer(await fs.mkdtemp(path.join(os.tmpdir(), 'fb-empty-')));
    try {
      await page.goto(empty.url);
      await page.waitForSelector('.empty-note');
      expect(await page.locator('.tab').count()).toBe(0);
    } finally {
      await empty.close();
    }
  });
});

it('logs no console errors', () => {
  expect(errors).toEqual([]);
});
