import { TFRECORD } from '../tfrecord/framing';
import type { WarningSink } from '../warnings';
import { audioTensor, histogramTensor, imageTensor, scalarTensor } from './migrate-legacy';
import { legacyMetadata, migratedDataClass, PLUGIN, RUN_GRAPH_TAG } from './plugins';
import {
  protoType,
  type EventMsg,
  type Int64,
  type SummaryMetadataMsg,
  type SummaryValueMsg,
} from '../protobuf/schema';
import { BadTensorError, byteRef, decodeTensor, type ByteOrigin } from './tensor';
import { DATA_CLASS, DT, type DecodedEvent, type DecodedTensor, type DecodedValue, type TagMetadata } from './types';
import { ScalarScanner, type PlainEvent } from './scalar-scanner';

/** The Event message type, looked up on first use (see protoRoot). */
let eventType: ReturnType<typeof protoType> | undefined;
function EventType(): ReturnType<typeof protoType> {
  eventType ??= protoType('Event');
  return eventType;
}

function toTagMetadata(m: SummaryMetadataMsg): TagMetadata {
  return {
    pluginName: m.pluginData?.pluginName ?? '',
    pluginContent: new Uint8Array(m.pluginData?.content ?? new Uint8Array(0)),
    displayName: m.displayName ?? '',
    description: m.summaryDescription ?? '',
    dataClass: m.dataClass ?? DATA_CLASS.UNKNOWN,
  };
}

/** The data class TensorBoard ends up giving a tag whose first metadata is `initial`. */
function effectiveDataClass(initial: TagMetadata): number {
  return migratedDataClass(initial) ?? initial.dataClass;
}

const EMPTY_METADATA: TagMetadata = {
  pluginName: '',
  pluginContent: new Uint8Array(0),
  displayName: '',
  description: '',
  dataClass: DATA_CLASS.UNKNOWN,
};

/** The hparams plugin's stand-in for a value written without a tensor. */
const NULL_FLOAT_TENSOR: DecodedTensor = { kind: 'numeric', dtype: DT.FLOAT, shape: [0], values: new Float64Array(0) };

function blobMetadata(pluginName: string): TagMetadata {
  return { ...EMPTY_METADATA, pluginName, dataClass: DATA_CLASS.BLOB_SEQUENCE };
}

/**
 * A plain scalar record as the fast path reads it (the scanner's
 * readRecord): what decode() would give as a one-value summary event,
 * without building it. The decoder reuses one such object; read it before
 * the next record.
 */
export interface ScalarRecord {
  wallTime: number;
  step: number;
  tag: string;
  dtype: number;
  value: number;
  /**
   * The value's metadata as the general path gives it: a `simple_value`'s legacy scalars metadata, a tensor's own
   * (usually only its first).
   */
  metadata: TagMetadata | undefined;
}

/** A scanned tag accepted as a scalars series, and the metadata its simple_value points carry. */
export interface ScannedTag {
  tag: string;
  simpleMetadata: TagMetadata;
}

/** Scanned tags by the scanner's tag id. */
export type ScannedTags = readonly (ScannedTag | undefined)[];

/** What a decoder remembers of its file, for carrying a read over to another thread. */
export interface DecoderResume {
  initialMetadata: [string, TagMetadata][];
  warnedStepPrecision: boolean;
}

/**
 * Decodes the Event records of one file into typed events, applying
 * TensorBoard's read-time migrations: legacy values become tensors, data
 * classes are filled in from the first metadata of each tag in the file, a
 * `graph_def` also yields a `__run_graph__` value and tagged run metadata
 * becomes a `graph_tagged_run_metadata` value.
 *
 * One decoder per file: TensorBoard keys its "first metadata" memory by file.
 *
 * Two readers feed the same rules: plain scalar and file_version events are
 * read by the WebAssembly scanner (ScalarScanner.readRecord, and its batches
 * once a tag is known here as a scalars series: acceptScannedTag), anything
 * else by protobufjs; both go through `initialMetadata` and
 * migratedDataClass exactly alike.
 */
