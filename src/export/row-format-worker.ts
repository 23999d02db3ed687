import { Worker } from 'node:worker_threads';
import { requireAsset } from '../assets';
import type { NumericColumnView } from '../store/columns';
import type { FormatJob, FormatReply } from './format-worker';
import type { RowParts } from '../wasm-row-formatter';

/**
 * The formatting worker thread, started (it takes ~50 ms to boot, as long as
 * the CLI takes to load, so `featherboard export` starts it first thing: see
 * cli/prestart.ts) and not yet given work. Notes when it is ready.
 */
export class FormatThread {
  private readonly worker: Worker;
  ready = false;
  private readonly onReady = (reply: FormatReply): void => {
    if ('ready' in reply) this.ready = true;
  };

  constructor() {
    // The bundled format-worker.ts, however this code runs (a MissingAssetError when it was not built).
    this.worker = new Worker(requireAsset('formatWorker'));
    this.worker.on('message', this.onReady);
    // Never keeps the process alive (after the listener: adding one refs the worker again).
    this.worker.unref();
  }

  /** Hands the worker over (to RowFormatWorker), which listens from now on. */
  release(): { worker: Worker; ready: boolean } {
    this.worker.off('message', this.onReady);
    return { worker: this.worker, ready: this.ready };
  }

  /** Not needed after all: stopped without waiting. */
  stop(): void {
    void this.worker.terminate();
  }
}

/**
 * A worker thread formatting scalar rows, so that an export formats one run
 * while this thread reads the next. close() ends it.
 */
export class RowFormatWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;
  /** The worker has booted and takes jobs at once. */
  ready: boolean;

  private constructor(thread: FormatThread) {
    const { worker, ready } = thread.release();
    this.worker = worker;
    this.ready = ready;
    this.worker.on('message', (reply: FormatReply) => {
      if ('ready' in reply) {
        this.ready = true;
        return;
      }
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('bytes' in reply) waiter?.resolve(reply.bytes);
      else waiter?.reject(new Error(reply.error));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('the row formatting worker stopped')));
    this.worker.unref();
  }

  /** A worker on `thread` (one started early), or on a thread started now. */
  static start(thread: FormatThread = new FormatThread()): RowFormatWorker {
    return new RowFormatWorker(thread);
  }

  /** The rows' bytes. The columns are copied for the worker: the caller keeps its own. */
  format(
    parts: RowParts,
    json: boolean,
    steps: NumericColumnView,
    wallTimes: Float64Array,
    values: NumericColumnView,
  ): Promise<Uint8Array> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    const job: FormatJob = {
      id,
      parts: { prefix: parts.prefix, afterStep: parts.afterStep, afterWallTime: parts.afterWallTime, end: parts.end },
      json,
      steps: steps.slice(),
      wallTimes: wallTimes.slice(),
      values: values.slice(),
    };
    try {
      this.worker.postMessage(job, [job.steps.buffer, job.wallTimes.buffer, job.values.buffer] as ArrayBuffer[]);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    // Answers awaited keep the process alive; an idle worker does not.
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise<Uint8Array>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the row formatting worker was closed');
    await this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.worker.unref();
  }
}
