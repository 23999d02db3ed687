/** Pure helpers of the histogram view (no DOM), unit-tested on their own. */

/** Bins the drawing re-bins every histogram onto. */
export const BINS = 40;

/** [left edge, right edge, count], as the API sends a bucket. */
export type Bucket = [number, number, number];

/**
 * Counts re-binned onto `BINS` equal bins over [lo, hi], each bucket spread by overlap, as TensorBoard's widget does.
 */
export function rebin(buckets: Bucket[], lo: number, hi: number): number[] {
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

/**
 * The bucket holding value `v`: [left, right) (the last one closed), else the
 * nearest one, the fuller of equally near ones (a constant histogram is many
 * zero-width buckets at one value, only one of them counted).
 */
export function bucketAt(buckets: Bucket[], v: number): number {
  let best = -1;
  let bestDist = Infinity;
  for (let i = 0; i < buckets.length; i++) {
    const [l, r, c] = buckets[i]!;
    const last = i === buckets.length - 1;
    if (v >= l && (v < r || (last && v <= r))) return i;
    const d = v < l ? l - v : v - r;
    if (d < bestDist || (d === bestDist && c > buckets[best]![2])) {
      bestDist = d;
      best = i;
    }
  }
  return best;
}
