import type { NumericColumnView } from '../store/columns';
import { formatNumber, numberText, RowTextCache } from './format-number';
import { WasmRowFormatter, type RowParts } from './wasm-row-formatter';

/**
 * Scalar rows written as bytes straight from the columns, the hot path of
 * every export: no row strings, no concatenation, no UTF-8 encoding of
 * megabytes of text. Only the numbers that need it are formatted as strings
 * (JavaScript's shortest round-trip text) and copied in; integer steps are
 * written digit by digit, and wall times equal to the previous series' at the
 * same row reuse its text (writers log a run's tags at the same moments).
 */

/** Bytes per output block handed to the stream. */
const BLOCK_BYTES = 256 * 1024;
/** Room for one row's numbers (each at most ~25 characters) besides its fixed parts. */
const NUMBERS_ROOM = 96;

/** The fixed parts of a row around its three numbers, per output format. */
export interface RowShape extends RowParts {
  /** A number's text in this format (CSV: NaN, Infinity; JSON: those quoted). */
  numberText(x: number): string;
}

export class ScalarRowWriter {
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private at = 0;
  private readonly wallTexts = new RowTextCache();

  /** Filled blocks go to `emit` (which owns them from then on). */
  constructor(private readonly emit: (block: Buffer) => Promise<void>) {}

  /** Adds text that is not a scalar row (a header, a row of another shape). */
  async text(s: string): Promise<void> {
    const bytes = Buffer.from(s, 'utf8');
    if (this.at + bytes.length > this.block.length) await this.flush();
    if (bytes.length > this.block.length) {
      await this.emit(bytes);
      return;
    }
    this.block.set(bytes, this.at);
    this.at += bytes.length;
  }

  async rows(shape: RowShape, steps: NumericColumnView, wallTimes: Float64Array, values: NumericColumnView): Promise<void> {
    const wasm = WasmRowFormatter.shared();
    if (wasm !== undefined && wasm.fits(shape)) {
      await this.wasmRows(wasm, shape, steps, wallTimes, values);
      return;
    }
    this.wallTexts.begin(wallTimes);
    const fixed = shape.prefix.length + shape.afterStep.length + shape.afterWallTime.length + shape.end.length;
    if (fixed + NUMBERS_ROOM > BLOCK_BYTES) {
      // A run or tag name longer than a block: rows one by one as text.
      for (let i = 0; i < steps.length; i++) await this.text(this.rowText(shape, steps, wallTimes, values, i));
      return;
    }
    let i = 0;
    while (i < steps.length) {
      i = this.fill(shape, fixed + NUMBERS_ROOM, steps, wallTimes, values, i);
      if (i < steps.length) await this.flush();
    }
  }

  /** The same bytes from the WebAssembly formatter, a few thousand rows per call. */
  private async wasmRows(wasm: WasmRowFormatter, shape: RowShape, steps: NumericColumnView, wallTimes: Float64Array, values: NumericColumnView): Promise<void> {
    wasm.use(shape, shape.numberText === jsonNumberText);
    const perCall = wasm.rowsPerCall(shape);
    for (let i = 0; i < steps.length; i += perCall) {
      const bytes = wasm.formatRows(steps, wallTimes, values, i, Math.min(perCall, steps.length - i));
      if (this.at + bytes.length > this.block.length) await this.flush();
      if (bytes.length > this.block.length) {
        await this.emit(Buffer.from(bytes));
        continue;
      }
      this.block.set(bytes, this.at);
      this.at += bytes.length;
    }
  }

  /** Rows from `i` on into the current block while they surely fit; returns the next row. */
  private fill(shape: RowShape, rowRoom: number, steps: NumericColumnView, wallTimes: Float64Array, values: NumericColumnView, i: number): number {
    const out = this.block;
    const limit = out.length - rowRoom;
    const format = shape.numberText;
    const wallTexts = this.wallTexts;
    let at = this.at;
    const n = steps.length;
    const prefix = shape.prefix;
    const afterStep = shape.afterStep;
    const afterWallTime = shape.afterWallTime;
    const end = shape.end;
    for (; i < n && at <= limit; i++) {
      at = writeBytes(out, at, prefix);
      at = writeStep(out, at, steps[i] as number, format);
      at = writeBytes(out, at, afterStep);
      at = writeAscii(out, at, wallTexts.text(i, format));
      at = writeBytes(out, at, afterWallTime);
      at = writeAscii(out, at, format(values[i] as number));
      at = writeBytes(out, at, end);
    }
    this.at = at;
    return i;
  }

  private rowText(shape: RowShape, steps: NumericColumnView, wallTimes: Float64Array, values: NumericColumnView, i: number): string {
    const utf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
    const f = shape.numberText;
    return `${utf8(shape.prefix)}${f(steps[i] as number)}${utf8(shape.afterStep)}${this.wallTexts.text(i, f)}${utf8(shape.afterWallTime)}${f(values[i] as number)}${utf8(shape.end)}`;
  }

  async flush(): Promise<void> {
    if (this.at === 0) return;
    const full = this.block.subarray(0, this.at);
    this.block = Buffer.allocUnsafe(BLOCK_BYTES);
    this.at = 0;
    await this.emit(full);
  }
}

/** A step: integers below 2^53 digit by digit, anything else as its text. */
function writeStep(out: Uint8Array, at: number, step: number, format: (x: number) => string): number {
  // (-0 is left to format, which keeps its sign.)
  if (!(step <= Number.MAX_SAFE_INTEGER && Math.floor(step) === step && (step > 0 || 1 / step > 0))) return writeAscii(out, at, format(step));
  let digits = 1;
  for (let rest = step; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let p = at + digits;
  let rest = step;
  do {
    out[--p] = 48 + (rest % 10);
    rest = Math.floor(rest / 10);
  } while (rest > 0);
  return at + digits;
}

/** Short fixed parts: a loop beats TypedArray.set's call for a few bytes. */
function writeBytes(out: Uint8Array, at: number, bytes: Uint8Array): number {
  for (let k = 0; k < bytes.length; k++) out[at + k] = bytes[k] as number;
  return at + bytes.length;
}

/** Number texts are ASCII: one byte per character. */
function writeAscii(out: Uint8Array, at: number, s: string): number {
  for (let k = 0; k < s.length; k++) out[at + k] = s.charCodeAt(k);
  return at + s.length;
}

/** A number as JSON text: non-finite values travel as strings. */
export function jsonNumberText(x: number): string {
  return Number.isFinite(x) ? numberText(x) : `"${formatNumber(x)}"`;
}

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

export function csvRowShape(runField: string, tagField: string): RowShape {
  return { prefix: bytes(`${runField},${tagField},`), afterStep: bytes(','), afterWallTime: bytes(','), end: bytes('\n'), numberText };
}

export function jsonlRowShape(run: string, tag: string): RowShape {
  return {
    prefix: bytes(`{"run":${JSON.stringify(run)},"tag":${JSON.stringify(tag)},"step":`),
    afterStep: bytes(',"wall_time":'),
    afterWallTime: bytes(',"value":'),
    end: bytes('}\n'),
    numberText: jsonNumberText,
  };
}
