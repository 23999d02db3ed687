import { evenIndicesOrAll } from '../../../common/sampling';
import type { NumericColumnView } from '../../../store/columns';
import type { TagSeries } from '../../../store/tag-series';
import { WasmRowFormatter, type RowParts } from '../../../wasm-row-formatter';
import { scalarAt } from '../../data/series';
import { toJson } from '../../http/json';

/**
 * The rows of `/data/plugin/scalars/scalars` (`[wall_time, step, value]`, see
 * ScalarRowJson in src/common/responses/tensorboard.ts), as values or as the JSON bytes of a
 * whole series.
 */
export type ScalarRow = [number, number, number];

/** The row of point i: [wall_time, step, value]. */
function rowAt(s: TagSeries, i: number): ScalarRow {
  return [s.wallTimes.get(i), s.steps.get(i), s.allScalar ? s.values.get(i) : scalarAt(s, i)];
}

/** `[wall_time, step, value]` rows of a series, as TensorBoard serves them. */
export function rowsFromColumns(s: TagSeries, limit: number | undefined): ScalarRow[] {
  const picked = evenIndicesOrAll(s.length, limit);
  if (picked !== undefined) return picked.map((i) => rowAt(s, i));
  const out = new Array<ScalarRow>(s.length);
  for (let i = 0; i < s.length; i++) out[i] = rowAt(s, i);
  return out;
}

/** Rows per JSON.stringify call: small arrays that die young, whatever the series length. */
const ROWS_PER_CHUNK = 1024;
/** A first guess at the bytes per row (`[1700000000.05,12345,0.123456789]`); the buffer grows if short. */
const BYTES_PER_ROW_GUESS = 48;

function allFinite(rows: ScalarRow[]): boolean {
  for (const r of rows) if (!Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !Number.isFinite(r[2])) return false;
  return true;
}

/**
 * A few response buffers, reused: a megabyte per series response, freed
 * only when V8 collects its Buffer object, would let tens of megabytes of
 * dead responses pile up between collections while a client reads every
 * series in a row.
 */
export class ResponseBuffers {
  private readonly free: Buffer[] = [];

  constructor(private readonly keep = 4) {}

  /** A buffer of at least `bytes` (contents undefined). */
  take(bytes: number): Buffer {
    const i = this.free.findIndex((b) => b.length >= bytes);
    if (i >= 0) return this.free.splice(i, 1)[0] as Buffer;
    return Buffer.allocUnsafeSlow(Math.max(bytes, 64 * 1024));
  }

  /**
   * Hand a buffer from take() back, or any view of it, once nothing reads it
   * any more (its response has been sent). take() allocates unpooled
   * buffers, so the view's ArrayBuffer is that whole buffer.
   */
  give(view: Buffer): void {
    if (this.free.length < this.keep) this.free.push(Buffer.from(view.buffer, 0, view.buffer.byteLength));
  }
}

/**
 * The JSON bytes of a series' rows (`[[w,s,v],...]`), written chunk by chunk
 * into one buffer: no array of every row (a 25,000-point series would make
 * 25,000 arrays that outlive a scavenge), no megabyte string to encode.
 * Chunks without non-finite numbers use JSON.stringify without a replacer,
 * twice as fast; the others use toJson ("NaN", "Infinity" as strings). The
 * text is ASCII, so latin1 writes it byte for byte. The result is a view
 * of a buffer from `buffers`: give it back once it has been sent.
 */
export function scalarSeriesJson(
  s: TagSeries,
  limit: number | undefined,
  buffers: ResponseBuffers = new ResponseBuffers(0),
): Buffer {
  const wasm = WasmRowFormatter.shared();
  if (wasm !== undefined && s.allScalar) return formattedSeriesJson(wasm, s, limit, buffers);
  const picked = evenIndicesOrAll(s.length, limit);
  const count = picked === undefined ? s.length : picked.length;
  let out = buffers.take(count * BYTES_PER_ROW_GUESS + 2);
  let p = 0;
  const rows: ScalarRow[] = [];
  for (let start = 0; start < count; start += ROWS_PER_CHUNK) {
    const end = Math.min(count, start + ROWS_PER_CHUNK);
    rows.length = 0;
    for (let k = start; k < end; k++) rows.push(rowAt(s, picked === undefined ? k : (picked[k] as number)));
    const text = allFinite(rows) ? JSON.stringify(rows) : toJson(rows);
    if (p + text.length + 1 > out.length) {
      const bigger = buffers.take(Math.max(out.length * 2, p + text.length + 1));
      out.copy(bigger, 0, 0, p);
      buffers.give(out);
      out = bigger;
    }
    // Each chunk is "[...]": the first keeps its "[", later ones turn it into ","; every "]" but the last is dropped.
    const n = out.write(text, p, 'latin1');
    if (start > 0) out[p] = 0x2c;
    p += n - 1;
  }
  if (count === 0) out[p++] = 0x5b;
  out[p++] = 0x5d;
  return out.subarray(0, p);
}

/** A row's fixed parts around its three numbers: `[wall_time,step,value],`. */
const ROW_PARTS: RowParts = {
  prefix: Buffer.from('['),
  afterStep: Buffer.from(','),
  afterWallTime: Buffer.from(','),
  end: Buffer.from('],'),
};

/**
 * scalarSeriesJson() of a series of plain scalars by the WebAssembly
 * formatter (the same bytes: JSON.stringify's numbers, non-finite ones as
 * strings), ~5× faster: serving a long series is mostly writing its numbers.
 */
function formattedSeriesJson(
  wasm: WasmRowFormatter,
  s: TagSeries,
  limit: number | undefined,
  buffers: ResponseBuffers,
): Buffer {
  const picked = evenIndicesOrAll(s.length, limit);
  const column = (c: { view(): NumericColumnView; get(i: number): number }): NumericColumnView =>
    picked === undefined ? c.view() : Float64Array.from(picked, (i) => c.get(i));
  // In row order: [wall_time, step, value].
  const wallTimes = column(s.wallTimes);
  const steps = column(s.steps);
  const values = column(s.values);
  const count = wallTimes.length;
  wasm.use(ROW_PARTS, true, true);
  const perCall = wasm.rowsPerCall(ROW_PARTS);
  let out = buffers.take(count * BYTES_PER_ROW_GUESS + 2);
  out[0] = 0x5b;
  let p = 1;
  for (let i = 0; i < count; i += perCall) {
    const bytes = wasm.formatRows(wallTimes, steps, values, i, Math.min(perCall, count - i));
    if (p + bytes.length + 1 > out.length) {
      const bigger = buffers.take(Math.max(out.length * 2, p + bytes.length + 1));
      out.copy(bigger, 0, 0, p);
      buffers.give(out);
      out = bigger;
    }
    out.set(bytes, p);
    p += bytes.length;
  }
  // The last row's "," closes the list.
  if (count === 0) out[p++] = 0x5d;
  else out[p - 1] = 0x5d;
  return out.subarray(0, p);
}
