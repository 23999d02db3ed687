/**
 * How featherboard spells numbers, in one place for the server, export and the viewer.
 *
 * JSON has no literal for NaN or ±∞: as TensorBoard's JSON, they travel as the strings "NaN",
 * "Infinity" and "-Infinity" (a `JsonNumber`). Export's text (CSV cells, JSON Lines) is the
 * shortest decimal that reads back as the same double (JavaScript's own number formatting), so a
 * float32 value shows as its exact widened double, as TensorBoard's JSON does; negative zero keeps
 * its sign there.
 */

/** A number as it travels in JSON: finite ones as numbers, the others as "NaN", "Infinity", "-Infinity". */
export type JsonNumber = number | string;

/**
 * Numbers as export writes them. Non-finite values become "NaN", "Infinity", "-Infinity";
 * negative zero keeps its sign.
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0.0';
  return String(x);
}

/** A number as a JSON value: non-finite values travel as strings. */
export function jsonNumber(x: number): JsonNumber {
  return Number.isFinite(x) ? x : formatNumber(x);
}

/** A JSON number as sent: "NaN", "Infinity" and "-Infinity" become numbers again (anything else NaN). */
export function readJsonNumber(v: JsonNumber | null | undefined): number {
  if (typeof v === 'number') return v;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return NaN;
}

/**
 * formatNumber, common case first: a finite number other than -0 is
 * String(x) as is (x - x is 0 only for finite x).
 */
export function numberText(x: number): string {
  return x - x === 0 && (x !== 0 || 1 / x > 0) ? `${x}` : formatNumber(x);
}
