import { cssVar } from '../colors';
import { formatNumber } from '../dom';

/** A crisp 2-D context for a canvas of CSS size w×h. */
export function context2d(canvas: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.font = '11px system-ui, sans-serif';
  return g;
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Plot area and linear maps for a chart with axes. */
export interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  x(v: number): number;
  y(v: number): number;
}

export function frame(
  w: number,
  h: number,
  xr: [number, number],
  yr: [number, number],
  pad = { l: 48, r: 12, t: 10, b: 24 },
): Frame {
  const left = pad.l;
  const right = w - pad.r;
  const top = pad.t;
  const bottom = h - pad.b;
  const sx = (right - left) / (xr[1] - xr[0] || 1);
  const sy = (bottom - top) / (yr[1] - yr[0] || 1);
  return { left, top, right, bottom, x: (v) => left + (v - xr[0]) * sx, y: (v) => bottom - (v - yr[0]) * sy };
}

/** Grid lines and tick labels for both axes. */
export function drawAxes(
  g: CanvasRenderingContext2D,
  f: Frame,
  xr: [number, number],
  yr: [number, number],
  opts: { yTicks?: boolean } = {},
): void {
  g.strokeStyle = cssVar('--grid');
  g.fillStyle = cssVar('--muted');
  g.lineWidth = 1;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const t of niceTicks(xr[0], xr[1], 5)) {
    const x = Math.round(f.x(t)) + 0.5;
    g.beginPath();
    g.moveTo(x, f.top);
    g.lineTo(x, f.bottom);
    g.stroke();
    g.fillText(formatNumber(t), x, f.bottom + 5);
  }
  if (opts.yTicks === false) return;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const t of niceTicks(yr[0], yr[1], 4)) {
    const y = Math.round(f.y(t)) + 0.5;
    g.beginPath();
    g.moveTo(f.left, y);
    g.lineTo(f.right, y);
    g.stroke();
    g.fillText(formatNumber(t), f.left - 6, y);
  }
}

/** uPlot x range: a lone x value gets room either side (uPlot would show it at the edge of 0–100). */
export function singleXRange(u: { data: ArrayLike<unknown>[] }, min: number, max: number): [number, number] {
  const xs = u.data[0] as ArrayLike<number> | undefined;
  if (xs && xs.length === 1) {
    const x = xs[0] as number;
    const pad = Math.max(1, Math.abs(x) * 0.05);
    return [x - pad, x + pad];
  }
  return min === max ? [min - 1, max + 1] : [min, max];
}
