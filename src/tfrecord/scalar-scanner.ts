import * as fs from 'fs';
import * as path from 'path';

/**
 * The WebAssembly half of the loader's hot loop (wasm/scan-scalars.ts, built
 * to dist/wasm/): frames and CRC-checks records and reads plain scalar events
 * into a batch of columns, at full speed from the first call — the same loop
 * in JavaScript spent most of a short export warming up the JIT. One scanner
 * per thread; tag ids are the scanner's own, stable for its lifetime.
 */

/** What a scanned record held: simple_value, or a rank-0 float / double tensor. */
export const SCAN_KIND = { SIMPLE: 1, FLOAT: 2, DOUBLE: 3 } as const;

/** Records per scan: enough to amortise the call, few enough to stay in cache. */
const BATCH_RECORDS = 4096;
/** Distinct tags the scanner remembers; records of further tags take the general path. */
const MAX_TAGS = 1 << 16;
const TAG_BYTES = 4 * 1024 * 1024;

/** The parts of the WebAssembly API used here (the ES2022 lib does not declare it). */
interface WasmGlobal {
  value: unknown;
}
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface ScannerExports {
  memory: { buffer: ArrayBuffer };
  setup(capacity: number, tags: number, bytesForTags: number): void;
  input(length: number): number;
  scan(from: number, length: number, maxRecord: number): number;
  batchSteps: WasmGlobal;
  batchWallTimes: WasmGlobal;
  batchValues: WasmGlobal;
  batchTags: WasmGlobal;
  batchEnds: WasmGlobal;
  batchKinds: WasmGlobal;
  tagTableOffsets: WasmGlobal;
  tagTableLengths: WasmGlobal;
  tagTableBytes: WasmGlobal;
}

/**
 * The records of one scan, columns indexed 0 … count-1, in file order. Valid
 * until the next scan on the same thread.
 */
export interface ScalarBatch {
  count: number;
  steps: Float64Array;
  wallTimes: Float64Array;
  values: Float64Array;
  tags: Int32Array;
  kinds: Uint8Array;
  /** Where record i ends in the scanned buffer. */
  end(i: number): number;
  /** Where record i starts (its header) in the scanned buffer. */
  start(i: number): number;
  /** The tag of an id as text; undefined when its bytes are not valid UTF-8. */
  tagText(id: number): string | undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class WasmScalarBatch implements ScalarBatch {
  count = 0;
  steps!: Float64Array;
  wallTimes!: Float64Array;
  values!: Float64Array;
  tags!: Int32Array;
  kinds!: Uint8Array;
  private ends!: Uint32Array;
  /** Position in the scanned buffer of the scanner's input byte 0, and of the scan's first record. */
  base = 0;
  from = 0;
  private readonly tagTexts: (string | null)[] = [];

  constructor(private readonly k: ScannerExports) {
    this.bind();
  }

  /** (Re)make the views: growing WebAssembly memory detaches the old ones. */
  bind(): void {
    const buffer = this.k.memory.buffer;
    const at = (g: WasmGlobal): number => g.value as number;
    this.steps = new Float64Array(buffer, at(this.k.batchSteps), BATCH_RECORDS);
    this.wallTimes = new Float64Array(buffer, at(this.k.batchWallTimes), BATCH_RECORDS);
    this.values = new Float64Array(buffer, at(this.k.batchValues), BATCH_RECORDS);
    this.tags = new Int32Array(buffer, at(this.k.batchTags), BATCH_RECORDS);
    this.ends = new Uint32Array(buffer, at(this.k.batchEnds), BATCH_RECORDS);
    this.kinds = new Uint8Array(buffer, at(this.k.batchKinds), BATCH_RECORDS);
  }

  end(i: number): number {
    return this.base + (this.ends[i] as number);
  }

  start(i: number): number {
    return i === 0 ? this.from : this.end(i - 1);
  }

  tagText(id: number): string | undefined {
    let text = this.tagTexts[id];
    if (text === undefined) {
      const memory = new Uint8Array(this.k.memory.buffer);
      const offsets = new Uint32Array(this.k.memory.buffer, this.k.tagTableOffsets.value as number, MAX_TAGS);
      const lengths = new Uint32Array(this.k.memory.buffer, this.k.tagTableLengths.value as number, MAX_TAGS);
      const start = (this.k.tagTableBytes.value as number) + (offsets[id] as number);
      try {
        text = UTF8.decode(memory.subarray(start, start + (lengths[id] as number)));
      } catch {
        text = null;
      }
      this.tagTexts[id] = text;
    }
    return text ?? undefined;
  }
}

export class ScalarScanner {
  private readonly batch: WasmScalarBatch;
  private memory: ArrayBuffer;
  /** The buffer whose bytes [copyStart, copyEnd) the input region holds. */
  private copiedFrom: Uint8Array | undefined;
  private copyStart = 0;
  private copyEnd = 0;

  private constructor(private readonly k: ScannerExports) {
    k.setup(BATCH_RECORDS, MAX_TAGS, TAG_BYTES);
    this.batch = new WasmScalarBatch(k);
    this.memory = k.memory.buffer;
  }

  /**
   * Scans `buf[from, buf.length)` from a record boundary. The bytes are copied
   * into WebAssembly memory once per buffer and reused while the reader goes
   * on through the same buffer.
   */
  scan(buf: Uint8Array, from: number, maxRecordBytes: number): ScalarBatch {
    if (buf !== this.copiedFrom || from < this.copyStart || buf.length !== this.copyEnd) {
      const length = buf.length - from;
      const at = this.k.input(length);
      this.rebindIfGrown();
      new Uint8Array(this.memory, at, length).set(buf.subarray(from));
      this.copiedFrom = buf;
      this.copyStart = from;
      this.copyEnd = buf.length;
    }
    const b = this.batch;
    b.base = this.copyStart;
    b.from = from;
    b.count = this.k.scan(from - this.copyStart, this.copyEnd - this.copyStart, Math.min(maxRecordBytes, 0x7fffffff));
    return b;
  }

  private rebindIfGrown(): void {
    if (this.k.memory.buffer !== this.memory) {
      this.memory = this.k.memory.buffer;
      this.batch.bind();
    }
  }

  private static instance: ScalarScanner | null | undefined;

  /** This thread's scanner; undefined when the WebAssembly module was not built (the JavaScript path then reads everything). */
  static shared(): ScalarScanner | undefined {
    if (ScalarScanner.instance === undefined) ScalarScanner.instance = ScalarScanner.load();
    return ScalarScanner.instance ?? undefined;
  }

  private static load(): ScalarScanner | null {
    const file = wasmFile();
    if (file === undefined) return null;
    const module = new wasm.Module(fs.readFileSync(file));
    const instance = new wasm.Instance(module, {
      env: {
        abort: () => {
          throw new Error('scan-scalars.wasm aborted');
        },
      },
    });
    return new ScalarScanner(instance.exports as unknown as ScannerExports);
  }
}

/** dist/wasm/scan-scalars.wasm, from dist/src/tfrecord (built) or src/tfrecord (tests run from sources). */
function wasmFile(): string | undefined {
  for (const candidate of [path.join(__dirname, '..', '..', 'wasm', 'scan-scalars.wasm'), path.join(__dirname, '..', '..', 'dist', 'wasm', 'scan-scalars.wasm')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
