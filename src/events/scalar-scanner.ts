import { loadWasm, type WasmGlobal } from '../wasm-module';

/**
 * The WebAssembly half of the loader's hot loop (wasm/scan-scalars.ts, built
 * to dist/wasm/): frames and CRC-checks records and reads plain scalar events
 * into a batch of columns, at full speed from the first call — the same loop
 * in JavaScript spent most of a short export warming up the JIT. One scanner
 * per thread; tag ids are the scanner's own, stable for its lifetime.
 */

/** Facts about a group of a batch (ScalarBatch.groupFlags). */
export const GROUP = {
  /** Every step is below 2^32. */
  STEPS_32: 1,
  /** Every value is exactly a float32 (or NaN). */
  VALUES_32: 2,
  /** Some records are simple_value (their legacy metadata applies). */
  SIMPLE: 4,
} as const;

/** Records per scan: enough to amortise the call, few enough to stay in cache. */
const BATCH_RECORDS = 4096;
/**
 * Bytes copied into WebAssembly memory per scan at most: plain scalar
 * records are tens of bytes, and a buffer joined around a large record (an
 * image, a graph) must not grow WebAssembly memory (which never shrinks).
 */
const WINDOW_BYTES = 1024 * 1024;
/** Distinct tags the scanner remembers; records of further tags take the general path. */
const MAX_TAGS = 1 << 16;
const TAG_BYTES = 4 * 1024 * 1024;

interface ScannerExports {
  memory: { buffer: ArrayBuffer };
  setup(capacity: number, tags: number, bytesForTags: number): void;
  input(length: number): number;
  scan(from: number, length: number, maxRecord: number, token: number, stepFloor: number, watchSteps: number): number;
  batchSteps: WasmGlobal;
  batchWallTimes: WasmGlobal;
  batchValues: WasmGlobal;
  batchDtypes: WasmGlobal;
  groupTags: WasmGlobal;
  groupStarts: WasmGlobal;
  groupLengths: WasmGlobal;
  groupFlags: WasmGlobal;
  groupCount: WasmGlobal;
  batchEnd: WasmGlobal;
  batchFirstWallTime: WasmGlobal;
  batchLastWallTime: WasmGlobal;
  batchLastStep: WasmGlobal;
  stoppedAtTag: WasmGlobal;
  cutAtEnd: WasmGlobal;
  acceptTokens: WasmGlobal;
  tagTableOffsets: WasmGlobal;
  tagTableLengths: WasmGlobal;
  tagTableBytes: WasmGlobal;
}

/** What the reader asks of a scan (see ScalarScanner.scan). */
export interface ScanLimits {
  /** The reader's token (ScalarScanner.newToken): only tags accepted for it are scanned. */
  token: number;
  /** With watchSteps, the scan stops at a step below the one before it (stepFloor before the first). */
  stepFloor: number;
  watchSteps: boolean;
}

/**
 * The records of one scan, grouped by tag: groups in order of each tag's
 * first record, records within a group in file order; columns indexed by
 * groupStarts[g] … + groupLengths[g]. Valid until the next scan on the thread.
 */
