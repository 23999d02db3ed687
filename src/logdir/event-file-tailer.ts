import { promises as fs } from 'node:fs';
import { EventFileDecoder, type DecoderResume, type ScalarRecord, type ScannedTags } from '../events/decode-event';
import type { DecodedEvent } from '../events/types';
import { RecordReader, type RecordConsumer, type RecordReaderResume } from '../tfrecord/record-reader';
import { ScalarScanner, type ScalarBatch, type ScanLimits } from '../events/scalar-scanner';
import type { WarningSink } from '../warnings';

/**
 * Bytes read per system call. 512 KiB costs no more CPU than 4 MiB (measured
 * on the bench logdir) and holds far less memory while loading.
 */
const READ_CHUNK_BYTES = 512 * 1024;

/**
 * The first bytes of a file, remembered to notice a file truncated and
 * rewritten in place that grew past its old size before we looked again
 * (same inode, larger size: it would pass for an append). Event files start
 * with a timestamped version record, so a rewrite changes them.
 */
const HEAD_BYTES = 64;

/** Up to READ_CHUNK_BYTES of the file from `offset` (fewer at its end; none past `size`). */
function readChunk(handle: fs.FileHandle, offset: number, size: number): Promise<Uint8Array> | undefined {
  if (offset >= size) return undefined;
  const want = Math.min(READ_CHUNK_BYTES, size - offset);
  // A plain Uint8Array, like the reader's joined buffers: one map for the hot loop to see.
  const chunk = new Uint8Array(want);
  return handle
    .read(chunk, 0, want, offset)
    .then(({ bytesRead }) => (bytesRead === want ? chunk : chunk.subarray(0, bytesRead)));
}

/** Where a tailer stands, so a file read on a worker thread can be tailed on by the main one. */
export interface TailerResume {
  identity: string | undefined;
  head: Uint8Array;
  reader: RecordReaderResume;
  decoder: DecoderResume;
}

export type TailResult =
  /** New bytes (possibly none) were read from the saved offset. */
  | { status: 'ok'; bytesRead: number; events: number }
  /** The file is shorter than what was read, or is another file now: re-read it from the start. */
  | { status: 'replaced' }
  | { status: 'missing' };

/** Takes plain scalar records as the general path would have added them (RunData is one). */
export interface ScalarSink {
  /** One record; the object is reused: read it before returning. */
  addScalar(r: ScalarRecord): void;
  /** Every record of a scanned batch, all of tags in `tags` (by the scanner's tag ids). */
  addScannedScalars(batch: ScalarBatch, tags: ScannedTags): void;
  /** TensorBoard's restart rule for the next records: whether a step going back matters, and the last step. */
  stepRule(): { watchSteps: boolean; stepFloor: number };
}

export interface TailerOptions {
  /** Continue where a tailer on another thread stopped (see resumeState). */
  resume?: TailerResume;
  /**
   * Where plain scalar records go, read without building events (the
   * loader's hot path). Without it they reach `onEvent` as one-value
   * summary events.
   */
  scalars?: ScalarSink;
}

/**
 * Reads one event file incrementally: each call reads only the bytes added
 * since the last, never the whole file again. A record cut short at the end
 * waits in the reader until the writer flushes the rest.
 */
export class EventFileTailer implements RecordConsumer {
  private readonly reader: RecordReader;
  private readonly decoder: EventFileDecoder;
  private readonly scalars: ScalarSink | undefined;
  /** Bytes of the file consumed so far. */
  private readOffset = 0;
  private identity: string | undefined;
  private head: Uint8Array = new Uint8Array(0);
  private readonly limits: ScanLimits = { token: 0, stepFloor: 0, watchSteps: false };
  /** Records the current takeWhile() took. */
  private scannedRecords = 0;

  constructor(
    readonly path: string,
    /** The name used in warnings (relative to the logdir). */
    readonly displayName: string,
    private readonly onEvent: (ev: DecodedEvent) => void,
    onWarning: WarningSink,
    options: TailerOptions = {},
  ) {
    const resume = options.resume;
    this.scalars = options.scalars;
    this.reader = new RecordReader(
      resume === undefined ? { file: displayName, onWarning } : { file: displayName, onWarning, resume: resume.reader },
    );
    this.decoder = new EventFileDecoder(onWarning, displayName);
    if (resume !== undefined) {
      this.decoder.restore(resume.decoder);
      this.identity = resume.identity;
      this.head = resume.head;
      this.readOffset = resume.reader.offset + resume.reader.buffered.length;
    }
  }

