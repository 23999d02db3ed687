/**
 * TensorBoard's scalar smoothing: an exponential moving average started at 0
 * and debiased by 1 − w^n (n = finite points seen so far), so early points
 * are not dragged towards zero. Non-finite values pass through untouched and
 * do not advance the average; a constant series is returned as is (no
 * floating-point noise). The weight is clamped to [0, 1]; a non-finite weight
 * counts as 0, and at exactly 1 the line is flat at 0, as in TensorBoard.
 */
export function smooth(values: ArrayLike<number>, weight: number): Float64Array {
  const w = Number.isFinite(weight) ? Math.min(1, Math.max(0, weight)) : 0;
  const n = values.length;
  const out = new Float64Array(n);
  const first = values[0];
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = values[i] === first;
  let last = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (constant || !Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    count++;
    out[i] = w === 1 ? last : last / (1 - w ** count);
  }
  return out;
}
