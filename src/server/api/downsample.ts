/**
 * Server-side downsampling for line charts. A step range is cut into about
 * `width` equal buckets; each bucket keeps its first, last, lowest and highest
 * point (and its first non-finite one), so a spike is never averaged away and
 * the line still starts and ends where the data does.
 */

import type { NumericColumnView } from '../../store/columns';

/** Indices of points (in arrival order) to send for one series. */
export function selectPoints(
  steps: NumericColumnView,
  values: NumericColumnView,
  from: number,
  minStep: number,
  maxStep: number,
  width: number,
): { indices: Uint32Array; total: number; downsampled: boolean } {
  const inRange: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < steps.length; i++) {
    const s = steps[i] as number;
    if (s < minStep || s > maxStep) continue;
    inRange.push(i);
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  const total = inRange.length;
  if (total < 2 * width || hi === lo) return { indices: Uint32Array.from(inRange), total, downsampled: false };

  // Per bucket: first, last, argmin, argmax, first non-finite (−1 = none).
  const first = new Int32Array(width).fill(-1);
  const last = new Int32Array(width).fill(-1);
  const argMin = new Int32Array(width).fill(-1);
  const argMax = new Int32Array(width).fill(-1);
  const oddOne = new Int32Array(width).fill(-1);
  const span = hi - lo;
  for (const i of inRange) {
    const b = Math.min(width - 1, Math.floor((((steps[i] as number) - lo) / span) * width));
    const v = values[i] as number;
    if (first[b] === -1) first[b] = i;
    last[b] = i;
    if (!Number.isFinite(v)) {
      if (oddOne[b] === -1) oddOne[b] = i;
      continue;
    }
    const mn = argMin[b] as number;
    if (mn === -1 || v < (values[mn] as number)) argMin[b] = i;
    const mx = argMax[b] as number;
    if (mx === -1 || v > (values[mx] as number)) argMax[b] = i;
  }
  const keep = new Set<number>();
  for (const arr of [first, last, argMin, argMax, oddOne]) for (const i of arr) if (i !== -1) keep.add(i);
  const indices = Uint32Array.from(keep).sort();
  return { indices, total, downsampled: indices.length < total };
}