  resumeState(): TailerResume {
    return {
      identity: this.identity,
      head: this.head,
      reader: this.reader.resumeState(),
      decoder: this.decoder.resumeState(),
    };
  }

  async readNew(): Promise<TailResult> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.path, 'r');
    } catch {
      return { status: 'missing' };
    }
    try {
      const st = await handle.stat();
      const identity = `${st.dev}:${st.ino}`;
      if (this.identity !== undefined && identity !== this.identity) return { status: 'replaced' };
      this.identity = identity;
      if (st.size < this.readOffset) return { status: 'replaced' };
      if (this.head.length > 0 && st.size > this.readOffset && !(await this.sameHead(handle)))
        return { status: 'replaced' };
      let bytesRead = 0;
      let events = 0;
      // The next chunk is read while this one is decoded.
      let next = readChunk(handle, this.readOffset, st.size);
      while (next !== undefined) {
        const chunk = await next;
        if (chunk.length === 0) break;
        if (this.readOffset === 0)
          this.head = Uint8Array.prototype.slice.call(chunk, 0, Math.min(chunk.length, HEAD_BYTES));
        this.readOffset += chunk.length;
        bytesRead += chunk.length;
        next = readChunk(handle, this.readOffset, st.size);
        this.reader.append(chunk);
        events += this.drain();
      }
      // A read still in flight (the loop stopped early) must finish before the file closes.
      await next?.catch(() => {});
      return { status: 'ok', bytesRead, events };
    } finally {
      await handle.close();
    }
  }

  private async sameHead(handle: fs.FileHandle): Promise<boolean> {
    const now = Buffer.alloc(this.head.length);
    const { bytesRead } = await handle.read(now, 0, now.length, 0);
    return bytesRead === now.length && now.equals(this.head);
  }

  /** The file is complete (export, inspect): report a partial tail record. */
  finish(): void {
    this.reader.finish();
  }

  /**
   * The tight loop's consumer (RecordConsumer): plain scalar records of the
   * tags this file's decoder knows as scalars series, scanned in WebAssembly
   * and handed to the sink a batch at a time.
   */
  takeRecords(buf: Uint8Array, from: number, maxRecordBytes: number): { end: number; again: boolean } {
    const scanner = ScalarScanner.shared();
    const sink = this.scalars;
    if (sink === undefined) return { end: from, again: false };
    const rule = sink.stepRule();
    const limits = this.limits;
    limits.token = this.decoder.scanToken;
    limits.stepFloor = rule.stepFloor;
    limits.watchSteps = rule.watchSteps;
    const batch = scanner.scan(buf, from, maxRecordBytes, limits);
    if (batch.count > 0) {
      sink.addScannedScalars(batch, this.decoder.scannedTags);
      this.scannedRecords += batch.count;
    }
    // Stopped for room: scan on. Stopped at a tag not yet taken: take it if it is now a scalars series here.
    const again = batch.more || (batch.stoppedAtTag >= 0 && this.decoder.acceptScannedTag(batch.stoppedAtTag));
    return { end: batch.count > 0 ? batch.end : from, again };
  }

  private drain(): number {
    let count = 0;
    const scalars = this.scalars;
    for (;;) {
      // Runs of plain scalar records go straight from the buffer to the
      // columns; anything else (and damage) comes through next() as before.
      if (scalars !== undefined) {
        this.scannedRecords = 0;
        this.reader.takeWhile(this);
        count += this.scannedRecords;
      }
      const rec = this.reader.next();
      if (rec === undefined) break;
      if (scalars !== undefined) {
        const scalar = this.decoder.scalarRecord(rec.data);
        if (scalar !== undefined) {
          scalars.addScalar(scalar);
          count++;
          continue;
        }
      }
      for (const ev of this.decoder.decode(rec.data, rec.offset + 12)) {
        this.onEvent(ev);
        count++;
      }
    }
    return count;
  }
}
