import type { DataWarning, WarningSink } from '../warnings';
import { TFRECORD } from './framing';
import { hex32, maskedCrc32cRange } from './masked-crc';

/** TFRecord framing (see framing.ts): the length and its CRC, then the data, then its CRC. */
const { HEADER_BYTES, FOOTER_BYTES } = TFRECORD;

/** Records larger than this are skipped unread, never buffered. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024 * 1024;

export interface TfRecord {
  /** Byte offset of the record's header in the stream. */
  offset: number;
  /**
   * The payload. It is a view into the reader's buffers: copy whatever you
   * keep beyond the current batch, or you keep the whole chunk alive.
   */
  data: Uint8Array;
}

export interface RecordReaderOptions {
  /** Verify both CRCs of every record (default true). */
  checkCrc?: boolean;
  /** Largest record that is read; larger ones are skipped with RECORD_TOO_LARGE. */
  maxRecordBytes?: number;
  /** Stream offset of the first byte that will be appended (resuming a tail). */
  startOffset?: number;
  /** Named in warnings. */
  file?: string;
  onWarning?: WarningSink;
  /** Continue where another reader (e.g. on a worker thread) left off; overrides startOffset. */
  resume?: RecordReaderResume;
}

/**
 * Takes whole records straight from a reader's buffer (see
 * RecordReader.takeWhile), checking their CRCs itself: the loader's scanner
 * of plain scalar records (events/scalar-scanner.ts).
 */
export interface RecordConsumer {
  /**
   * Takes whole, intact records from `buf[from, …)` (`from` is a record
   * boundary) and says where it stopped — `from` if it took none — and
   * whether to be asked again from there at once.
   */
  takeRecords(buf: Uint8Array, from: number, maxRecordBytes: number): { end: number; again: boolean };
}

/**
 * A reader's state between records, for carrying a read over to another
 * thread: where it stands, its damage handling, and a copy of the bytes it
 * holds but has not returned yet (a partial record).
 */
export interface RecordReaderResume {
  offset: number;
  resyncing: boolean;
  skipStart: number;
  skipEnd: number;
  buffered: Uint8Array;
}

const EMPTY = new Uint8Array(0);

function readU32LE(b: Uint8Array, i: number): number {
  return (
    ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16)) + (b[i + 3] as number) * 0x1000000
  );
}

/**
 * A push reader of TFRecord streams: `append(chunk)` bytes as they arrive,
 * then call `next()` until it returns undefined ("need more bytes"). A partial
 * record at the end is not an error: it completes when its bytes arrive.
 *
 * Damage never stops the reader. A record whose data CRC fails is skipped
 * (and if its length does not lead to an intact header, the reader scans on
 * from just after its header). A header whose length CRC fails is never
 * trusted: the reader scans forward byte by byte for the next header whose
 * length CRC verifies and resumes there.
 */
export class RecordReader {
  private buf: Uint8Array = EMPTY;
  private pos = 0;
  /** Stream offset of buf[0]. */
  private bufStart: number;
  /** Chunks appended but not yet joined into `buf`. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /**
   * Stream offset where an oversized record being discarded ends. Kept as an
   * end offset, not a count down, so that a declared length beyond 2^53
   * (inexact as a double) gives the same result however the bytes are chunked.
   */
  private skipEnd = 0;
  private skipStart = 0;
  /** Scanning for a valid header after a length CRC mismatch. */
  private resyncing = false;
  private readonly checkCrc: boolean;
  private readonly maxRecordBytes: number;
  private readonly file: string | undefined;
  private readonly onWarning: WarningSink;

  constructor(options: RecordReaderOptions = {}) {
    this.checkCrc = options.checkCrc ?? true;
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.bufStart = options.resume?.offset ?? options.startOffset ?? 0;
    if (options.resume !== undefined) {
      this.resyncing = options.resume.resyncing;
      this.skipStart = options.resume.skipStart;
      this.skipEnd = options.resume.skipEnd;
      this.buf = options.resume.buffered;
    }
    this.file = options.file;
    this.onWarning = options.onWarning ?? (() => {});
  }

  /** Stream offset of the first byte not yet consumed: where a resumed read starts. */
  get offset(): number {
    return this.bufStart + this.pos;
  }

  /** Bytes received but not yet returned as records (a partial record, or bytes being scanned). */
  get bufferedBytes(): number {
    return this.buf.length - this.pos + this.pendingBytes;
  }

