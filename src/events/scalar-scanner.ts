import { loadWasm } from '../wasm-module';
import { RECORD_KIND, REGIONS, RESULTS, VALUE_KIND } from './scanner-abi';
import { DT, type TagMetadata } from './types';

/**
 * The WebAssembly half of the loader's hot loop (wasm/scan-scalars.ts, built
 * to dist/wasm/): frames and CRC-checks records and reads plain scalar events
 * into a batch of columns, at full speed from the first call — the same loop
 * in JavaScript spent most of a short export warming up the JIT. It also
 * reads single records the batches leave (a tag's first value with its
 * metadata, file_version events, records cut by a chunk boundary): the one
 * fast reader of plain scalar events, whose leftovers go to the general
 * decoder. One scanner per thread; tag ids are the scanner's own, stable for
 * its lifetime. What it shares with the WebAssembly side is in scanner-abi.ts.
 */

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
  /** Returns where the REGIONS' addresses are. */
  setup(capacity: number, tags: number, bytesForTags: number): number;
  input(length: number): number;
  record(length: number): number;
  scan(from: number, length: number, maxRecord: number, token: number, stepFloor: number, watchSteps: number): number;
  readRecord(length: number): number;
}

/** Names → their index in a table of scanner-abi.ts. */
function indexes<T extends string>(names: readonly T[]): Record<T, number> {
  return Object.fromEntries(names.map((name, i) => [name, i])) as Record<T, number>;
}
const REGION = indexes(REGIONS);
const RESULT = indexes(RESULTS);

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

/**
 * Payloads longer than this are not offered to readRecord(): plain scalar
 * events are tens of bytes, and copying an image or a graph into
 * WebAssembly memory would grow it for good (it never shrinks).
 */
const RECORD_BYTES = 64 * 1024;

/**
 * One plain scalar event (an Event holding one Summary.Value that is a
 * `simple_value` or a rank-0 float/double tensor, perhaps with metadata) or
 * file_version event, as readRecord() read it. Reused: read it before the
 * next call.
 */