export class EventFileDecoder {
  private readonly initialMetadata = new Map<string, TagMetadata>();
  private warnedStepPrecision = false;
  /** Plain scalar events read by the scanner (see ScalarScanner.readRecord); false forces the general path. */
  fastScalars = true;
  private readonly scanner = ScalarScanner.shared();
  /** The legacy metadata of simple_value tags on the fast path, made once per tag. */
  private readonly simpleValueMetadata = new Map<string, TagMetadata>();
  /** Tags of scanned batches, by the scanner's tag id, known to be scalars series in this file. */
  private readonly scanned: (ScannedTag | undefined)[] = [];
  private token = 0;
  private readonly record: ScalarRecord = { wallTime: 0, step: 0, tag: '', dtype: 0, value: 0, metadata: undefined };

  constructor(
    private readonly onWarning: WarningSink = () => {},
    private readonly file?: string,
  ) {}

  resumeState(): DecoderResume {
    return { initialMetadata: [...this.initialMetadata], warnedStepPrecision: this.warnedStepPrecision };
  }

  /** Continue a file another decoder has read so far (see resumeState). */
  restore(state: DecoderResume): void {
    for (const [tag, md] of state.initialMetadata) this.initialMetadata.set(tag, md);
    this.warnedStepPrecision = state.warnedStepPrecision;
  }

  /**
   * @param data the record payload
   * @param dataOffset file offset of data[0], so payloads become references
   */
  decode(data: Uint8Array, dataOffset: number): DecodedEvent[] {
    if (this.fastScalars) {
      const plain = this.scanner.readRecord(data);
      if (plain?.kind === 'file_version')
        return [{ wallTime: plain.wallTime, step: plain.step, kind: 'file_version', version: plain.version }];
      if (plain !== undefined) {
        const fast = this.fastScalar(plain);
        if (fast !== undefined) return fast;
      }
    }
    let msg: EventMsg;
    try {
      msg = EventType().decode(data) as unknown as EventMsg;
    } catch (err) {
      this.warn(
        'BAD_EVENT_PROTO',
        dataOffset - TFRECORD.HEADER_BYTES,
        `record is not an Event proto (${(err as Error).message}); skipped`,
      );
      return [];
    }
    const origin: ByteOrigin = { data, fileOffset: dataOffset };
    const wallTime = msg.wallTime ?? 0;
    const step = this.step(msg.step, dataOffset - TFRECORD.HEADER_BYTES);
    const base = { wallTime, step };
    switch (msg.what) {
      case 'fileVersion':
        return [{ ...base, kind: 'file_version', version: msg.fileVersion ?? '' }];
      case 'graphDef': {
        const graph = byteRef(msg.graphDef ?? new Uint8Array(0), origin, false);
        const runGraph: DecodedValue = {
          tag: RUN_GRAPH_TAG,
          metadata: blobMetadata(PLUGIN.GRAPHS),
          tensor: { kind: 'string', dtype: DT.STRING, shape: [1], values: [graph] },
        };
        return [
          { ...base, kind: 'graph_def', graph },
          { ...base, kind: 'summary', values: [runGraph] },
        ];
      }
      case 'metaGraphDef':
        return [
          { ...base, kind: 'meta_graph_def', metaGraph: byteRef(msg.metaGraphDef ?? new Uint8Array(0), origin, false) },
        ];
      case 'taggedRunMetadata': {
        const trm = msg.taggedRunMetadata;
        const value: DecodedValue = {
          tag: trm?.tag ?? '',
          metadata: blobMetadata(PLUGIN.GRAPH_TAGGED_RUN_METADATA),
          tensor: {
            kind: 'string',
            dtype: DT.STRING,
            shape: [1],
            values: [byteRef(trm?.runMetadata ?? new Uint8Array(0), origin, false)],
          },
        };
        return [{ ...base, kind: 'summary', values: [value] }];
      }
      case 'sessionLog':
        return [{ ...base, kind: 'session_log', status: msg.sessionLog?.status ?? 0 }];
      case 'summary': {
        const values: DecodedValue[] = [];
        for (const v of msg.summary?.value ?? []) {
          const decoded = this.value(v, origin);
          if (decoded !== undefined) values.push(decoded);
        }
        return [{ ...base, kind: 'summary', values }];
      }
      default:
        return [{ ...base, kind: 'other' }];
    }
  }

