/**
 * Numbers as export writes them: the shortest decimal that reads back as the
 * same double (JavaScript's own number formatting), so a float32 value shows
 * as its exact widened double, as TensorBoard's JSON does. Non-finite values
 * become "NaN", "Infinity", "-Infinity"; negative zero keeps its sign.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0.0';
  return String(x);
}

/**
 * formatNumber, common case first: a finite number other than -0 is
 * String(x) as is (x - x is 0 only for finite x).
 */
export function numberText(x: number): string {
  return x - x === 0 && (x !== 0 || 1 / x > 0) ? `${x}` : formatNumber(x);
}
