import type { NumericColumnView } from './store/columns';
import { loadWasm, type WasmGlobal } from './wasm-module';

/**
 * Scalar rows formatted in WebAssembly (wasm/format-rows.ts, built to
 * dist/wasm/): the same bytes as the JavaScript formatter in scalar-rows.ts,
 * several times faster — number formatting is most of an export's time, and
 * JavaScript also spends a short export warming up its JIT.
 */

/** Rows per call. */
const ROWS = 4096;
/** Room for the fixed parts of a row (run and tag names, separators). */
const PARTS_BYTES = 64 * 1024;
/** Most bytes one number takes ("-1.2345678901234567e-308" is 24). */
const NUMBER_BYTES = 26;
const OUTPUT_BYTES = 4 * 1024 * 1024;

/** Ryū's power-of-5 tables: 5^-q for q < 342, then 5^i for i < 326, as [low, high] 64-bit words. */
const POW5_INV_ENTRIES = 342;
const POW5_ENTRIES = 326;
const POW5_BITCOUNT = 125n;

interface FormatterExports {
  memory: { buffer: ArrayBuffer };
  setup(rows: number, bytesForParts: number, bytesForOutput: number): number;
  shape(
    prefix: number,
    afterStep: number,
    afterWallTime: number,
    end: number,
    json: number,
    zeroWithoutSign: number,
  ): void;
  format(from: number, count: number): number;
  formatNumber(x: number): number;
  columnSteps: WasmGlobal;
  columnWallTimes: WasmGlobal;
  columnValues: WasmGlobal;
  parts: WasmGlobal;
  output: WasmGlobal;
}

/** The fixed parts of a row around its three numbers. */
export interface RowParts {
  prefix: Uint8Array;
  afterStep: Uint8Array;
  afterWallTime: Uint8Array;
  end: Uint8Array;
}

export class WasmRowFormatter {
  private readonly steps: Float64Array;
  private readonly wallTimes: Float64Array;
  private readonly values: Float64Array;
  private readonly memory: Uint8Array;
  private readonly partsAt: number;
  private readonly outputAt: number;

  private constructor(private readonly k: FormatterExports) {
    const tables = k.setup(ROWS, PARTS_BYTES, OUTPUT_BYTES);
    // setup() allocated everything this instance will use: the memory no longer grows.
    const buffer = k.memory.buffer;
    writePow5Tables(new BigUint64Array(buffer, tables, 2 * (POW5_INV_ENTRIES + POW5_ENTRIES)));
    this.steps = new Float64Array(buffer, k.columnSteps.value as number, ROWS);
    this.wallTimes = new Float64Array(buffer, k.columnWallTimes.value as number, ROWS);
    this.values = new Float64Array(buffer, k.columnValues.value as number, ROWS);
    this.memory = new Uint8Array(buffer);
    this.partsAt = k.parts.value as number;
    this.outputAt = k.output.value as number;
  }

  /** Whether rows with these fixed parts fit the formatter (names under ~64 KB). */
  fits(parts: RowParts): boolean {
    return partsLength(parts) <= PARTS_BYTES;
  }

  /** Rows per formatRows() call for these parts. */
  rowsPerCall(parts: RowParts): number {
    return Math.max(1, Math.min(ROWS, Math.floor(OUTPUT_BYTES / (partsLength(parts) + 3 * NUMBER_BYTES))));
  }

  /**
   * Sets the fixed parts and the spelling of special numbers for the rows
   * that follow: CSV (NaN, -0.0), JSON (non-finite as strings) and, with
   * `zeroWithoutSign`, -0 as JSON.stringify writes it (0).
   */
  use(parts: RowParts, json: boolean, zeroWithoutSign = false): void {
    let at = this.partsAt;
    for (const part of [parts.prefix, parts.afterStep, parts.afterWallTime, parts.end]) {
      this.memory.set(part, at);
      at += part.length;
    }
    this.k.shape(
      parts.prefix.length,
      parts.afterStep.length,
      parts.afterWallTime.length,
      parts.end.length,
      json ? 1 : 0,
      zeroWithoutSign ? 1 : 0,
    );
  }

  /**
   * Rows [from, from + count) of the columns (count ≤ rowsPerCall) as bytes:
   * a view of WebAssembly memory, valid until the next call.
   */
  formatRows(
    steps: NumericColumnView,
    wallTimes: NumericColumnView,
    values: NumericColumnView,
    from: number,
    count: number,
  ): Uint8Array {
    this.steps.set(steps.subarray(from, from + count));
    this.wallTimes.set(wallTimes.subarray(from, from + count));
    this.values.set(values.subarray(from, from + count));
    const n = this.k.format(0, count);
    return this.memory.subarray(this.outputAt, this.outputAt + n);
  }

  /** One number's text, as the rows spell it (for tests). */
  numberText(x: number, json: boolean): string {
    this.k.shape(0, 0, 0, 0, json ? 1 : 0, 0);
    const n = this.k.formatNumber(x);
    return Buffer.from(this.memory.buffer, this.memory.byteOffset + this.outputAt, n).toString('latin1');
  }

  private static instance: WasmRowFormatter | undefined;

  /** This thread's formatter (a MissingAssetError when dist/wasm/format-rows.wasm was not built). */
  static shared(): WasmRowFormatter {
    WasmRowFormatter.instance ??= new WasmRowFormatter(loadWasm<FormatterExports>('formatRowsWasm'));
    return WasmRowFormatter.instance;
  }
}

function partsLength(parts: RowParts): number {
  return parts.prefix.length + parts.afterStep.length + parts.afterWallTime.length + parts.end.length;
}

/** Bits of 5^e, as Ryū counts them. */
function pow5bits(e: number): bigint {
  return BigInt(((e * 1217359) >> 19) + 1);
}

/**
 * Ryū's tables for doubles: 5^-q scaled to 125 significant bits and rounded
 * up, and 5^i truncated to its top 125 bits.
 */
function writePow5Tables(out: BigUint64Array): void {
  const MASK = (1n << 64n) - 1n;
  const put = (index: number, v: bigint): void => {
    out[2 * index] = v & MASK;
    out[2 * index + 1] = v >> 64n;
  };
  for (let q = 0; q < POW5_INV_ENTRIES; q++) {
    const pow5 = 5n ** BigInt(q);
    put(q, (1n << (pow5bits(q) - 1n + POW5_BITCOUNT)) / pow5 + 1n);
  }
  for (let i = 0; i < POW5_ENTRIES; i++) {
    const pow5 = 5n ** BigInt(i);
    const bits = BigInt(pow5.toString(2).length);
    put(POW5_INV_ENTRIES + i, bits >= POW5_BITCOUNT ? pow5 >> (bits - POW5_BITCOUNT) : pow5 << (POW5_BITCOUNT - bits));
  }
}