  resumeState(): RecordReaderResume {
    const buffered = new Uint8Array(this.bufferedBytes);
    buffered.set(this.buf.subarray(this.pos), 0);
    let at = this.buf.length - this.pos;
    for (const chunk of this.pending) {
      buffered.set(chunk, at);
      at += chunk.length;
    }
    return {
      offset: this.offset,
      resyncing: this.resyncing,
      skipStart: this.skipStart,
      skipEnd: this.skipEnd,
      buffered,
    };
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.pos >= this.buf.length && this.pendingBytes === 0) {
      this.bufStart += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  /** The next whole, intact record, or undefined when more bytes are needed. */
  next(): TfRecord | undefined {
    for (;;) {
      if (this.skipEnd > this.offset && !this.discard()) return undefined;
      if (!this.ensure(HEADER_BYTES)) return undefined;
      const b = this.buf;
      const p = this.pos;
      const start = this.bufStart + p;
      const lengthLow = readU32LE(b, p);
      const lengthHigh = readU32LE(b, p + 4);
      if (this.checkCrc) {
        const expected = readU32LE(b, p + 8);
        const actual = maskedCrc32cRange(b, p, p + 8);
        if (actual !== expected) {
          if (!this.resyncing) {
            this.resyncing = true;
            this.warn({
              code: 'LENGTH_CRC_MISMATCH',
              offset: start,
              message:
                `length field has masked crc ${hex32(actual)} (expected ${hex32(expected)}); ` +
                'scanning forward for the next intact record',
            });
          }
          this.pos += 1;
          continue;
        }
      }
      const length = lengthHigh * 0x100000000 + lengthLow;
      if (this.resyncing) this.resyncing = false;
      if (length > this.maxRecordBytes) {
        this.warn({
          code: 'RECORD_TOO_LARGE',
          offset: start,
          message: `record declares ${length} bytes, more than the ${this.maxRecordBytes}-byte limit; skipped unread`,
        });
        this.pos += HEADER_BYTES;
        this.skipStart = start;
        this.skipEnd = this.offset + length + FOOTER_BYTES;
        continue;
      }
      const total = HEADER_BYTES + length + FOOTER_BYTES;
      if (!this.ensure(total)) return undefined;
      const dataStart = this.pos + HEADER_BYTES;
      const data = this.buf.subarray(dataStart, dataStart + length);
      this.pos += total;
      if (this.checkCrc) {
        const expected = readU32LE(this.buf, dataStart + length);
        const actual = maskedCrc32cRange(this.buf, dataStart, dataStart + length);
        if (actual !== expected) {
          this.warn({
            code: 'DATA_CRC_MISMATCH',
            offset: start,
            message:
              `record of ${length} bytes has masked crc ${hex32(actual)} (expected ${hex32(expected)}); ` +
              'record skipped, reading on',
          });
          // A bad data CRC means bad data or a bad extent (bytes lost or added
          // inside the record). Trust the length only when it leads to an intact
          // header; otherwise scan from just after this record's header, so the
          // records a wrong length would swallow are still read.
          if (!this.headerAt(this.pos)) {
            this.pos = dataStart;
            this.resyncing = true;
          }
          continue;
        }
      }
      return { offset: start, data };
    }
  }

  /**
   * The loader's tight loop: hands the current buffer to `consumer`, which
   * takes runs of records straight from it with no record objects, for as
   * long as it asks to go on. It stops where the consumer stops (at a record
   * it does not take, at damage, at a record not wholly buffered), and does
   * nothing while resyncing or skipping: next() then carries on from exactly
   * there and sees what it would have seen had every record come through it.
   */
  takeWhile(consumer: RecordConsumer): void {
    if (!this.checkCrc || this.resyncing || this.skipEnd > this.offset) return;
    while (this.pos + HEADER_BYTES <= this.buf.length) {
      const step = consumer.takeRecords(this.buf, this.pos, this.maxRecordBytes);
      this.pos = step.end;
      if (!step.again) break;
    }
  }

  /**
   * The input has ended. A partial record left over is reported as
   * TRUNCATED_TAIL (a file cut short, or one still being written).
   */
  finish(): void {
    const left = this.bufferedBytes;
    if (this.skipEnd > this.offset) {
      this.warn({
        code: 'TRUNCATED_TAIL',
        offset: this.skipStart,
        message: `oversized record ends early: ${this.skipEnd - this.offset} of its bytes never arrived`,
      });
    } else if (left > 0 && !this.resyncing) {
      this.warn({
        code: 'TRUNCATED_TAIL',
        offset: this.offset,
        message: `${left} trailing bytes do not form a whole record (file cut short, or still being written)`,
      });
    }
  }

  private warn(w: Omit<DataWarning, 'file'>): void {
    this.onWarning(this.file === undefined ? w : { ...w, file: this.file });
  }

  /** Whether an intact header (its length CRC verifies) starts at buf[i]. */
  private headerAt(i: number): boolean {
    return i + HEADER_BYTES <= this.buf.length && maskedCrc32cRange(this.buf, i, i + 8) === readU32LE(this.buf, i + 8);
  }

  /** Drop bytes of an oversized record without buffering them. True when done. */
  private discard(): boolean {
    while (this.skipEnd > this.offset) {
      const avail = this.buf.length - this.pos;
      if (avail === 0) {
        const chunk = this.pending.shift();
        if (chunk === undefined) return false;
        this.pendingBytes -= chunk.length;
        this.bufStart += this.buf.length;
        this.buf = chunk;
        this.pos = 0;
        continue;
      }
      this.pos += Math.min(avail, this.skipEnd - this.offset);
    }
    return true;
  }

  /**
   * Make `buf` hold at least n bytes from `pos`. When they span chunks, only
   * those n bytes are joined (the rest of the last chunk stays pending), and a
   * chunk that starts where `buf` ends is taken over without a copy: each
   * byte is copied at most once, and only the bytes of records cut by a
   * chunk boundary are copied at all.
   */
  private ensure(n: number): boolean {
    for (;;) {
      const avail = this.buf.length - this.pos;
      if (avail >= n) return true;
      if (avail + this.pendingBytes < n) return false;
      if (avail > 0) break;
      const next = this.pending.shift() as Uint8Array;
      this.pendingBytes -= next.length;
      this.bufStart += this.buf.length;
      this.buf = next;
      this.pos = 0;
    }
    const joined = new Uint8Array(n);
    joined.set(this.buf.subarray(this.pos), 0);
    let at = this.buf.length - this.pos;
    while (at < n) {
      const chunk = this.pending[0] as Uint8Array;
      const take = Math.min(chunk.length, n - at);
      joined.set(take === chunk.length ? chunk : chunk.subarray(0, take), at);
      at += take;
      this.pendingBytes -= take;
      if (take === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(take);
    }
    this.bufStart += this.pos;
    this.buf = joined;
    this.pos = 0;
    return true;
  }
}