export interface PlainEvent {
  kind: 'scalar' | 'file_version';
  wallTime: number;
  step: number;
  /** The value's tag (scalar events). */
  tag: string;
  /** True for `simple_value`, false for a tensor. */
  simple: boolean;
  /** DT.FLOAT or DT.DOUBLE. */
  dtype: number;
  value: number;
  /** The value's SummaryMetadata, when it had one (a tag's first value usually does): a fresh object. */
  metadata: TagMetadata | undefined;
  /** The version string (file_version events). */
  version: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ScalarScanner {
  private readonly k: ScannerExports;
  private memory!: ArrayBuffer;
  private readonly regions: number;
  private results!: Float64Array;
  private readonly batch = {} as ScalarBatch;
  private readonly plain: PlainEvent = {
    kind: 'scalar',
    wallTime: 0,
    step: 0,
    tag: '',
    simple: false,
    dtype: DT.FLOAT,
    value: 0,
    metadata: undefined,
    version: '',
  };
  private acceptTokens!: Uint32Array;
  private tagOffsets!: Uint32Array;
  private tagLengths!: Uint32Array;
  private tagBytesAt = 0;
  private readonly tagTexts: (string | null)[] = [];
  private nextToken = 1;
  /** The buffer whose bytes [copyStart, copyEnd) the input region holds. */
  private copiedFrom: Uint8Array | undefined;
  private copyStart = 0;
  private copyEnd = 0;

  private constructor(k: ScannerExports) {
    this.k = k;
    this.regions = k.setup(BATCH_RECORDS, MAX_TAGS, TAG_BYTES);
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
      const start = this.tagBytesAt + (this.tagOffsets[id] as number);
      text = this.text(start, this.tagLengths[id] as number) ?? null;
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
    const r = this.results;
    const cutByWindow = (r[RESULT.cutAtEnd] as number) !== 0 && this.copyEnd < buf.length;
    b.more = b.count === BATCH_RECORDS || (cutByWindow && b.count > 0);
    b.end = this.copyStart + (r[RESULT.batchEnd] as number);
    b.stoppedAtTag = r[RESULT.stoppedAtTag] as number;
    b.groupCount = r[RESULT.groupCount] as number;
    b.firstWallTime = r[RESULT.firstWallTime] as number;
    b.lastWallTime = r[RESULT.lastWallTime] as number;
    b.lastStep = r[RESULT.lastStep] as number;
    return b;
  }

  /**
   * One record's payload (`data`, without framing) as a plain scalar or
   * file_version event; undefined for anything else, and for text that is not
   * UTF-8 (the general decoder reads those). Steps beyond 2^49 and a field
   * twice are declined too.
   */
  readRecord(data: Uint8Array): PlainEvent | undefined {
    if (data.length > RECORD_BYTES) return undefined;
    const k = this.k;
    const at = k.record(data.length);
    if (k.memory.buffer !== this.memory) this.bind();
    new Uint8Array(this.memory, at, data.length).set(data);
    const kind = k.readRecord(data.length);
    if (kind === RECORD_KIND.OTHER) return undefined;
    const r = this.results;
    const p = this.plain;
    p.wallTime = r[RESULT.wallTime] as number;
    p.step = r[RESULT.step] as number;
    if (kind === RECORD_KIND.FILE_VERSION) {
      const version = this.text(r[RESULT.versionStart] as number, r[RESULT.versionLength] as number);
      if (version === undefined) return undefined;
      p.kind = 'file_version';
      p.version = version;
      return p;
    }
    const id = r[RESULT.tagId] as number;
    const tag = id >= 0 ? this.tagText(id) : this.text(r[RESULT.tagStart] as number, r[RESULT.tagLength] as number);
    if (tag === undefined) return undefined;
    let metadata: TagMetadata | undefined;
    if (r[RESULT.hasMetadata] !== 0) {
      metadata = this.metadata();
      if (metadata === undefined) return undefined;
    }
    const valueKind = r[RESULT.valueKind] as number;
    p.kind = 'scalar';
    p.tag = tag;
    p.simple = valueKind === VALUE_KIND.SIMPLE;
    p.dtype = valueKind === VALUE_KIND.DOUBLE ? DT.DOUBLE : DT.FLOAT;
    p.value = r[RESULT.value] as number;
    p.metadata = metadata;
    return p;
  }

  /** The SummaryMetadata readRecord() found; undefined when a string of it is not UTF-8. */
  private metadata(): TagMetadata | undefined {
    const r = this.results;
    const pluginName = this.text(r[RESULT.pluginNameStart] as number, r[RESULT.pluginNameLength] as number);
    const displayName = this.text(r[RESULT.displayNameStart] as number, r[RESULT.displayNameLength] as number);
    const description = this.text(r[RESULT.descriptionStart] as number, r[RESULT.descriptionLength] as number);
    if (pluginName === undefined || displayName === undefined || description === undefined) return undefined;
    const contentStart = r[RESULT.contentStart] as number;
    return {
      pluginName,
      // A copy: the scanner's memory is reused.
      pluginContent: new Uint8Array(this.memory, contentStart, r[RESULT.contentLength] as number).slice(),
      displayName,
      description,
      dataClass: r[RESULT.dataClass] as number,
    };
  }

  /** UTF-8 text in the scanner's memory; undefined when it is not valid UTF-8. */
  private text(start: number, length: number): string | undefined {
    try {
      return UTF8.decode(new Uint8Array(this.memory, start, length));
    } catch {
      return undefined;
    }
  }

  /** Where region `name` lies in the scanner's memory. */
  private region(name: (typeof REGIONS)[number]): number {
    return new Uint32Array(this.memory, this.regions, REGIONS.length)[REGION[name]] as number;
  }

  /** (Re)make the views: growing WebAssembly memory detaches the old ones. */
  private bind(): void {
    const m = this.k.memory.buffer;
    this.memory = m;
    const b = this.batch;
    b.steps = new Float64Array(m, this.region('batchSteps'), BATCH_RECORDS);
    b.wallTimes = new Float64Array(m, this.region('batchWallTimes'), BATCH_RECORDS);
    b.values = new Float64Array(m, this.region('batchValues'), BATCH_RECORDS);
    b.dtypes = new Uint8Array(m, this.region('batchDtypes'), BATCH_RECORDS);
    b.groupTags = new Int32Array(m, this.region('groupTags'), BATCH_RECORDS);
    b.groupStarts = new Uint32Array(m, this.region('groupStarts'), BATCH_RECORDS);
    b.groupLengths = new Uint32Array(m, this.region('groupLengths'), BATCH_RECORDS);
    b.groupFlags = new Uint8Array(m, this.region('groupFlags'), BATCH_RECORDS);
    this.acceptTokens = new Uint32Array(m, this.region('acceptTokens'), MAX_TAGS);
    this.tagOffsets = new Uint32Array(m, this.region('tagOffsets'), MAX_TAGS);
    this.tagLengths = new Uint32Array(m, this.region('tagLengths'), MAX_TAGS);
    this.tagBytesAt = this.region('tagBytes');
    this.results = new Float64Array(m, this.region('results'), RESULTS.length);
  }

  private static instance: ScalarScanner | undefined;

  /** This thread's scanner (a MissingAssetError when dist/wasm/scan-scalars.wasm was not built). */
  static shared(): ScalarScanner {
    ScalarScanner.instance ??= new ScalarScanner(loadWasm<ScannerExports>('scanScalarsWasm'));
    return ScalarScanner.instance;
  }
}