  /**
   * The record as a plain scalar of a scalars series (a tag's first value,
   * with its metadata, included), read without event objects; undefined
   * means "use decode()".
   */
  scalarRecord(data: Uint8Array): ScalarRecord | undefined {
    if (!this.fastScalars) return undefined;
    const plain = this.scanner.readRecord(data);
    return plain?.kind === 'scalar' ? this.plainScalarRecord(plain) : undefined;
  }

  /**
   * What the general path makes of a plain scalar value (see value()): its
   * metadata migrated as TensorBoard migrates it, the tag's first metadata
   * remembered. Undefined, with nothing remembered, when the tag is not a
   * scalars series: the general path then decides.
   */
  private plainScalarRecord(plain: PlainEvent): ScalarRecord | undefined {
    const tag = plain.tag;
    let metadata =
      plain.simple && plain.metadata !== undefined ? legacyMetadata('scalars', tag, plain.metadata) : plain.metadata;
    let initial = this.initialMetadata.get(tag);
    if (initial === undefined) {
      const first = plain.simple && metadata === undefined ? legacyMetadata('scalars', tag, undefined) : metadata;
      if (first === undefined || first.pluginName !== PLUGIN.SCALARS) return undefined;
      initial = { ...first };
      this.initialMetadata.set(tag, initial);
    } else if (initial.pluginName !== PLUGIN.SCALARS) {
      return undefined;
    }
    if (metadata === undefined) {
      if (plain.simple) metadata = this.simpleMetadata(tag, initial);
    } else {
      const migrated = migratedDataClass(initial);
      if (migrated !== undefined) metadata.dataClass = migrated;
    }
    const r = this.record;
    r.wallTime = plain.wallTime;
    r.step = plain.step;
    r.tag = tag;
    r.dtype = plain.dtype;
    r.value = plain.value;
    r.metadata = metadata;
    return r;
  }

  /** This file's token for the scanner (see ScalarScanner.newToken). */
  get scanToken(): number {
    if (this.token === 0) this.token = this.scanner.newToken();
    return this.token;
  }

  /** Tags of scanned batches, by the scanner's tag id, known to be scalars series in this file. */
  get scannedTags(): ScannedTags {
    return this.scanned;
  }

  /**
   * Whether the scanner may take the plain scalar records of tag `id` for
   * this file: exactly when scalarRecord() would accept them, i.e. the tag is
   * already a scalars series here. Remembers the answer yes.
   */
  acceptScannedTag(id: number): boolean {
    if (!this.fastScalars) return false;
    const tag = this.scanner.tagText(id);
    const initial = tag === undefined ? undefined : this.initialMetadata.get(tag);
    if (tag === undefined || initial === undefined || initial.pluginName !== PLUGIN.SCALARS) return false;
    this.scanned[id] = { tag, simpleMetadata: this.simpleMetadata(tag, initial) };
    this.scanner.accept(this.scanToken, id);
    return true;
  }

  /** A plain scalar value as a summary event: the same result the general path gives. */
  private fastScalar(plain: PlainEvent): DecodedEvent[] | undefined {
    const r = this.plainScalarRecord(plain);
    if (r === undefined) return undefined;
    const value: DecodedValue = {
      tag: r.tag,
      tensor: { kind: 'numeric', dtype: r.dtype, shape: [], values: Float64Array.of(r.value) },
    };
    if (r.metadata !== undefined) value.metadata = r.metadata;
    return [{ wallTime: r.wallTime, step: r.step, kind: 'summary', values: [value] }];
  }

  /** The legacy metadata of a simple_value tag, made once per tag. */
  private simpleMetadata(tag: string, initial: TagMetadata): TagMetadata {
    let metadata = this.simpleValueMetadata.get(tag);
    if (metadata === undefined) {
      metadata = legacyMetadata('scalars', tag, undefined);
      const migrated = migratedDataClass(initial);
      if (migrated !== undefined) metadata.dataClass = migrated;
      this.simpleValueMetadata.set(tag, metadata);
    }
    return metadata;
  }

