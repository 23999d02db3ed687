import { Worker } from 'node:worker_threads';
import { requireAsset } from '../assets';
import type { ParquetColumn } from './parquet-columns';
import { encodeRowGroup, type EncodedRowGroup } from './parquet-file';
import { columnSources, type RowGroupData } from './parquet-row-group';
import type { ParquetJob, ParquetReply, ParquetWorkerData } from './parquet-worker';

/** Row groups given to the worker and not yet back, at most: beyond that this thread encodes the next one itself. */
const MAX_WORKER_JOBS = 2;
/** The worker's young generation: its garbage is row-group arrays, collected soon (peak RSS ~50 MB less, same CPU). */
const YOUNG_GENERATION_MB = 8;

/**
 * Encodes row groups for one table: on a worker thread while it has room,
 * on this thread otherwise, so both cores encode once reading is done
 * (hyparquet-writer is plain JavaScript, ~0.3 µs a row, twice what reading
 * costs). Results come in any order; the caller appends them in its own.
 */
export class RowGroupEncoder {
  private readonly worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve: (e: EncodedRowGroup) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /** With `useWorker` (a large export), a worker thread helps; its bundled script must exist (src/assets.ts). */
  constructor(
    private readonly columns: readonly ParquetColumn[],
    useWorker: boolean,
  ) {
    if (!useWorker) return;
    const worker = new Worker(requireAsset('parquetWorker'), {
      workerData: { columns } satisfies ParquetWorkerData,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.on('message', (reply: ParquetReply) => this.onReply(reply));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', () => this.fail(new Error('the Parquet encoding worker stopped')));
    // Kept alive only while it has work (see encode): an export that failed elsewhere still ends.
    worker.unref();
    this.worker = worker;
  }

  /** The row group encoded here (returned as it is), or a promise of it from the worker. */
  encode(data: RowGroupData): EncodedRowGroup | Promise<EncodedRowGroup> {
    if (this.worker === undefined || this.failure !== undefined || this.waiting.size >= MAX_WORKER_JOBS)
      return encodeRowGroup(this.columns, columnSources(this.columns, data), data.rows);
    const id = this.nextId++;
    const transfer = data.columns.map((c) => (c.kind === 'number' ? c.values.buffer : c.codes.buffer));
    this.worker.postMessage({ id, data } satisfies ParquetJob, transfer as ArrayBuffer[]);
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }

  private onReply(reply: ParquetReply): void {
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if ('error' in reply) waiter?.reject(new Error(reply.error));
    else waiter?.resolve({ bytes: reply.bytes, rowGroup: reply.rowGroup });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.worker?.unref();
  }
}
