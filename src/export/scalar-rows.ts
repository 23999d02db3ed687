import type { NumericColumnView } from '../store/columns';
import { formatNumber, numberText } from '../common/format-number';
import type { RowFormatWorker } from './row-format-worker';
import { WasmRowFormatter, type RowParts } from '../wasm-row-formatter';

/**
 * Scalar rows written as bytes straight from the columns, the hot path of
 * every export: the WebAssembly formatter (wasm-row-formatter.ts) writes
 * them a few thousand at a time into blocks handed to the stream — no row
 * strings, no concatenation, no UTF-8 encoding of megabytes of text. Rows it
 * cannot take (the module not built, names of tens of kilobytes) are written
 * as text one by one.
 */

/** Bytes per output block handed to the stream. */
const BLOCK_BYTES = 1024 * 1024;

/** The fixed parts of a row around its three numbers, per output format. */
export interface RowShape extends RowParts {
  /** A number's text in this format (CSV: NaN, Infinity; JSON: those quoted). */
  numberText(x: number): string;
}

/** Points being formatted on the worker at most: bounds the memory of columns and bytes in flight. */
const MAX_POINTS_IN_FLIGHT = 1 << 19;

export class ScalarRowWriter {
  private block = Buffer.allocUnsafe(BLOCK_BYTES);
  private at = 0;
  /** Output formatted elsewhere, in order: each entry copies its bytes into the block once the ones before it have. */
  private readonly queue: { done: Promise<void>; points: number }[] = [];
  private pointsInFlight = 0;

  /**
   * Filled blocks go to `emit` (which owns them from then on). With
   * `remote`, scalar rows are formatted on that worker while the caller
   * reads on; the output keeps the order of the calls.
   */
  constructor(
    private readonly emit: (block: Buffer) => Promise<void>,
    private readonly remote?: RowFormatWorker,
  ) {}

  /** Adds text that is not a scalar row (a header, a row of another shape). */
  async text(s: string): Promise<void> {
    const bytes = Buffer.from(s, 'utf8');
    if (this.queue.length === 0) await this.bytes(bytes);
    else await this.enqueue(Promise.resolve(bytes), 0);
  }

  async rows(
    shape: RowShape,
    steps: NumericColumnView,
    wallTimes: Float64Array,
    values: NumericColumnView,
  ): Promise<void> {
    const wasm = WasmRowFormatter.shared();
    const json = shape.numberText === jsonNumberText;
    // On the worker once it has booted; here before (and for what it cannot take).
    if (this.remote?.ready === true && wasm.fits(shape)) {
      await this.enqueue(this.remote.format(shape, json, steps, wallTimes, values), steps.length);
      return;
    }
    await this.drain();
    if (!wasm.fits(shape)) {
      for (let i = 0; i < steps.length; i++)
        await this.text(rowText(shape, steps[i] as number, wallTimes[i] as number, values[i] as number));
      return;
    }
    wasm.use(shape, json);
    const perCall = wasm.rowsPerCall(shape);
    for (let i = 0; i < steps.length; i += perCall)
      await this.bytes(wasm.formatRows(steps, wallTimes, values, i, Math.min(perCall, steps.length - i)));
  }

  async flush(): Promise<void> {
    await this.drain();
    await this.flushBlock();
  }

  /** Output that arrives later, placed after everything before it; waits while too many points are in flight. */
  private async enqueue(bytes: Promise<Uint8Array>, points: number): Promise<void> {
    const previous =
      this.queue.length > 0 ? (this.queue[this.queue.length - 1] as { done: Promise<void> }).done : Promise.resolve();
    const done = previous.then(async () => this.bytes(await bytes, true));
    // Failures are thrown where the queue is waited on (`bytes` too: it is not awaited if an earlier entry failed).
    bytes.catch(() => {});
    done.catch(() => {});
    this.queue.push({ done, points });
    this.pointsInFlight += points;
    while (this.pointsInFlight > MAX_POINTS_IN_FLIGHT && this.queue.length > 1) await this.settleOldest();
  }

  private async settleOldest(): Promise<void> {
    const oldest = this.queue[0] as { done: Promise<void>; points: number };
    try {
      await oldest.done;
    } finally {
      this.queue.shift();
      this.pointsInFlight -= oldest.points;
    }
  }

  /** Everything queued is in the block (or written). */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.settleOldest();
  }

  /**
   * Adds `bytes` to the output. Unless `owned`, they may be a view the caller
   * reuses, and are copied; owned ones of a block's size or more go out as
   * they are.
   */
  private async bytes(bytes: Uint8Array, owned = false): Promise<void> {
    if (owned && bytes.length >= BLOCK_BYTES) {
      await this.flushBlock();
      await this.emit(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return;
    }
    if (this.at + bytes.length > this.block.length) await this.flushBlock();
    if (bytes.length > this.block.length) {
      await this.emit(Buffer.from(bytes));
      return;
    }
    this.block.set(bytes, this.at);
    this.at += bytes.length;
  }

  private async flushBlock(): Promise<void> {
    if (this.at === 0) return;
    const full = this.block.subarray(0, this.at);
    this.block = Buffer.allocUnsafe(BLOCK_BYTES);
    this.at = 0;
    await this.emit(full);
  }
}

function rowText(shape: RowShape, step: number, wallTime: number, value: number): string {
  const utf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  const f = shape.numberText;
  return (
    `${utf8(shape.prefix)}${f(step)}${utf8(shape.afterStep)}${f(wallTime)}` +
    `${utf8(shape.afterWallTime)}${f(value)}${utf8(shape.end)}`
  );
}

/** A number as JSON text: non-finite values travel as strings. */
export function jsonNumberText(x: number): string {
  return Number.isFinite(x) ? numberText(x) : `"${formatNumber(x)}"`;
}

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

export function csvRowShape(runField: string, tagField: string): RowShape {
  return {
    prefix: bytes(`${runField},${tagField},`),
    afterStep: bytes(','),
    afterWallTime: bytes(','),
    end: bytes('\n'),
    numberText,
  };
}

export function jsonlRowShape(run: string, tag: string): RowShape {
  return {
    ...jsonArrayRowShape(run, tag),
    prefix: bytes(`{"run":${JSON.stringify(run)},"tag":${JSON.stringify(tag)},"step":`),
    end: bytes('}\n'),
  };
}

/** A row of the JSON array format after the array's first: its separator first, no newline after. */
export function jsonArrayRowShape(run: string, tag: string): RowShape {
  return {
    prefix: bytes(`,\n{"run":${JSON.stringify(run)},"tag":${JSON.stringify(tag)},"step":`),
    afterStep: bytes(',"wall_time":'),
    afterWallTime: bytes(',"value":'),
    end: bytes('}'),
    numberText: jsonNumberText,
  };
}
