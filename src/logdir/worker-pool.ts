import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RunJob, RunReadResult } from './read-run-state';

interface Pending {
  resolve: (r: RunReadResult) => void;
  reject: (e: Error) => void;
}

/**
 * Jobs handed to a worker at a time: the one it reads and the next, so it
 * never waits for this thread to answer before starting another run.
 */
const JOBS_PER_WORKER = 2;

/**
 * A few worker threads reading runs in parallel. Jobs are handed out in the
 * order given (each worker reads its jobs one after the other); results come
 * back as promises, so the caller can apply them in its own order. Workers
 * are unref'd: they never keep the process alive, and `close()` ends them.
 */
export class RunWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: { id: number; job: RunJob }[] = [];
  private readonly pending = new Map<number, Pending>();
  /** Job ids handed to each worker and not answered yet. */
  private readonly assigned = new Map<Worker, Set<number>>();
  private nextId = 0;
  private closed = false;

  /** `script`: the bundled load-worker.ts, requireAsset('loadWorker') (the same script however this code runs). */
  constructor(script: string, size = Math.max(1, os.availableParallelism())) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(script);
      w.unref();
      w.on('message', (msg: { id: number; result?: RunReadResult; error?: string }) => this.done(w, msg));
      w.on('error', (err) => this.fail(w, err));
      this.workers.push(w);
      this.assigned.set(w, new Set());
    }
  }

  read(job: RunJob): Promise<RunReadResult> {
    if (this.closed) return Promise.reject(new Error('worker pool closed'));
    const id = this.nextId++;
    const p = new Promise<RunReadResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, job });
    this.dispatch();
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('worker pool closed'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Hand queued jobs to the least busy workers, up to JOBS_PER_WORKER each. */
  private dispatch(): void {
    for (;;) {
      let target: Worker | undefined;
      for (const w of this.workers) {
        const n = (this.assigned.get(w) as Set<number>).size;
        if (n < JOBS_PER_WORKER && (target === undefined || n < (this.assigned.get(target) as Set<number>).size))
          target = w;
      }
      const item = target === undefined ? undefined : this.queue.shift();
      if (target === undefined || item === undefined) return;
      (this.assigned.get(target) as Set<number>).add(item.id);
      target.postMessage(item);
    }
  }

  private done(w: Worker, msg: { id: number; result?: RunReadResult; error?: string }): void {
    this.assigned.get(w)?.delete(msg.id);
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (msg.result !== undefined) p?.resolve(msg.result);
    else p?.reject(new Error(msg.error ?? 'worker failed'));
    this.dispatch();
  }

  /** A worker died: fail its jobs, and stop using it. */
  private fail(w: Worker, err: Error): void {
    for (const id of this.assigned.get(w) ?? []) {
      this.pending.get(id)?.reject(err);
      this.pending.delete(id);
    }
    this.assigned.delete(w);
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    if (this.workers.length === 0) {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.queue.length = 0;
    }
  }
}
