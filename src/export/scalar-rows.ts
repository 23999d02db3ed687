import type { NumericColumnView } from '../store/columns';
import { formatNumber, numberText } from './format-number';
import { WasmRowFormatter, type RowParts } from './wasm-row-formatter';

/**
 * Scalar rows written as bytes straight from the columns, the hot path of
 * every export: the WebAssembly formatter (wasm-row-formatter.ts) writes
 * them a few thousand at a time into blocks handed to the stream — no row
 * strings, no concatenation, no UTF-8 encoding of megabytes of text. Rows it
 * cannot take (the module not built, names of tens of kilobytes) are written
 * as text one by one.
 */

/** Bytes per output block handed to the stream. */
const BLOCK_BYTES = 256 * 1024;

/** The fixed parts of a row around its three numbers, per output format. */
export interface RowShape extends RowParts {
  /** A number's text in this format (CSV: NaN, Infinity; JSON: those quoted). */
  numberText(x: number): string;
}

export class ScalarRowWriter {
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private at = 0;

  /** Filled blocks go to `emit` (which owns them from then on). */
  constructor(private readonly emit: (block: Buffer) => Promise<void>) {}

  /** Adds text that is not a scalar row (a header, a row of another shape). */
  async text(s: string): Promise<void> {
    await this.bytes(Buffer.from(s, 'utf8'));
  }

  async rows(shape: RowShape, steps: NumericColumnView, wallTimes: Float64Array, values: NumericColumnView): Promise<void> {
    const wasm = WasmRowFormatter.shared();
    if (wasm === undefined || !wasm.fits(shape)) {
      for (let i = 0; i < steps.length; i++) await this.text(rowText(shape, steps[i] as number, wallTimes[i] as number, values[i] as number));
      return;
    }
    wasm.use(shape, shape.numberText === jsonNumberText);
    const perCall = wasm.rowsPerCall(shape);
    for (let i = 0; i < steps.length; i += perCall) await this.bytes(wasm.formatRows(steps, wallTimes, values, i, Math.min(perCall, steps.length - i)));
  }

  async flush(): Promise<void> {
    if (this.at === 0) return;
    const full = this.block.subarray(0, this.at);
    this.block = Buffer.allocUnsafe(BLOCK_BYTES);
    this.at = 0;
    await this.emit(full);
  }

  /** Copies `bytes` (which may be a view the caller reuses) into the current block. */
  private async bytes(bytes: Uint8Array): Promise<void> {
    if (this.at + bytes.length > this.block.length) await this.flush();
    if (bytes.length > this.block.length) {
      await this.emit(Buffer.from(bytes));
      return;
    }
    this.block.set(bytes, this.at);
    this.at += bytes.length;
  }
}

function rowText(shape: RowShape, step: number, wallTime: number, value: number): string {
  const utf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  const f = shape.numberText;
  return `${utf8(shape.prefix)}${f(step)}${utf8(shape.afterStep)}${f(wallTime)}${utf8(shape.afterWallTime)}${f(value)}${utf8(shape.end)}`;
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
