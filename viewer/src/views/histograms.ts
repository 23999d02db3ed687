import type { HistogramsResponse } from '../../../src/common/responses/viewer-api';
import { evenIndices } from '../../../src/common/sampling';
import { getJson, num, query } from '../api';
import { cssVar, runColor } from '../colors';
import type { AppContext, Change } from '../context';
import { el, formatNumber } from '../dom';
import { context2d, drawAxes, frame } from './canvas';
import { BINS, bucketAt, rebin, type Bucket } from './histogram-math';
import { RunTagCardsView, type RunTagCard } from './run-tag-cards';

const HEIGHT = 260;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/**
 * Ridges drawn at most; past this the drawing is evenly thinned (first and last kept) and the tooltip reads the ridges
 * drawn.
 */
const MAX_DRAWN = 1000;

/** Where things are on the canvas after a draw, for hovering. */
interface Layout {
  left: number;
  right: number;
  top: number;
  bottom: number;
  lo: number;
  hi: number;
  peak: number;
  ridge: number;
  /** Indices into `points` of the ridges drawn, oldest first. */
  drawn: number[];
  /** The baseline (CSS px from the canvas top) of each drawn ridge. */
  bases: number[];
  binned: number[][];
}

/** One histogram series: offset (a ridgeline, newest in front) or overlaid, with a readout on hover. */
class HistogramCard implements RunTagCard {
  readonly root = el('div', { class: 'histogram' });
  private readonly canvas = el('canvas');
  /** The hovered ridge and bucket, drawn over the chart without redrawing it. */
  private readonly marks = svg('svg', { class: 'histogram-marks' });
  private readonly markBand = svg('rect', { class: 'band' });
  private readonly markLine = svg('polyline', { class: 'ridge' });
  private readonly tooltip = el('div', { class: 'tooltip histogram-tooltip', hidden: true });
  private points: { step: number; buckets: Bucket[] }[] = [];
  private layout: Layout | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly run: string,
    private readonly tag: string,
  ) {
    this.marks.append(this.markBand, this.markLine);
    this.root.append(this.canvas, this.marks, this.tooltip);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => this.unhover());
  }

  /** Every step the server keeps for us (its default sample is TensorBoard's 500). */
  async load(): Promise<void> {
    const res = await getJson<HistogramsResponse>(
      `api/histograms?${query([
        ['run', this.run],
        ['tag', this.tag],
      ])}`,
    );
    this.points = res.points.map((p) => ({
      step: p.step,
      buckets: p.buckets.map((b) => [num(b[0]), num(b[1]), num(b[2])] as Bucket),
    }));
    this.draw();
  }

  update(change: Change): void {
    if (change === 'mode' || change === 'theme') this.draw();
  }

  private draw(): void {
    const w = Math.max(240, this.root.clientWidth || 360);
    const g = context2d(this.canvas, w, HEIGHT);
    this.marks.setAttribute('width', String(w));
    this.marks.setAttribute('height', String(HEIGHT));
    this.unhover();
    this.layout = undefined;
    g.clearRect(0, 0, w, HEIGHT);
    const finite = this.points.flatMap((p) => p.buckets.flatMap((b) => [b[0], b[1]])).filter(Number.isFinite);
    if (this.points.length === 0 || finite.length === 0) return;
    let lo = Math.min(...finite);
    let hi = Math.max(...finite);
    if (hi === lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    const drawn = evenIndices(this.points.length, MAX_DRAWN);
    const binned = drawn.map((i) => rebin(this.points[i]!.buckets, lo, hi));
    const peak = Math.max(1e-12, ...binned.flat());
    const offset = this.ctx.state.histMode === 'offset';
    const n = drawn.length;
    const ridge = offset ? Math.min(60, (HEIGHT - 40) * 0.5) : HEIGHT - 40;
    const shift = offset && n > 1 ? (HEIGHT - 40 - ridge) / (n - 1) : 0;
    // Room on the right for the longest step label.
    const longest = drawn
      .map((i) => `step ${this.points[i]!.step}`)
      .reduce((a, b) => (b.length > a.length ? b : a), '');
    const labelRoom = Math.ceil(g.measureText(longest).width) + 10;
    const f = frame(w, HEIGHT, [lo, hi], [0, 1], { l: offset ? 12 : 48, r: offset ? labelRoom : 12, t: 10, b: 24 });
    drawAxes(g, f, [lo, hi], [0, peak], { yTicks: false });
    const color = runColor(this.run);
    const binX = (b: number): number => f.x(lo + ((b + 0.5) * (hi - lo)) / BINS);
    const bases = drawn.map((_, k) => (offset ? f.top + ridge + k * shift : f.bottom));
    const labelEvery = Math.ceil(n / 6);
    const panel = cssVar('--panel');
    const muted = cssVar('--muted');
    // Hundreds of ridges a pixel or two apart: thinner, fainter outlines so the shape still reads.
    const dense = offset && shift < 3;
    g.lineWidth = dense ? 0.6 : 1;
    // Oldest first, so the newest is drawn on top.
    binned.forEach((counts, k) => {
      const base = bases[k]!;
      const age = n > 1 ? k / (n - 1) : 1;
      const curve = new Path2D();
      counts.forEach((c, b) => {
        b === 0 ? curve.moveTo(binX(b), base - (c / peak) * ridge) : curve.lineTo(binX(b), base - (c / peak) * ridge);
      });
      const area = new Path2D();
      area.moveTo(binX(0), base);
      area.addPath(curve);
      area.lineTo(binX(BINS - 1), base);
      area.closePath();
      if (offset) {
        g.globalAlpha = 1;
        g.fillStyle = panel;
        g.fill(area);
      }
      g.fillStyle = color;
      g.globalAlpha = offset ? (dense ? 0.1 + 0.3 * age : 0.15 + 0.55 * age) : 0.06;
      g.fill(area);
      g.globalAlpha = offset ? (dense ? 0.35 + 0.65 * age : 1) : 0.25 + 0.75 * age;
      g.strokeStyle = color;
      g.stroke(curve);
      // Step labels on the right: the first, the last and about four between (not too close to the last).
      const labelled = k === 0 || k === n - 1 || (k % labelEvery === 0 && (n - 1 - k) * shift > 12);
      if (offset && labelled) {
        g.globalAlpha = 1;
        g.fillStyle = muted;
        g.textAlign = 'left';
        g.textBaseline = 'middle';
        g.fillText(`step ${this.points[drawn[k]!]!.step}`, f.right + 6, base);
      }
    });
    g.globalAlpha = 1;
    this.layout = {
      left: f.left,
      right: f.right,
      top: f.top,
      bottom: f.bottom,
      lo,
      hi,
      peak,
      ridge,
      drawn,
      bases,
      binned,
    };
    this.canvas.dataset.drawn = this.ctx.state.histMode;
  }

  /** The drawn ridge under the pointer: offset mode, the first baseline at or below it; overlay, the nearest curve. */
  private ridgeAt(L: Layout, x: number, y: number): number {
    if (this.ctx.state.histMode === 'offset') {
      const k = L.bases.findIndex((b) => b >= y);
      return k === -1 ? L.bases.length - 1 : k;
    }
    const bin = Math.min(BINS - 1, Math.max(0, Math.floor(((x - L.left) / (L.right - L.left)) * BINS)));
    let best = L.binned.length - 1;
    let bestDist = Infinity;
    L.binned.forEach((counts, k) => {
      const d = Math.abs(L.bases[k]! - (counts[bin]! / L.peak) * L.ridge - y);
      if (d <= bestDist) {
        bestDist = d;
        best = k;
      }
    });
    return best;
  }

  private hover(e: MouseEvent): void {
    const L = this.layout;
    const box = this.canvas.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    if (L === undefined || x < L.left || x > L.right || y < L.top - 4 || y > L.bottom) {
      this.unhover();
      return;
    }
    const k = this.ridgeAt(L, x, y);
    const p = this.points[L.drawn[k]!]!;
    const value = L.lo + ((x - L.left) / (L.right - L.left)) * (L.hi - L.lo);
    const b = bucketAt(p.buckets, value);
    if (b === -1) {
      this.unhover();
      return;
    }
    const [left, right, count] = p.buckets[b]!;
    this.mark(L, k, left, right);
    const row = (name: string, text: string): HTMLElement =>
      el('tr', {}, el('th', { text: name }), el('td', { class: 'num', text }));
    this.tooltip.replaceChildren(
      el(
        'table',
        {},
        el(
          'tbody',
          {},
          row('Step', String(p.step)),
          row('Bucket', `${formatNumber(left)} to ${formatNumber(right)}`),
          row('Count', formatNumber(count)),
        ),
      ),
    );
    Object.assign(this.tooltip.dataset, {
      step: String(p.step),
      left: String(left),
      right: String(right),
      count: String(count),
    });
    this.tooltip.hidden = false;
    // Beside the pointer, inside the card.
    const host = this.root.getBoundingClientRect();
    const tipW = this.tooltip.offsetWidth;
    let px = box.left - host.left + x + 14;
    if (px + tipW > host.width) px = Math.max(0, box.left - host.left + x - tipW - 14);
    this.tooltip.style.left = `${px}px`;
    this.tooltip.style.top = `${Math.max(0, box.top - host.top + y - this.tooltip.offsetHeight - 10)}px`;
  }

  /** Outline the hovered ridge and shade its bucket (an SVG layer over the canvas, so the chart is not redrawn). */
  private mark(L: Layout, k: number, left: number, right: number): void {
    const px = (v: number): number => L.left + ((v - L.lo) / (L.hi - L.lo)) * (L.right - L.left);
    const base = L.bases[k]!;
    const x0 = Math.max(L.left, px(Math.min(left, right)));
    const x1 = Math.min(L.right, px(Math.max(left, right)));
    Object.entries({ x: x0, y: base - L.ridge, width: Math.max(1, x1 - x0), height: L.ridge }).forEach(([a, v]) => {
      this.markBand.setAttribute(a, v.toFixed(1));
    });
    const pts = L.binned[k]!.map((c, b) => {
      const x = L.left + ((b + 0.5) / BINS) * (L.right - L.left);
      return `${x.toFixed(1)},${(base - (c / L.peak) * L.ridge).toFixed(1)}`;
    });
    this.markLine.setAttribute('points', pts.join(' '));
    this.marks.classList.add('shown');
  }

  private unhover(): void {
    this.tooltip.hidden = true;
    this.marks.classList.remove('shown');
  }

  /** For tests: every step held, the steps drawn and where they are. */
  debug(): unknown {
    const L = this.layout;
    return {
      run: this.run,
      tag: this.tag,
      mode: this.ctx.state.histMode,
      steps: this.points.map((p) => p.step),
      drawnSteps: L?.drawn.map((i) => this.points[i]!.step) ?? [],
      frame: L ? { left: L.left, right: L.right, top: L.top, bottom: L.bottom, lo: L.lo, hi: L.hi } : null,
      bases: L?.bases ?? [],
    };
  }
}

export function histogramsView(ctx: AppContext): RunTagCardsView {
  return new RunTagCardsView(ctx, 'histograms', (run, tag) => new HistogramCard(ctx, run, tag), 'histograms-view');
}
