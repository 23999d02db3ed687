import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { protoType, type EventMsg, type SummaryMetadataMsg, type SummaryValueMsg } from '../protobuf/schema';
import { encodeRecord } from '../tfrecord/encode-record';
import {
  histogramMetadata,
  imageMetadata,
  legacyHistogramValue,
  legacyImageValue,
  scalarMetadata,
  simpleScalarValue,
  tensorHistogramValue,
  tensorImageValue,
  tensorScalarValue,
  textMetadata,
  textValue,
  type EncodedImage,
  type MetadataText,
} from './summary-values';

/** The Event message type, looked up on first write (see protoRoot). */
let eventType: ReturnType<typeof protoType> | undefined;
function EventType(): ReturnType<typeof protoType> {
  eventType ??= protoType('Event');
  return eventType;
}

/** The version marker TensorFlow writes as the first event of every file. */
export const FILE_VERSION = 'brain.Event:2';

export interface EventWriterOptions {
  /** Appended to the file name, e.g. `.v2` as TF2 does (logdir targets only). */
  filenameSuffix?: string;
  /** How `addScalar` writes by default: TF2 tensors (default) or PyTorch's `simple_value`. */
  scalarStyle?: ScalarStyle;
  /** Records buffered before they are written out (default 10, as PyTorch). 1 writes every event at once. */
  maxQueue?: number;
  /** Buffered records are written at most this many ms later (default 2000). */
  flushMillis?: number;
  /** Wall-clock seconds for events without an explicit `wallTime` (default: now). */
  clock?: () => number;
}

export type ScalarStyle = 'tensor' | 'simple_value';

/** Fields every `add*` call takes. */
export interface PointOptions extends MetadataText {
  /** Seconds since the epoch (default: the writer's clock). */
  wallTime?: number;
}

export interface ScalarOptions extends PointOptions {
  style?: ScalarStyle;
  /** Tensor style only: float32 (default, like tf.summary.scalar) or float64. */
  dtype?: 'float32' | 'float64';
}

export interface ImageOptions extends PointOptions {
  /** `tensor`: TF2's `[w, h, png...]` (default); `legacy`: Summary.Image, one image only. */
  style?: 'tensor' | 'legacy';
}

export interface HistogramOptions extends PointOptions {
  /** `tensor`: TF2's k×3 rows (default); `legacy`: HistogramProto on TensorFlow's default edges. */
  style?: 'tensor' | 'legacy';
  /** Tensor style: number of equal-width buckets (default 30). */
  buckets?: number;
}

/** Per-process counter in file names, so two writers of one second never collide. */
let fileCounter = 0;

/** Open writers, flushed if the process exits without closing them. */
const openWriters = new Set<EventWriter>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const w of openWriters) w.close();
  });
}

/** TensorFlow's event file name: `events.out.tfevents.<secs>.<host>.<pid>.<n><suffix>`. */
export function eventFileName(seconds: number, suffix = ''): string {
  const secs = String(Math.floor(seconds)).padStart(10, '0');
  return `events.out.tfevents.${secs}.${os.hostname()}.${process.pid}.${fileCounter++}${suffix}`;
}

/**
 * Writes one tfevents file that TensorBoard (and featherboard) read: the
 * file_version event first, then one CRC-framed Event record per call.
 *
 * `target` is a logdir (created if missing; a new file is named as
 * TensorFlow names them) or, when its name contains `tfevents`, the event
 * file itself (appended to if it exists).
 *
 * Writes are synchronous and always whole records: a reader tailing the
 * file never sees half an event, only a shorter file. Records are buffered
 * (`maxQueue`, `flushMillis`); `flush()` writes them now, `close()` for good.
 * Summary metadata goes with the first value of each tag only, as the
 * TensorFlow writers do.
 */
export class EventWriter {
  /** Path of the event file being written. */
  readonly path: string;
  private fd: number | undefined;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly tagsWithMetadata = new Set<string>();
  private readonly maxQueue: number;
  private readonly flushMillis: number;
  private readonly clock: () => number;
  private readonly scalarStyle: ScalarStyle;

