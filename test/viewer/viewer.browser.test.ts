import { promises as fs, mkdirSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { smooth } from '../../viewer/src/smoothing';
import { LOGDIRS, readGolden, type GoldenPoint } from '../support/golden-form';
import { appendScalar } from './support/append-event';
import { collectErrors, expectClose, launchChromium, waitForChart, type ChartDebug, type PageGlobals } from './support/browser';
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
  errors = collectErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (logdir) await fs.rm(logdir, { recursive: true, force: true });
});

/** Open the viewer at a URL state and wait for the app to be up. */
async function open(hash: string): Promise<void> {
  await page.goto(`${server.url}#${hash}`);
  await page.waitForFunction(() => (globalThis as unknown as { __featherboard?: { ready: boolean } }).__featherboard?.ready === true);
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
    charts.find((c) => c.tag === tag && c.drawn.length > 0 && (runs === undefined || c.shown.join('\n') === runs.join('\n')) && c.drawn.every((d) => d.x.length > 0));
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('scalars', () => {
  it('has a chart for every scalar tag of every fixture writer', async () => {
    await open('tab=scalars');
    const shown = new Set(await page.$$eval('.chart-card', (cards) => cards.map((c) => c.getAttribute('data-tag'))));
    for (const writer of WRITERS) {
      for (const golden of Object.values(readGolden(writer).runs)) {
        for (const tag of golden.plugins['scalars'] ?? []) expect(shown).toContain(tag);
      }
    }
    await page.screenshot({ path: path.join(SHOTS, 'scalars-all.png') });
  });

  it.each(WRITERS)('draws %s values exactly as TensorBoard read them', async (writer) => {
    const golden = readGolden(writer);
    const [run, data] = Object.entries(golden.runs).find(([, r]) => (r.plugins['scalars'] ?? []).length > 0)!;
    const tag = data.plugins['scalars']![0]!;
    const name = fullRun(writer, run);
    await open(`tab=scalars&tags=${encodeURIComponent(`^${esc(tag)}$`)}&runs=${encodeURIComponent(`^${esc(name)}$`)}`);
    const c = await waitForChart(page, chart(tag, [name]));
    const points = [...data.tags[tag]!.points].map((p, i) => ({ p, i })).sort((a, b) => a.p.step - b.p.step || a.i - b.i);
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
    const after = await waitForChart(page, (cs) => cs.find((c) => c.tag === 'loss' && c.drawn[0]!.smoothed[3] !== before.drawn[0]!.smoothed[3]));
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
    expect(await page.$$eval('.run-list input', (xs) => xs.map((x) => x.getAttribute('data-run')))).toEqual(['keras/validation']);
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
    const zoomed = await waitForChart(page, (cs) => cs.find((c) => c.tag === 'loss' && c.zoomed && c.drawn[0]!.steps.length < n));
    await page.screenshot({ path: path.join(SHOTS, 'scalars-zoomed.png') });

    const file = path.join(logdir, 'tf2', 'scalars', (await fs.readdir(path.join(logdir, 'tf2', 'scalars')))[0]!);
    // A point inside the zoomed window (same step again, as after a restart without purge).
    const inside = zoomed.drawn[0]!.steps[1]!;
    await appendScalar(file, 'loss', inside, 123.5);
    await server.loader.reload();
    const live = await waitForChart(page, (cs) => cs.find((c) => c.tag === 'loss' && c.drawn[0]!.raw.includes(123.5)));
    expect(live.zoomed).toBe(true);

    await over.dblclick({ position: { x: box.width / 2, y: box.height / 2 } });
    const reset = await waitForChart(page, (cs) => cs.find((c) => c.tag === 'loss' && !c.zoomed && c.drawn[0]!.steps.length === n + 1));
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
      return i !== null && i.complete && i.naturalWidth > 0;
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

  it.each(['images', 'audio', 'histograms', 'distributions', 'text', 'pr_curves', 'hparams'])('renders the %s tab', async (tab) => {
    await open(`tab=${tab}`);
    expect(await page.getAttribute(`.tab[data-tab="${tab}"]`, 'aria-selected')).toBe('true');
    const selector = tab === 'hparams' ? 'table.hparams tbody tr' : '.card';
    await page.waitForSelector(selector);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SHOTS, `${tab}.png`) });
  });

  it('shows tabs only for kinds with data', async () => {
    await open('tab=scalars');
    const tabs = await page.$$eval('.tab', (ts) => ts.map((t) => t.getAttribute('data-tab')));
    expect(tabs).toEqual(['scalars', 'images', 'audio', 'histograms', 'distributions', 'text', 'pr_curves', 'hparams']);
  });
});

it('logs no console errors', () => {
  expect(errors).toEqual([]);
});