export interface ScalarBatch {
  count: number;
  steps: Float64Array;
  wallTimes: Float64Array;
  values: Float64Array;
  /** DT.FLOAT or DT.DOUBLE per record. */
  dtypes: Uint8Array;
  groupCount: number;
  groupTags: Int32Array;
  groupStarts: Uint32Array;
  groupLengths: Uint32Array;
  /** GROUP bits per group. */
  groupFlags: Uint8Array;
  /** Of the first and last records in file order. */
  firstWallTime: number;
  lastWallTime: number;
  lastStep: number;
  /** Where the last record ends in the scanned buffer. */
  end: number;
  /**
   * The scan stopped only for room (a full batch, or the end of the part of a longer buffer it was given): scan on from
   * `end`.
   */
  more: boolean;
  /** The tag id of the plain scalar record the scan stopped at because its tag is not accepted; -1 otherwise. */
  stoppedAtTag: number;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ScalarScanner {
  private readonly k: ScannerExports;
  private memory!: ArrayBuffer;
  private readonly batch = {} as ScalarBatch;
  private acceptTokens!: Uint32Array;
  private readonly tagTexts: (string | null)[] = [];
  private nextToken = 1;
  /** The buffer whose bytes [copyStart, copyEnd) the input region holds. */
  private copiedFrom: Uint8Array | undefined;
  private copyStart = 0;
  private copyEnd = 0;

  private constructor(k: ScannerExports) {
    this.k = k;
    k.setup(BATCH_RECORDS, MAX_TAGS, TAG_BYTES);
    this.bind();
  }

  /**
   * A token for a new reader (one per event file: tag acceptance is per file, as TensorBoard's first-metadata rule is).
   */
  newToken(): number {
    return this.nextToken++;
  }

  /**
   * From now on, scans for `token` take the plain scalar records of tag `id`.
   * A tag holds one token, the last reader's to accept it: another reader's
   * scan stops at it once and accepts it again (a check per tag and file read).
   */
  accept(token: number, id: number): void {
    this.acceptTokens[id] = token;
  }

  /** The tag of an id as text; undefined when its bytes are not valid UTF-8. */
  tagText(id: number): string | undefined {
    let text = this.tagTexts[id];
    if (text === undefined) {
      const k = this.k;
      const offset = new Uint32Array(this.memory, k.tagTableOffsets.value as number, MAX_TAGS)[id] as number;
      const length = new Uint32Array(this.memory, k.tagTableLengths.value as number, MAX_TAGS)[id] as number;
      const start = (k.tagTableBytes.value as number) + offset;
      try {
        text = UTF8.decode(new Uint8Array(this.memory, start, length));
      } catch {
        text = null;
      }
      this.tagTexts[id] = text;
    }
    return text ?? undefined;
  }

  /**
   * Scans `buf[from, buf.length)` from a record boundary (see
   * wasm/scan-scalars.ts for where it stops). The bytes are copied into
   * WebAssembly memory once per buffer and reused while the reader goes on
   * through the same buffer.
   */
  scan(buf: Uint8Array, from: number, maxRecordBytes: number, limits: ScanLimits): ScalarBatch {
    const k = this.k;
    const fresh = buf !== this.copiedFrom || from < this.copyStart || from > this.copyEnd;
    // Copy again when the copied part is used up (but for its last few records) and the buffer goes on.
    if (fresh || (this.copyEnd < buf.length && this.copyEnd - from < WINDOW_BYTES / 4)) {
      const length = Math.min(buf.length - from, WINDOW_BYTES);
      const at = k.input(length);
      if (k.memory.buffer !== this.memory) this.bind();
      new Uint8Array(this.memory, at, length).set(buf.subarray(from, from + length));
      this.copiedFrom = buf;
      this.copyStart = from;
      this.copyEnd = from + length;
    }
    const b = this.batch;
    b.count = k.scan(
      from - this.copyStart,
      this.copyEnd - this.copyStart,
      Math.min(maxRecordBytes, 0x7fffffff),
      limits.token,
      limits.stepFloor,
      limits.watchSteps ? 1 : 0,
    );
    const cutByWindow = (k.cutAtEnd.value as number) !== 0 && this.copyEnd < buf.length;
    b.more = b.count === BATCH_RECORDS || (cutByWindow && b.count > 0);
    b.end = this.copyStart + (k.batchEnd.value as number);
    b.stoppedAtTag = k.stoppedAtTag.value as number;
    b.groupCount = k.groupCount.value as number;
    b.firstWallTime = k.batchFirstWallTime.value as number;
    b.lastWallTime = k.batchLastWallTime.value as number;
    b.lastStep = k.batchLastStep.value as number;
    return b;
  }

  /** (Re)make the views: growing WebAssembly memory detaches the old ones. */
  private bind(): void {
    const k = this.k;
    const m = k.memory.buffer;
    this.memory = m;
    const at = (g: WasmGlobal): number => g.value as number;
    const b = this.batch;
    b.steps = new Float64Array(m, at(k.batchSteps), BATCH_RECORDS);
    b.wallTimes = new Float64Array(m, at(k.batchWallTimes), BATCH_RECORDS);
    b.values = new Float64Array(m, at(k.batchValues), BATCH_RECORDS);
    b.dtypes = new Uint8Array(m, at(k.batchDtypes), BATCH_RECORDS);
    b.groupTags = new Int32Array(m, at(k.groupTags), BATCH_RECORDS);
    b.groupStarts = new Uint32Array(m, at(k.groupStarts), BATCH_RECORDS);
    b.groupLengths = new Uint32Array(m, at(k.groupLengths), BATCH_RECORDS);
    b.groupFlags = new Uint8Array(m, at(k.groupFlags), BATCH_RECORDS);
    this.acceptTokens = new Uint32Array(m, at(k.acceptTokens), MAX_TAGS);
  }

  private static instance: ScalarScanner | null | undefined;

  /**
   * This thread's scanner; undefined when the WebAssembly module was not built (the JavaScript path then reads
   * everything).
   */
  static shared(): ScalarScanner | undefined {
    if (ScalarScanner.instance === undefined) ScalarScanner.instance = ScalarScanner.load();
    return ScalarScanner.instance ?? undefined;
  }

  private static load(): ScalarScanner | null {
    const exports = loadWasm<ScannerExports>('scan-scalars');
    return exports === undefined ? null : new ScalarScanner(exports);
  }
}
