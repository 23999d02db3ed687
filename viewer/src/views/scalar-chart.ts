import uPlot from 'uplot';
import type { ScalarRowJson } from '../../../src/common/responses/tensorboard';
import type { ScalarSeriesJson } from '../../../src/common/responses/viewer-api';
import { scalarCsv } from '../../../src/common/scalar-csv';
import { smooth } from '../../../src/common/smoothing';
import { fetchScalars, getJson, num, query } from '../api';
import { cssVar, runColor, withAlpha } from '../colors';
import type { AppContext } from '../context';
import { download, el, formatDuration, formatNumber, formatTime } from '../dom';
import { singleXRange } from './canvas';
import { ChartNavigation, type XRange } from './chart-navigation';

/** What one run holds for this chart, in arrival order. */
interface RunPoints {
  steps: number[];
  walls: number[];
  values: number[];
  cursor: string;
  downsampled: boolean;
  /** The server's smoothing over every point, at these points, and the weight it used. */
  smoothed?: number[];
  smoothedWith?: number;
}

/** One run as drawn: sorted by x, with its smoothed values. */
interface DrawnRun {
  run: string;
  x: number[];
  steps: number[];
  walls: number[];
  raw: number[];
  smoothed: number[];
}

type Zoom = XRange;

const HEIGHT = 230;
/** Points kept per run before a live chart re-reads itself downsampled. */
const REFETCH_FACTOR = 8;

function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function nearest(xs: number[], x: number): number {
  const i = lowerBound(xs, x);
  if (i === 0) return 0;
  if (i >= xs.length) return xs.length - 1;
  return x - (xs[i - 1] as number) <= (xs[i] as number) - x ? i - 1 : i;
}

/**
 * One tag's line chart: a faint raw line and a smoothed line per run, drawn
 * with uPlot once the card scrolls into view. Drag selects a range and fetches
 * it at full resolution; shift+drag (or a middle-button drag) pans the window
 * and ctrl+wheel zooms around the cursor, each fetching the new window at full
 * resolution; double-click goes back to the whole series.
 */
export class ScalarChart {
  readonly card: HTMLElement;
  private readonly plotEl: HTMLElement;
  private readonly tooltip: HTMLElement;
  private readonly status: HTMLElement;
  private u: uPlot | undefined;
  private signature = '';
  private readonly points = new Map<string, RunPoints>();
  /** Wall time each run started at (from the unzoomed read), for the relative axis. */
  private readonly starts = new Map<string, number>();
  private drawn: DrawnRun[] = [];
  /** The last unzoomed drawing: maps any x window to steps on the time axes. */
  private overview: DrawnRun[] = [];
  /** Only the newest read may draw (pans and wheel zooms fire several). */
  private loadSeq = 0;
  private readonly nav = new ChartNavigation({
    current: () => this.currentRange(),
    preview: (r) => this.previewRange(r),
    commit: (r, final) => this.commitRange(r, final),
  });
  private zoom: Zoom | undefined;
  private runs: string[] = [];
  private active = false;
  private visible = false;
  private stale = false;
  private loading: Promise<void> | undefined;
  private reloadAgain = false;
  private readonly liveRuns = new Set<string>();
  private readonly resize: ResizeObserver;
  private resmoothTimer: number | undefined;

  constructor(
    readonly tag: string,
    private readonly ctx: AppContext,
    description: string,
  ) {
    this.plotEl = el('div', { class: 'plot' });
    this.tooltip = el('div', { class: 'tooltip', hidden: true });
    this.status = el('span', { class: 'status' });
    const csv = el('button', { class: 'ghost', title: 'Download every point as CSV', text: 'CSV' });
    const json = el('button', { class: 'ghost', title: 'Download every point as JSON', text: 'JSON' });
    csv.addEventListener('click', () => void this.downloadAll('csv'));
    json.addEventListener('click', () => void this.downloadAll('json'));
    this.card = el(
      'section',
      { class: 'card chart-card', 'data-tag': tag },
      el('header', {}, el('h3', { title: description || tag, text: tag }), this.status, csv, json),
      this.plotEl,
      this.tooltip,
    );
    this.plotEl.style.height = `${HEIGHT}px`;
    this.resize = new ResizeObserver(() => {
      if (this.u && this.plotEl.clientWidth > 0) this.u.setSize({ width: this.plotEl.clientWidth, height: HEIGHT });
    });
    this.resize.observe(this.plotEl);
    ctx.visibility.watch(this.card, (v) => this.setVisible(v));
  }

