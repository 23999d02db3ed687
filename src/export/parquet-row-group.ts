import type { ColumnSource } from 'hyparquet-writer';
import type { NumericColumnView } from '../store/columns';
import { columnEncoding, type ParquetColumn } from './parquet-columns';
import type { Row } from './row-sink';

/**
 * The numbers one row group holds at most (8 bytes a cell): the row count
 * follows the column count (scalars: ~105,000 rows, near DuckDB's 122,880; pr curves: ~48,000),
 * so memory stays bounded whatever the table.
 */
const ROW_GROUP_NUMBER_BYTES = 4 * 1024 * 1024;
/** Text can make rows large: a row group also ends at this many characters of distinct strings. */
const ROW_GROUP_STRING_CHARS = 32 * 1024 * 1024;

/**
 * One row group's rows, column by column, as plain data a worker thread
 * can take: numbers in a Float64Array, strings as codes into the group's
 * distinct strings (a run or tag name repeated over thousands of rows is
 * one string, sent once).
 */
export interface RowGroupData {
  rows: number;
  columns: (
    | { kind: 'number'; values: Float64Array }
    | { kind: 'string'; codes: Int32Array; strings: (string | null)[] }
  )[];
}

type ColumnBuffer =
  | { kind: 'number'; values: Float64Array }
  | { kind: 'string'; codes: Int32Array; strings: (string | null)[]; code: Map<string | null, number> };

/**
 * The rows of the row group being filled, in buffers allocated once (pages
 * are touched only as rows arrive). `take()` copies them out as
 * RowGroupData and starts the next group.
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
          ? { kind: 'string', codes: new Int32Array(this.maxRows), strings: [], code: new Map() }
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
      else b.codes[at] = this.codeOf(b, typeof v === 'string' ? v : v === undefined || v === null ? null : String(v));
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
    if (runs.kind === 'string') runs.codes.fill(this.codeOf(runs, run), at, at + n);
    if (tags.kind === 'string') tags.codes.fill(this.codeOf(tags, tag), at, at + n);
    if (stepOut.kind === 'number') stepOut.values.set(steps.subarray(from, from + n), at);
    if (wallOut.kind === 'number') wallOut.values.set(wallTimes.subarray(from, from + n), at);
    if (valueOut.kind === 'number') valueOut.values.set(values.subarray(from, from + n), at);
    this.rows += n;
    return n;
  }

  /** The group's rows (copies), the buffers emptied for the next group. */
  take(): RowGroupData {
    const n = this.rows;
    const data: RowGroupData = {
      rows: n,
      columns: this.buffers.map((b) =>
        b.kind === 'number'
          ? { kind: 'number', values: b.values.slice(0, n) }
          : { kind: 'string', codes: b.codes.slice(0, n), strings: b.strings },
      ),
    };
    for (const b of this.buffers) {
      if (b.kind !== 'string') continue;
      b.strings = [];
      b.code.clear();
    }
    this.rows = 0;
    this.stringChars = 0;
    return data;
  }

  private codeOf(b: ColumnBuffer & { kind: 'string' }, s: string | null): number {
    let code = b.code.get(s);
    if (code === undefined) {
      code = b.strings.length;
      b.strings.push(s);
      b.code.set(s, code);
      this.stringChars += s?.length ?? 0;
    }
    return code;
  }
}

/** A row group's columns as hyparquet-writer takes them. */
export function columnSources(columns: readonly ParquetColumn[], data: RowGroupData): ColumnSource[] {
  return columns.map((column, c): ColumnSource => {
    const d = data.columns[c] as RowGroupData['columns'][number];
    let values: ColumnSource['data'];
    if (d.kind === 'string') values = decode(d.codes, d.strings);
    else if (column.type !== 'INT64') values = d.values;
    else if (column.nullable === true) values = Array.from(d.values, (x) => toInt64OrNull(x));
    else values = toInt64(d.values);
    return { name: column.name, data: values, ...columnEncoding(column) };
  });
}

/** Strings from their codes (a plain loop: eight times faster than Array.from with a mapping function). */
function decode(codes: Int32Array, strings: (string | null)[]): (string | null)[] {
  const out = new Array<string | null>(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = strings[codes[i] as number] ?? null;
  return out;
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
