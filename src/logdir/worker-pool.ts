import { existsSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { RunJob, RunReadResult } from './read-run-state';

/** The compiled worker script; absent when running from TypeScript sources (ts-jest), where runs are read in-thread. */
const WORKER_SCRIPT = path.join(__dirname, 'load-worker.js');

export function workersAvailable(): boolean {
  return existsSync(WORKER_SCRIPT);
}

interface Pending {
  resolve: (r: RunReadResult) => void;
  reject: (e: Error) => void;
}

/**
 * A few worker threads reading runs in parallel (one per core). Jobs are
 * handed out in the order given; results come back as promises, so the
 * caller can apply them in its own order. Workers are unref'd: they never
 * keep the process alive, and `close()` ends them.
 */
export class RunWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; job: RunJob }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private closed = false;

  constructor(size = Math.max(1, os.availableParallelism())) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SCRIPT);
      w.unref();
      w.on('message', (msg: { id: number; result?: RunReadResult; error?: string }) => this.done(w, msg));
      w.on('error', (err) => this.fail(w, err));
      this.workers.push(w);
      this.idle.push(w);
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

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      const item = this.queue.shift() as { id: number; job: RunJob };
      this.busy.set(w, item.id);
      w.postMessage(item);
    }
  }

  private done(w: Worker, msg: { id: number; result?: RunReadResult; error?: string }): void {
    this.busy.delete(w);
    this.idle.push(w);
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (msg.result !== undefined) p?.resolve(msg.result);
    else p?.reject(new Error(msg.error ?? 'worker failed'));
    this.dispatch();
  }

  /** A worker died: fail its job, and stop using it. */
  private fail(w: Worker, err: Error): void {
    const id = this.busy.get(w);
    this.busy.delete(w);
    if (id !== undefined) {
      this.pending.get(id)?.reject(err);
      this.pending.delete(id);
    }
    const i = this.workers.indexOf(w);
    if (i >= 0) this.workers.splice(i, 1);
    if (this.workers.length === 0) {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.queue.length = 0;
    }
  }
}