  /** The runs to draw (already filtered by the shell). */
  setRuns(runs: string[]): void {
    const before = this.runs.join('\n');
    this.runs = runs;
    if (before === runs.join('\n')) return;
    if (!this.active) return;
    const missing = runs.filter((r) => !this.points.has(r));
    if (missing.length > 0) void this.load(missing);
    else this.draw();
  }

  private setVisible(v: boolean): void {
    this.visible = v;
    if (!v) return;
    if (!this.active) {
      this.active = true;
      void this.load(this.runs);
    } else if (this.stale) {
      this.stale = false;
      void this.load(this.runs);
    }
  }

  private width(): number {
    return Math.max(200, this.plotEl.clientWidth || 600);
  }

  /** Read the given runs (all when zoom changes) in the current range, replacing what they held. */
  private async load(runs: string[]): Promise<void> {
    if (runs.length === 0) {
      this.draw();
      return;
    }
    this.status.textContent = 'loading…';
    const seq = ++this.loadSeq;
    try {
      const smoothing = this.ctx.state.smoothing;
      const series = await fetchScalars({ tag: this.tag, runs, width: this.width(), smoothing, ...this.stepRange() });
      if (seq !== this.loadSeq) return;
      for (const s of series) this.take(s, true, smoothing);
      this.status.textContent = this.describe();
      this.draw();
    } catch (err) {
      if (seq !== this.loadSeq) return;
      this.status.textContent = 'failed';
      this.ctx.reportError(`scalars ${this.tag}`, err);
    }
  }

  private stepRange(): { minStep?: number; maxStep?: number } {
    if (this.zoom === undefined) return {};
    if (this.ctx.state.xAxis === 'step') return { minStep: this.zoom.xMin, maxStep: this.zoom.xMax };
    // Other axes: the steps of the points inside the window, one neighbour either side,
    // read off the whole-series drawing so a window panned past what is held still maps.
    const all = this.overview.length > 0 && this.runs.every((r) => this.overview.some((d) => d.run === r));
    let lo = Infinity;
    let hi = -Infinity;
    for (const d of all ? this.overview : this.drawn) {
      if (d.x.length === 0) continue;
      const a = Math.max(0, lowerBound(d.x, this.zoom.xMin) - 1);
      const b = lowerBound(d.x, this.zoom.xMax);
      // Past the last point drawn (live points may have come since): leave the top open.
      if (b >= d.x.length) hi = Infinity;
      for (let i = a; i <= Math.min(b, d.x.length - 1); i++) {
        lo = Math.min(lo, d.steps[i] as number);
        hi = Math.max(hi, d.steps[i] as number);
      }
    }
    if (!Number.isFinite(lo)) return {};
    return hi === Infinity ? { minStep: lo } : { minStep: lo, maxStep: hi };
  }

  private take(s: ScalarSeriesJson, replace: boolean, smoothing: number): void {
    const values = s.values.map(num);
    const smoothed = s.smoothed?.map(num);
    const prev = this.points.get(s.run);
    if (s.missing) {
      this.points.set(s.run, { steps: [], walls: [], values: [], cursor: s.cursor, downsampled: false });
      return;
    }
    if (replace || s.reset || prev === undefined) {
      const p: RunPoints = { steps: s.steps, walls: s.wallTimes, values, cursor: s.cursor, downsampled: s.downsampled };
      if (smoothed !== undefined) {
        p.smoothed = smoothed;
        p.smoothedWith = smoothing;
      }
      this.points.set(s.run, p);
      if (this.zoom === undefined && s.wallTimes.length > 0)
        this.starts.set(s.run, Math.min(...s.wallTimes.slice(0, 1000)));
    } else {
      prev.steps.push(...s.steps);
      prev.walls.push(...s.wallTimes);
      prev.values.push(...values);
      prev.cursor = s.cursor;
      prev.downsampled ||= s.downsampled;
      if (prev.smoothed !== undefined && smoothed !== undefined && prev.smoothedWith === smoothing)
        prev.smoothed.push(...smoothed);
      else delete prev.smoothed;
    }
  }

  private describe(): string {
    const down = [...this.points.values()].some((p) => p.downsampled);
    return this.zoom ? (down ? 'zoomed' : 'zoomed · every point') : down ? 'downsampled' : '';
  }

