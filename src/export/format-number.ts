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

/**
 * formatNumber, common case first: a finite number other than -0 is
 * String(x) as is (x - x is 0 only for finite x).
 */
export function numberText(x: number): string {
  return x - x === 0 && (x !== 0 || 1 / x > 0) ? `${x}` : formatNumber(x);
}

/** Rows of a series whose texts RowTextCache keeps (~5 MB of strings at most). */
const MAX_CACHED_ROWS = 1 << 17;

/**
 * The texts of one column of the series written before, by row, to reuse
 * for equal values at the same row: writers log a run's tags at the same
 * moments, so its series share their wall times, and formatting a double is
 * the costliest part of a row. Zero is never reused (-0 === 0).
 */
export class RowTextCache {
  private prev: Float64Array = new Float64Array(0);
  private prevText: string[] = [];
  private cur: Float64Array = new Float64Array(0);
  private curText: string[] = [];

  /** A new series begins with this column; it must not change while in use. */
  begin(column: Float64Array): void {
    this.prev = this.cur;
    this.prevText = this.curText;
    this.cur = column;
    // Longer series are not remembered: their texts would cost more memory than they save time.
    this.curText = column.length <= MAX_CACHED_ROWS ? new Array<string>(column.length) : [];
  }

  /** The text of row i of the current column, `format(x)` or the previous series' equal one. */
  text(i: number, format: (x: number) => string): string {
    const x = this.cur[i] as number;
    const t = i < this.prevText.length && this.prev[i] === x && x !== 0 ? (this.prevText[i] as string) : format(x);
    if (i < this.curText.length) this.curText[i] = t;
    return t;
  }
}