  constructor(target: string, options: EventWriterOptions = {}) {
    this.maxQueue = Math.max(1, options.maxQueue ?? 10);
    this.flushMillis = options.flushMillis ?? 2000;
    this.clock = options.clock ?? (() => Date.now() / 1000);
    this.scalarStyle = options.scalarStyle ?? 'tensor';
    let startAtEnd = false;
    if (path.basename(target).includes('tfevents')) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      this.path = target;
      startAtEnd = fs.existsSync(target) && fs.statSync(target).size > 0;
    } else {
      fs.mkdirSync(target, { recursive: true });
      this.path = path.join(target, eventFileName(this.clock(), options.filenameSuffix));
    }
    this.fd = fs.openSync(this.path, 'a');
    openWriters.add(this);
    installExitHook();
    // A file continued by a second writer keeps its one file_version event.
    if (!startAtEnd) {
      this.writeEvent({ wallTime: this.clock(), step: 0, fileVersion: FILE_VERSION });
      this.flush();
    }
  }

  /** A scalar, as TF2 tensors with scalars metadata or PyTorch's `simple_value`. */
  addScalar(tag: string, value: number, step: number, options: ScalarOptions = {}): void {
    if (typeof value !== 'number') throw new TypeError(`scalar "${tag}" must be a number, got ${typeof value}`);
    const style = options.style ?? this.scalarStyle;
    if (style === 'simple_value') this.addValue(tag, simpleScalarValue(tag, value), step, options, undefined);
    else this.addValue(tag, tensorScalarValue(tag, value, options.dtype ?? 'float32'), step, options, scalarMetadata);
  }

  /** Encoded images (PNG bytes, given by the caller) of one step. */
  addImages(tag: string, images: EncodedImage[], step: number, options: ImageOptions = {}): void {
    if (options.style === 'legacy') {
      if (images.length !== 1)
        throw new RangeError(`legacy image "${tag}" holds exactly one image, got ${images.length}`);
      this.addValue(tag, legacyImageValue(tag, images[0] as EncodedImage), step, options, undefined);
    } else {
      this.addValue(tag, tensorImageValue(tag, images), step, options, imageMetadata);
    }
  }

  addImage(tag: string, image: EncodedImage, step: number, options: ImageOptions = {}): void {
    this.addImages(tag, [image], step, options);
  }

  /** A histogram of raw values. */
  addHistogram(tag: string, values: ArrayLike<number>, step: number, options: HistogramOptions = {}): void {
    if (options.style === 'legacy') {
      this.addValue(tag, legacyHistogramValue(tag, values), step, options, undefined);
    } else {
      const buckets = options.buckets;
      if (buckets !== undefined && !(Number.isInteger(buckets) && buckets >= 0))
        throw new RangeError(`histogram "${tag}": buckets must be a whole number ≥ 0, got ${buckets}`);
      this.addValue(tag, tensorHistogramValue(tag, values, buckets), step, options, histogramMetadata);
    }
  }

  /** Text (markdown) for the text plugin: one string, or a list of them. */
  addText(tag: string, text: string | string[], step: number, options: PointOptions = {}): void {
    this.addValue(tag, textValue(tag, text), step, options, textMetadata);
  }

  /** Append a raw Event (protobufjs camelCase fields); for data kinds without an `add*` method. */
  writeEvent(event: EventMsg): void {
    if (this.fd === undefined) throw new Error(`event writer for ${this.path} is closed`);
    const record = encodeRecord(EventType().encode(event).finish());
    this.queue.push(record);
    this.queuedBytes += record.length;
    if (this.queue.length >= this.maxQueue) this.flush();
    else if (this.timer === undefined && this.flushMillis >= 0) {
      this.timer = setTimeout(() => this.flush(), this.flushMillis);
      this.timer.unref();
    }
  }

  /** Write every buffered record now, in one write call. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.fd === undefined || this.queue.length === 0) return;
    const bytes = this.queue.length === 1 ? (this.queue[0] as Uint8Array) : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
  }

  /** Flush and close the file. Further writes throw; closing twice is harmless. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = undefined;
    openWriters.delete(this);
  }

  private addValue(
    tag: string,
    value: SummaryValueMsg,
    step: number,
    options: PointOptions,
    metadata: ((text: MetadataText) => SummaryMetadataMsg) | undefined,
  ): void {
    if (typeof tag !== 'string' || tag === '') throw new TypeError('tag must be a non-empty string');
    if (!Number.isSafeInteger(step))
      throw new RangeError(`step of "${tag}" must be a whole number within ±2^53, got ${step}`);
    if (metadata !== undefined && !this.tagsWithMetadata.has(tag)) {
      this.tagsWithMetadata.add(tag);
      const text: MetadataText = {};
      if (options.displayName !== undefined) text.displayName = options.displayName;
      if (options.description !== undefined) text.description = options.description;
      value.metadata = metadata(text);
    }
    this.writeEvent({ wallTime: options.wallTime ?? this.clock(), step, summary: { value: [value] } });
  }
}