  /** Live: new points in a run. Fetch only what is new, keep the zoom. */
  onData(run: string): void {
    if (!this.runs.includes(run)) return;
    if (!this.active || !this.visible) {
      this.stale = this.active;
      return;
    }
    this.liveRuns.add(run);
    if (this.loading) {
      this.reloadAgain = true;
      return;
    }
    this.loading = this.fetchNew().finally(() => {
      this.loading = undefined;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        this.onData(run);
      }
    });
  }

  private async fetchNew(): Promise<void> {
    const runs = [...this.liveRuns];
    this.liveRuns.clear();
    const since = runs.map((r) => this.points.get(r)?.cursor ?? '0.0.0');
    try {
      const smoothing = this.ctx.state.smoothing;
      const series = await fetchScalars({
        tag: this.tag,
        runs,
        width: this.width(),
        since,
        smoothing,
        ...this.stepRange(),
      });
      for (const s of series) this.take(s, false, smoothing);
      const tooMany = [...this.points.values()].some((p) => p.steps.length > REFETCH_FACTOR * this.width());
      if (tooMany && this.zoom === undefined) await this.load(this.runs);
      else this.draw();
    } catch (err) {
      this.ctx.reportError(`live ${this.tag}`, err);
    }
  }

  /** The smoothing weight changed: redraw now; downsampled runs get the server's exact smoothing shortly after. */
  resmooth(): void {
    if (!this.active) return;
    this.draw();
    if (![...this.points.values()].some((p) => p.downsampled)) return;
    clearTimeout(this.resmoothTimer);
    this.resmoothTimer = window.setTimeout(() => {
      if (this.visible) void this.load(this.runs);
      else this.stale = true;
    }, 250);
  }

  /** Axis or theme changed: redraw from what is held (x axis changes drop the zoom). */
  redraw(recreate: boolean): void {
    if (recreate) {
      this.signature = '';
      if (this.zoom !== undefined) {
        this.zoom = undefined;
        if (this.active) void this.load(this.runs);
        return;
      }
    }
    if (this.active) this.draw();
  }

  private build(): void {
    const { xAxis, smoothing } = this.ctx.state;
    this.drawn = this.runs.map((run) => {
      const p = this.points.get(run) ?? { steps: [], walls: [], values: [], cursor: '', downsampled: false };
      const start = this.starts.get(run) ?? p.walls[0] ?? 0;
      const xOf = (i: number): number =>
        xAxis === 'step'
          ? (p.steps[i] as number)
          : xAxis === 'wall'
            ? (p.walls[i] as number)
            : (p.walls[i] as number) - start;
      const order = p.steps.map((_, i) => i);
      order.sort((a, b) => xOf(a) - xOf(b) || a - b);
      const raw = order.map((i) => p.values[i] as number);
      // A downsampled line is smoothed by the server over every point; a full one here, at once.
      const server = p.downsampled && p.smoothed !== undefined && p.smoothedWith === smoothing ? p.smoothed : undefined;
      return {
        run,
        x: order.map(xOf),
        steps: order.map((i) => p.steps[i] as number),
        walls: order.map((i) => p.walls[i] as number),
        raw,
        smoothed: server ? order.map((i) => server[i] as number) : Array.from(smooth(raw, smoothing)),
      };
    });
    if (this.zoom === undefined) this.overview = this.drawn;
  }

  /** [x, raw of each run…, smoothed of each run…]: every faint raw line is drawn under every smoothed one. */
  private alignedData(): uPlot.AlignedData {
    const logY = this.ctx.state.logY;
    const plottable = (v: number): number | null => (!Number.isFinite(v) || (logY && v <= 0) ? null : v);
    const tables: uPlot.AlignedData[] = this.drawn.map(
      (d) => [d.x, d.raw.map(plottable), d.smoothed.map(plottable)] as uPlot.AlignedData,
    );
    if (tables.length === 0) return [[]];
    const joined = tables.length === 1 ? (tables[0] as uPlot.AlignedData) : uPlot.join(tables);
    const n = tables.length;
    return [
      joined[0],
      ...Array.from({ length: n }, (_, k) => joined[1 + 2 * k]!),
      ...Array.from({ length: n }, (_, k) => joined[2 + 2 * k]!),
    ] as uPlot.AlignedData;
  }

  private draw(): void {
    this.build();
    const data = this.alignedData();
    const { xAxis, logY, smoothing } = this.ctx.state;
    const sig = [xAxis, logY, this.runs.join('\n'), cssVar('--fg')].join('|');
    if (this.u && sig === this.signature) {
      this.u.setData(data, this.zoom === undefined);
      this.applySeriesStyle(smoothing);
    } else {
      this.u?.destroy();
      this.signature = sig;
      this.u = new uPlot(this.options(), data, this.plotEl);
      this.nav.attach(this.u);
      this.applySeriesStyle(smoothing);
    }
    if (this.zoom) this.u.setScale('x', { min: this.zoom.xMin, max: this.zoom.xMax });
    this.card.classList.toggle(
      'empty',
      this.drawn.every((d) => d.x.length === 0),
    );
  }

  private applySeriesStyle(smoothing: number): void {
    // With no smoothing the "smoothed" line is the raw line: hide the faint copy.
    const u = this.u;
    if (!u) return;
    this.drawn.forEach((_, k) => {
      const rawIdx = 1 + k;
      const want = smoothing > 0;
      if (u.series[rawIdx]?.show !== want) u.setSeries(rawIdx, { show: want });
    });
  }

  private options(): uPlot.Options {
    const { xAxis, logY } = this.ctx.state;
    const fg = cssVar('--muted');
    const grid = cssVar('--grid');
    const series: uPlot.Series[] = [{}];
    for (const d of this.drawn)
      series.push({
        label: `${d.run} (raw)`,
        stroke: withAlpha(runColor(d.run), 0.22),
        width: 1,
        spanGaps: true,
        points: { show: false },
      });
    for (const d of this.drawn) {
      const color = runColor(d.run);
      // uPlot shows the points of a sparse line by itself (a one-point series would be invisible otherwise).
      series.push({ label: d.run, stroke: color, width: 1.75, spanGaps: true, points: { size: 5, fill: color } });
    }
    const xValues = (_u: uPlot, splits: number[]): string[] =>
      splits.map((v) => (xAxis === 'relative' ? formatDuration(v) : formatNumber(v)));
    return {
      width: this.width(),
      height: HEIGHT,
      legend: { show: false },
      series,
      // A single x value gets a little room either side instead of uPlot's default 0–100.
      scales: { x: { time: xAxis === 'wall', range: singleXRange }, y: logY ? { distr: 3 } : {} },
      axes: [
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          ...(xAxis === 'wall' ? {} : { values: xValues }),
        },
        {
          stroke: fg,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          size: 56,
          values: (_u, splits) => splits.map(formatNumber),
        },
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { size: 6 },
        bind: {
          mousedown: this.nav.mousedown,
          dblclick: () => () => {
            this.resetZoom();
            return null;
          },
        },
      },
      hooks: {
        setSelect: [(u) => this.onSelect(u)],
        setCursor: [(u) => this.showTooltip(u)],
      },
    };
  }

  private onSelect(u: uPlot): void {
    const { left, width } = u.select;
    if (width < 4) return;
    const xMin = u.posToVal(left, 'x');
    const xMax = u.posToVal(left + width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.zoom = { xMin, xMax };
    void this.load(this.runs);
  }

  /** The x window shown now: the zoom, or the whole drawn range. */
  private currentRange(): XRange | undefined {
    if (this.zoom) return this.zoom;
    const x = this.u?.scales.x;
    if (x?.min === undefined || x.max === undefined || x.min === null || x.max === null || !(x.max > x.min))
      return undefined;
    return { xMin: x.min, xMax: x.max };
  }

  private previewRange(r: XRange): void {
    this.zoom = r;
    this.u?.setScale('x', { min: r.xMin, max: r.xMax });
  }

  /**
   * A pan or wheel zoom settled on `r`: read its points at full resolution (or all of them when it covers everything).
   */
  private commitRange(r: XRange, final: boolean): void {
    this.zoom = r;
    const [lo, hi] = this.dataExtent();
    if (final && r.xMin <= lo && r.xMax >= hi) {
      this.resetZoom();
      return;
    }
    void this.load(this.runs);
  }

  /** Smallest and largest x of the whole series (from the unzoomed drawing). */
  private dataExtent(): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (const d of this.overview) {
      if (d.x.length === 0) continue;
      lo = Math.min(lo, d.x[0] as number);
      hi = Math.max(hi, d.x[d.x.length - 1] as number);
    }
    return [lo, hi];
  }

  private resetZoom(): void {
    if (this.zoom === undefined) {
      this.u?.setData(this.u.data, true);
      return;
    }
    this.zoom = undefined;
    void this.load(this.runs);
  }

  private showTooltip(u: uPlot): void {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    if (idx === null || idx === undefined || left < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const x = u.posToVal(left, 'x');
    const { smoothing } = this.ctx.state;
    const rows: HTMLElement[] = [];
    for (const d of this.drawn) {
      if (d.x.length === 0) continue;
      const i = nearest(d.x, x);
      const start = this.starts.get(d.run) ?? d.walls[0] ?? 0;
      rows.push(
        el(
          'tr',
          {},
          el('td', {}, el('span', { class: 'swatch', style: `background:${runColor(d.run)}` })),
          el('td', { class: 'run', text: d.run }),
          el('td', { class: 'num', text: smoothing > 0 ? formatNumber(d.smoothed[i] as number) : '' }),
          el('td', { class: 'num', text: formatNumber(d.raw[i] as number) }),
          el('td', { class: 'num', text: String(d.steps[i]) }),
          el('td', { class: 'num', text: formatDuration((d.walls[i] as number) - start) }),
          el('td', { text: formatTime(d.walls[i] as number) }),
        ),
      );
    }
    const head = el(
      'tr',
      {},
      ...['', 'Run', smoothing > 0 ? 'Smoothed' : '', 'Value', 'Step', 'Relative', 'Time'].map((h) =>
        el('th', { text: h }),
      ),
    );
    this.tooltip.replaceChildren(el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)));
    this.tooltip.hidden = rows.length === 0;
    const box = this.plotEl.getBoundingClientRect();
    const cardBox = this.card.getBoundingClientRect();
    const over = u.over.getBoundingClientRect();
    const tipW = this.tooltip.offsetWidth;
    let px = over.left - cardBox.left + left + 16;
    if (px + tipW > cardBox.width) px = Math.max(4, over.left - cardBox.left + left - tipW - 16);
    this.tooltip.style.left = `${px}px`;
    this.tooltip.style.top = `${box.bottom - cardBox.top + 4}px`;
  }

  /**
   * Every point of every shown run, read from TensorBoard's scalars route (never downsampled).
   * The CSV is export's (`featherboard export --format csv`): its columns and number text.
   */
  private async downloadAll(format: 'csv' | 'json'): Promise<void> {
    const rows: { run: string; points: ScalarRowJson[] }[] = [];
    try {
      for (const run of this.runs) {
        const pts = await getJson<ScalarRowJson[]>(
          `data/plugin/scalars/scalars?${query([
            ['run', run],
            ['tag', this.tag],
          ])}`,
        );
        rows.push({ run, points: pts });
      }
    } catch (err) {
      this.ctx.reportError(`download ${this.tag}`, err);
      return;
    }
    const base = this.tag.replace(/[^\w.-]+/g, '_');
    if (format === 'csv') {
      const series = rows.map((r) => ({
        run: r.run,
        tag: this.tag,
        steps: r.points.map((p) => p[1]),
        wallTimes: r.points.map((p) => p[0]),
        values: r.points.map((p) => num(p[2])),
      }));
      download(`${base}.csv`, 'text/csv', scalarCsv(series));
    } else {
      const out = {
        tag: this.tag,
        runs: Object.fromEntries(
          rows.map((r) => [r.run, r.points.map(([wallTime, step, value]) => ({ step, wallTime, value }))]),
        ),
      };
      download(`${base}.json`, 'application/json', JSON.stringify(out, null, 1));
    }
  }

  /** For tests and debugging: what is drawn. */
  debug():
    | {
        tag: string;
        runs: string[];
        shown: string[];
        data: (number | null | undefined)[][];
        drawn: DrawnRun[];
        zoomed: boolean;
        xRange: [number, number];
        loading: boolean;
      }
    | undefined {
    const u = this.u;
    if (!u) return undefined;
    const shown = this.drawn.filter((_, k) => u.series[1 + this.drawn.length + k]?.show !== false).map((d) => d.run);
    const x = u.scales.x;
    return {
      tag: this.tag,
      runs: [...this.runs],
      shown,
      data: u.data.map((a) => Array.from(a as ArrayLike<number | null | undefined>)),
      drawn: this.drawn,
      zoomed: this.zoom !== undefined,
      xRange: [x?.min ?? NaN, x?.max ?? NaN],
      loading: this.status.textContent === 'loading…' || this.nav.pending(),
    };
  }

  dispose(): void {
    clearTimeout(this.resmoothTimer);
    this.nav.dispose();
    this.resize.disconnect();
    this.u?.destroy();
    this.u = undefined;
  }
}
