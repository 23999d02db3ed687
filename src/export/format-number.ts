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

/** A number as a JSON value: non-finite values travel as strings. */
export function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : formatNumber(x);
}
