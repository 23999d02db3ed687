import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { NumericColumnView } from '../store/columns';
import type { ParquetColumn } from './parquet-columns';
import type { ParquetJob, ParquetReply, ParquetWorkerData } from './parquet-worker';
import type { Row, RowSink } from './row-sink';
import { writeBytes } from './stream-write';

/** The compiled worker script; absent when running from TypeScript sources (ts-jest): tables are then encoded here. */
const WORKER_SCRIPT = path.join(__dirname, 'parquet-worker.js');

/** Rows posted to the worker and not yet taken into its row group, at most: bounds the memory of columns in flight. */
const MAX_ROWS_IN_FLIGHT = 1 << 18;
/** The worker's young generation: its garbage is row-group arrays, collected soon (peak RSS ~50 MB less, same CPU). */
const YOUNG_GENERATION_MB = 8;
/** Encoded bytes waiting for the output stream, at most (a slow disk holds the worker back). */
const MAX_BYTES_WAITING = 16 * 1024 * 1024;

/** Whether tables can be encoded on a worker thread here. */
export function parquetWorkerAvailable(): boolean {
  return existsSync(WORKER_SCRIPT);
}

/**
 * A Parquet table encoded on a worker thread: rows are copied to it, the
 * file's bytes come back in order and go to `out`. Encoding (hyparquet-writer
 * is plain JavaScript, ~0.3 µs a row: twice what reading costs) then
 * overlaps with reading the next run on this thread.
 */
export class ParquetWorkerSink implements RowSink {
  private readonly worker: Worker;
  private rowsInFlight = 0;
  private bytesWaiting = 0;
  private writing = Promise.resolve();
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private finished = false;

  constructor(
    private readonly out: Writable,
    columns: readonly ParquetColumn[],
  ) {
    this.worker = new Worker(WORKER_SCRIPT, {
      workerData: { columns } satisfies ParquetWorkerData,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker.on('message', (reply: ParquetReply) => this.onReply(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('the Parquet encoding worker stopped')));
    // Never keeps the process alive by itself (an export that failed elsewhere ends): see next().
    this.worker.unref();
  }

  async write(row: Row): Promise<void> {
    await this.post({ row }, 1);
  }

  async writeScalars(
    run: string,
    tag: string,
    steps: NumericColumnView,
    wallTimes: Float64Array,
    values: NumericColumnView,
  ): Promise<void> {
    if (steps.length === 0) return;
    // Copies: the run's own columns stay with it.
    const scalars = { run, tag, steps: steps.slice(), wallTimes: wallTimes.slice(), values: values.slice() };
    await this.post({ scalars }, steps.length, [scalars.steps.buffer, scalars.wallTimes.buffer, scalars.values.buffer]);
  }

  async end(): Promise<void> {
    try {
      await this.post({ end: true }, 0);
      while (!this.finished) await this.next();
      await this.writing;
    } finally {
      await this.worker.terminate();
    }
  }

  private async post(job: ParquetJob, rows: number, transfer: ArrayBufferLike[] = []): Promise<void> {
    this.check();
    this.worker.postMessage(job, transfer as ArrayBuffer[]);
    this.rowsInFlight += rows;
    while (this.rowsInFlight > MAX_ROWS_IN_FLIGHT) await this.next();
    if (this.bytesWaiting > MAX_BYTES_WAITING) await this.writing;
  }

  /** Resolves at the worker's next reply (or failure); the worker keeps the process alive meanwhile. */
  private async next(): Promise<void> {
    this.check();
    this.worker.ref();
    try {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    } finally {
      this.worker.unref();
    }
    this.check();
  }

  private onReply(reply: ParquetReply): void {
    if ('bytes' in reply) {
      const bytes = reply.bytes;
      this.bytesWaiting += bytes.length;
      this.writing = this.writing.then(async () => {
        await writeBytes(this.out, bytes);
        this.bytesWaiting -= bytes.length;
      });
      this.writing.catch((err: Error) => this.fail(err));
    } else if ('taken' in reply) this.rowsInFlight -= reply.taken;
    else if ('finished' in reply) this.finished = true;
    else this.fail(new Error(reply.error));
    this.wakeUp();
  }

  private fail(err: Error): void {
    if (!this.finished) this.failure ??= err;
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private check(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
