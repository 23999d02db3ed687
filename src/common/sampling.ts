/**
 * Which points of a series to send, written once for the server's routes and the viewer.
 *
 * `evenIndices` is TensorBoard's `--samples_per_plugin`: at most `limit` points, evenly spaced,
 * always ending with the last (the viewer API's `samples=` uses it too). `selectPoints` is the
 * line charts' downsampling: a step range is cut into about `width` equal buckets; each bucket
 * keeps its first, last, lowest and highest point (and its first non-finite one), so a spike is
 * never averaged away and the line still starts and ends where the data does.
 */

/** Typed columns (Float64Array, Float32Array, Uint32Array) or plain arrays. */
type Column = ArrayLike<number>;

/**
 * Indices of the points to serve: all of them, or `limit` evenly spaced ones
 * that always include the last (TensorBoard's `--samples_per_plugin`).
 */
export function evenIndices(length: number, limit: number | undefined): number[] {
  return evenIndicesOrAll(length, limit) ?? Array.from({ length }, (_, i) => i);
}

/**
 * evenIndices, with undefined for "every point", so the common case (no limit, or a short
 * series) builds no index array.
 */
export function evenIndicesOrAll(length: number, limit: number | undefined): number[] | undefined {
  if (limit === undefined || length <= limit) return undefined;
  if (limit <= 0) return [];
  if (limit === 1) return [length - 1];
  const out = new Array<number>(limit);
  // length > limit: the spacing is above 1, so no index repeats.
  for (let k = 0; k < limit; k++) out[k] = Math.round((k * (length - 1)) / (limit - 1));
  return out;
}

/** Indices of points (in arrival order) to send for one series. */
export function selectPoints(
  steps: Column,
  values: Column,
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
