import { getJson, num, query, type JsonNumber } from '../api';
import { cssVar, runColor } from '../colors';
import type { AppContext, Change } from '../context';
import { el } from '../dom';
import { context2d, drawAxes, frame } from './canvas';
import { RunTagCardsView, type RunTagCard } from './run-tag-cards';

interface HistogramPoint {
  step: number;
  wallTime: number;
  buckets: JsonNumber[][];
}

const BINS = 40;
const HEIGHT = 260;

/** Counts re-binned onto `BINS` equal bins over [lo, hi], each bucket spread by overlap, as TensorBoard's widget does. */
export function rebin(buckets: [number, number, number][], lo: number, hi: number): number[] {
  const out = new Array<number>(BINS).fill(0);
  const width = (hi - lo) / BINS || 1;
  for (const [l, r, c] of buckets) {
    if (r <= l) {
      const b = Math.min(BINS - 1, Math.max(0, Math.floor((l - lo) / width)));
      out[b]! += c;
      continue;
    }
    for (let b = Math.max(0, Math.floor((l - lo) / width)); b < BINS && lo + b * width < r; b++) {
      const overlap = Math.min(r, lo + (b + 1) * width) - Math.max(l, lo + b * width);
      if (overlap > 0) out[b]! += (c * overlap) / (r - l);
    }
  }
  return out;
}

/** One histogram series: offset (a ridgeline, newest in front) or overlaid. */
class HistogramCard implements RunTagCard {
  readonly root = el('div', { class: 'histogram' });
  private readonly canvas = el('canvas');
  private points: { step: number; buckets: [number, number, number][] }[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly run: string,
    private readonly tag: string,
  ) {
    this.root.append(this.canvas);
  }

  async load(): Promise<void> {
    const res = await getJson<{ points: HistogramPoint[] }>(`api/histograms?${query([['run', this.run], ['tag', this.tag], ['samples', 60]])}`);
    this.points = res.points.map((p) => ({ step: p.step, buckets: p.buckets.map((b) => [num(b[0]), num(b[1]), num(b[2])] as [number, number, number]) }));
    this.draw();
  }

  update(change: Change): void {
    if (change === 'mode' || change === 'theme') this.draw();
  }

  private draw(): void {
    const w = Math.max(240, this.root.clientWidth || 360);
    const g = context2d(this.canvas, w, HEIGHT);
    g.clearRect(0, 0, w, HEIGHT);
    const finite = this.points.flatMap((p) => p.buckets.flatMap((b) => [b[0], b[1]])).filter(Number.isFinite);
    if (this.points.length === 0 || finite.length === 0) return;
    let lo = Math.min(...finite);
    let hi = Math.max(...finite);
    if (hi === lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    const binned = this.points.map((p) => rebin(p.buckets, lo, hi));
    const peak = Math.max(1e-12, ...binned.flat());
    const offset = this.ctx.state.histMode === 'offset';
    const n = this.points.length;
    const ridge = offset ? Math.min(60, (HEIGHT - 40) * 0.5) : HEIGHT - 40;
    const shift = offset && n > 1 ? (HEIGHT - 40 - ridge) / (n - 1) : 0;
    const f = frame(w, HEIGHT, [lo, hi], [0, 1], { l: offset ? 12 : 48, r: offset ? 56 : 12, t: 10, b: 24 });
    drawAxes(g, f, [lo, hi], [0, peak], { yTicks: false });
    const color = runColor(this.run);
    const binX = (b: number): number => f.x(lo + ((b + 0.5) * (hi - lo)) / BINS);
    g.lineWidth = 1;
    // Oldest first, so the newest is drawn on top.
    binned.forEach((counts, k) => {
      const base = offset ? f.top + ridge + k * shift : f.bottom;
      const age = n > 1 ? k / (n - 1) : 1;
      g.globalAlpha = offset ? 1 : 0.25 + 0.75 * age;
      g.beginPath();
      g.moveTo(binX(0), base);
      counts.forEach((c, b) => g.lineTo(binX(b), base - (c / peak) * ridge));
      g.lineTo(binX(BINS - 1), base);
      g.closePath();
      if (offset) {
        g.fillStyle = cssVar('--panel');
        g.fill();
      }
      g.fillStyle = color;
      g.globalAlpha = offset ? 0.15 + 0.55 * age : 0.06;
      g.fill();
      g.globalAlpha = offset ? 1 : 0.25 + 0.75 * age;
      g.strokeStyle = color;
      g.stroke();
      if (offset && (k === 0 || k === n - 1 || k % Math.ceil(n / 6) === 0)) {
        g.globalAlpha = 1;
        g.fillStyle = cssVar('--muted');
        g.textAlign = 'left';
        g.textBaseline = 'middle';
        g.fillText(`step ${this.points[k]!.step}`, f.right + 6, base);
      }
    });
    g.globalAlpha = 1;
    this.canvas.dataset['drawn'] = this.ctx.state.histMode;
  }
}

export function histogramsView(ctx: AppContext): RunTagCardsView {
  return new RunTagCardsView(ctx, 'histograms', (run, tag) => new HistogramCard(ctx, run, tag), 'histograms-view');
}
