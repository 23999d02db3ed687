/**
 * The two ways histograms are bucketed on disk.
 *
 * Legacy `HistogramProto` (TF1 summaries, PyTorch, tensorboardX): fixed
 * bucket edges shared by every histogram — ±1e-12 growing by 10% up to
 * ±1e20, then ±DBL_MAX, with 0 in the middle — and runs of empty buckets
 * collapsed into one, as TensorFlow's `Histogram::EncodeToProto` does.
 *
 * TF2 `histogram` summaries: `k` equal-width buckets between min and max, as
 * rows `[left, right, count]`.
 */

const DBL_MAX = Number.MAX_VALUE;

let defaultEdges: Float64Array | undefined;

/** TensorFlow's default bucket limits (the right edge of each bucket), ascending. */
export function defaultBucketLimits(): Float64Array {
  if (defaultEdges === undefined) {
    const positive: number[] = [];
    for (let v = 1.0e-12; v < 1.0e20; v *= 1.1) positive.push(v);
    positive.push(DBL_MAX);
    const negative = positive.map((v) => -v).reverse();
    defaultEdges = Float64Array.from([...negative, 0, ...positive]);
  }
  return defaultEdges;
}

/** The fields of a legacy HistogramProto, in protobufjs' camelCase. */
export interface LegacyHistogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** Index of the first limit greater than v (C++ std::upper_bound). */
function upperBound(limits: Float64Array, v: number): number {
  let lo = 0;
  let hi = limits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((limits[mid] as number) > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A legacy HistogramProto of raw values, bucketed on TensorFlow's default edges. */
export function legacyHistogram(values: ArrayLike<number>): LegacyHistogram {
  const limits = defaultBucketLimits();
  const counts = new Float64Array(limits.length);
  // TensorFlow starts min at DBL_MAX and max at -DBL_MAX, so an empty histogram keeps them.
  let min = DBL_MAX;
  let max = -DBL_MAX;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const b = Math.min(upperBound(limits, v), limits.length - 1);
    counts[b] = (counts[b] as number) + 1;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < counts.length; ) {
    let end = limits[i] as number;
    let count = counts[i] as number;
    i++;
    if (count <= 0) {
      // Collapse a run of empty buckets into one.
      while (i < counts.length && (counts[i] as number) <= 0) {
        end = limits[i] as number;
        count = counts[i] as number;
        i++;
      }
    }
    bucketLimit.push(end);
    bucket.push(count);
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}

/** TF2's default number of histogram buckets. */
export const DEFAULT_TF2_BUCKETS = 30;

/**
 * Rows `[left, right, count]` flattened, as TF2's `histogram` summary makes
 * them: no data gives all zeros; equal values give `k` zero-width buckets
 * with every count in the last one.
 */
export function tf2HistogramRows(values: ArrayLike<number>, bucketCount = DEFAULT_TF2_BUCKETS): Float64Array {
  const k = bucketCount;
  const rows = new Float64Array(k * 3);
  if (k === 0 || values.length === 0) return rows;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  if (range === 0) {
    for (let i = 0; i < k; i++) {
      rows[i * 3] = min;
      rows[i * 3 + 1] = min;
    }
    rows[(k - 1) * 3 + 2] = values.length;
    return rows;
  }
  const width = range / k;
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(Math.floor(((values[i] as number) - min) / width), k - 1);
    rows[b * 3 + 2] = (rows[b * 3 + 2] as number) + 1;
  }
  // numpy.linspace(min, max, k + 1): i * step + min, with the last edge exactly max.
  for (let i = 0; i < k; i++) {
    rows[i * 3] = i * width + min;
    rows[i * 3 + 1] = i + 1 === k ? max : (i + 1) * width + min;
  }
  return rows;
}