  private step(raw: Int64 | undefined, offset: number): number {
    if (raw === undefined || raw === null) return 0;
    if (typeof raw === 'number') return raw;
    const n = raw.toNumber();
    if (!Number.isSafeInteger(n) && !this.warnedStepPrecision) {
      this.warnedStepPrecision = true;
      this.warn('STEP_PRECISION_LOSS', offset, `step ${raw.toString()} is beyond 2^53 and is rounded to ${n}`);
    }
    return n;
  }

  /** One Summary.Value, migrated as TensorBoard migrates it; undefined when it holds nothing TensorBoard keeps. */
  private value(v: SummaryValueMsg, origin: ByteOrigin): DecodedValue | undefined {
    const tag = v.tag ?? '';
    let metadata = v.metadata ? toTagMetadata(v.metadata) : undefined;
    const original = metadata;
    let tensor: DecodedTensor | undefined;
    switch (v.value) {
      case 'simpleValue':
        metadata = legacyMetadata('scalars', tag, original);
        tensor = scalarTensor(v.simpleValue ?? 0);
        break;
      case 'histo':
        metadata = legacyMetadata('histograms', tag, original);
        tensor = histogramTensor(v.histo ?? {});
        break;
      case 'image':
        metadata = legacyMetadata('images', tag, original);
        tensor = imageTensor(v.image ?? {}, origin);
        break;
      case 'audio':
        metadata = legacyMetadata('audio', tag, original);
        tensor = audioTensor(v.audio ?? {}, origin);
        break;
      default:
        break;
    }

    let initial = this.initialMetadata.get(tag);
    if (initial === undefined) {
      initial = metadata ? { ...metadata } : EMPTY_METADATA;
      this.initialMetadata.set(tag, initial);
    }
    const migrateClass = migratedDataClass(initial);

    if (v.value === 'tensor' && v.tensor) {
      const keepCopies = effectiveDataClass(initial) !== DATA_CLASS.BLOB_SEQUENCE;
      try {
        tensor = decodeTensor(v.tensor, origin, keepCopies);
      } catch (err) {
        if (!(err instanceof BadTensorError)) throw err;
        this.warn(
          'BAD_TENSOR',
          origin.fileOffset - TFRECORD.HEADER_BYTES,
          `tag '${tag}': ${err.message}; value skipped`,
        );
      }
    }

    if (migrateClass !== undefined) {
      if (metadata) metadata.dataClass = migrateClass;
      tensor = migrateTensorForPlugin(initial.pluginName, tensor);
    }

    if (metadata === undefined && tensor === undefined) return undefined;
    // Old TF1 summaries may name a value by node_name only.
    const out: DecodedValue = { tag: tag || (v.nodeName ?? '') };
    if (metadata) out.metadata = metadata;
    if (tensor) out.tensor = tensor;
    return out;
  }

  private warn(code: 'BAD_EVENT_PROTO' | 'BAD_TENSOR' | 'STEP_PRECISION_LOSS', offset: number, message: string): void {
    this.onWarning(this.file === undefined ? { code, offset, message } : { code, offset, message, file: this.file });
  }
}

/** Per-plugin tensor fixes TensorBoard applies along with a legacy series' data class. */
function migrateTensorForPlugin(pluginName: string, tensor: DecodedTensor | undefined): DecodedTensor | undefined {
  switch (pluginName) {
    case PLUGIN.AUDIO: {
      // Keep only the first axis: the clips, not their labels.
      if (tensor === undefined || tensor.kind !== 'string' || tensor.shape.length <= 1) return tensor;
      const stride = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
      const values = tensor.values.filter((_, i) => i % stride === 0);
      return { ...tensor, shape: [tensor.shape[0] as number], values };
    }
    case PLUGIN.HPARAMS:
      return tensor ?? NULL_FLOAT_TENSOR;
    case PLUGIN.GRAPH_RUN_METADATA:
    case PLUGIN.GRAPH_RUN_METADATA_WITH_GRAPH:
    case PLUGIN.GRAPH_KERAS_MODEL:
      if (tensor !== undefined && tensor.shape.length === 0) return { ...tensor, shape: [1] } as DecodedTensor;
      return tensor;
    default:
      return tensor;
  }
}
