import type { ColumnSource } from 'hyparquet-writer';
import type { NumericColumnView } from '../store/columns';
import { columnEncoding, type ParquetColumn } from './parquet-columns';
import type { Row } from './row-sink';

/**
 * The numbers one row group holds at most (8 bytes a cell): the row count
 * follows the column count (scalars: ~840,000 rows; pr curves: ~380,000),
 * so memory stays bounded whatever the table.
 */
const ROW_GROUP_NUMBER_BYTES = 8 * 1024 * 1024;
/** Text can make rows large: a row group also ends at this many characters of strings. */
const ROW_GROUP_STRING_CHARS = 32 * 1024 * 1024;

type ColumnBuffer = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: (string | null)[] };

/**
 * The rows of the row group being filled, column by column: numbers in
 * typed arrays allocated once (pages are touched only as rows arrive),
 * strings in arrays (a repeated name is one shared string). `take()` hands
 * them to the writer; `clear()` starts the next group in the same buffers.
 */
export class RowGroupBuffer {
  rows = 0;
  readonly maxRows: number;
  private stringChars = 0;
  private readonly buffers: ColumnBuffer[];

  constructor(private readonly columns: readonly ParquetColumn[]) {
    this.maxRows = Math.floor(ROW_GROUP_NUMBER_BYTES / (8 * columns.length));
    this.buffers = columns.map(
      (c): ColumnBuffer =>
        c.type === 'STRING'
          ? { kind: 'string', values: new Array<string | null>(this.maxRows).fill(null) }
          : { kind: 'number', values: new Float64Array(this.maxRows) },
    );
  }

  get full(): boolean {
    return this.rows >= this.maxRows || this.stringChars >= ROW_GROUP_STRING_CHARS;
  }

  /** One row; a number column given anything but a number gets NaN (null where the column is nullable). */
  add(row: Row): void {
    const at = this.rows;
    for (let c = 0; c < this.columns.length; c++) {
      const b = this.buffers[c] as ColumnBuffer;
      const v = row[(this.columns[c] as ParquetColumn).name];
      if (b.kind === 'number') b.values[at] = typeof v === 'number' ? v : Number.NaN;
      else {
        const s = typeof v === 'string' ? v : v === undefined || v === null ? null : String(v);
        b.values[at] = s;
        this.stringChars += s?.length ?? 0;
      }
    }
    this.rows++;
  }

  /**
   * Scalar rows straight from a series' columns (the table's columns are
   * run, tag, step, wall_time, value), from `from` on, as many as the group
   * still holds; returns how many were taken.
   */
  addScalars(
    run: string,
    tag: string,
    steps: NumericColumnView,
    wallTimes: Float64Array,
    values: NumericColumnView,
    from: number,
  ): number {
    const n = Math.min(steps.length - from, this.maxRows - this.rows);
    const [runs, tags, stepOut, wallOut, valueOut] = this.buffers as [
      ColumnBuffer,
      ColumnBuffer,
      ColumnBuffer,
      ColumnBuffer,
      ColumnBuffer,
    ];
    const at = this.rows;
    (runs.values as string[]).fill(run, at, at + n);
    (tags.values as string[]).fill(tag, at, at + n);
    (stepOut.values as Float64Array).set(steps.subarray(from, from + n), at);
    (wallOut.values as Float64Array).set(wallTimes.subarray(from, from + n), at);
    (valueOut.values as Float64Array).set(values.subarray(from, from + n), at);
    this.rows += n;
    return n;
  }

  /** The group's columns for the writer (views of the buffers: valid until `clear()`). */
  take(): ColumnSource[] {
    const n = this.rows;
    return this.columns.map((column, c): ColumnSource => {
      const b = this.buffers[c] as ColumnBuffer;
      let data: ColumnSource['data'];
      if (b.kind === 'string') data = b.values.slice(0, n);
      else if (column.type !== 'INT64') data = b.values.subarray(0, n);
      else if (column.nullable === true) data = Array.from(b.values.subarray(0, n), (x) => toInt64OrNull(x));
      else data = toInt64(b.values.subarray(0, n));
      return { name: column.name, data, ...columnEncoding(column) };
    });
  }

  clear(): void {
    // Strings already written are released (numbers are simply overwritten).
    for (const b of this.buffers) if (b.kind === 'string') b.values.fill(null, 0, this.rows);
    this.rows = 0;
    this.stringChars = 0;
  }
}

/**
 * Integers held as doubles, for an INT64 column: as an Int32Array when
 * every one fits 32 bits (hyparquet-writer then encodes them without a
 * BigInt each, much faster), as BigInt64Array otherwise.
 */
function toInt64(values: Float64Array): Int32Array | BigInt64Array {
  const small = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if ((x | 0) !== x) return BigInt64Array.from(values, (v) => BigInt(v));
    small[i] = x;
  }
  return small;
}

function toInt64OrNull(x: number): bigint | null {
  return Number.isSafeInteger(x) ? BigInt(x) : null;
}
