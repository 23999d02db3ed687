import * as os from 'node:os';
import { requireAsset } from '../assets';
import type { RunData } from '../store/run-data';
import type { Store } from '../store/store';
import { type DiscoveredRun, discoverRuns, relativeName } from './discover-runs';
import { EventFileTailer, type TailerResume } from './event-file-tailer';
import { readRunState, type RunReadResult } from './read-run-state';
import { RunWorkerPool } from './worker-pool';

interface RunState {
  run: RunData;
  tailers: Map<string, EventFileTailer>;
}

export interface LoaderOptions {
  /**
   * Read runs met for the first time on worker threads, several at once (the
   * bundled dist/load-worker.js; a MissingAssetError at construction when it
   * was not built). Off by default: every run is read on this thread, the same
   * way. Later, incremental reads stay on this thread either way.
   */
  workers?: boolean;
}

/**
 * Worker threads for a first pass: one core stays with this thread, which
 * answers requests meanwhile. Measured on 2 cores (the bench logdir): one
 * worker served every tag as soon as two did, with 60 MB less peak RSS; this
 * thread reading runs too loaded sooner but served no sooner, with 25 MB more.
 */
function workerCount(): number {
  return Math.max(1, os.availableParallelism() - 1);
}

export interface ReloadSummary {
  runs: number;
  bytesRead: number;
  events: number;
}

/**
 * Keeps a Store in step with a logdir. Each `reload()` discovers runs and
 * files, then reads only what was appended since the last call. A run whose
 * file was truncated or replaced is read again from scratch (its events must
 * be replayed in order for TensorBoard's restart rules to hold).
 */
export class LogdirLoader {
  private readonly states = new Map<string, RunState>();
  private reloading: Promise<ReloadSummary> | undefined;
  private again = false;
  private closed = false;
  private passes = 0;
  /** The worker script, when runs are read on workers: resolved here, so a missing one fails before any reading. */
  private readonly workerScript: string | undefined;

  constructor(
    readonly logdir: string,
    readonly store: Store,
    options: LoaderOptions = {},
  ) {
    this.workerScript = options.workers === true ? requireAsset('loadWorker') : undefined;
  }

  /** Read everything new. Concurrent calls share one pass, plus one more if asked meanwhile. */
  reload(): Promise<ReloadSummary> {
    if (this.reloading !== undefined) {
      this.again = true;
      return this.reloading;
    }
    const run = async (): Promise<ReloadSummary> => {
      let summary: ReloadSummary;
      do {
        this.again = false;
        summary = await this.reloadOnce();
      } while (this.again);
      return summary;
    };
    this.reloading = run().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /**
   * Stop: a pass under way ends after the run it is reading (then its worker threads end); later reloads do nothing.
   */
  close(): void {
    this.closed = true;
  }

  /** Mark the logdir's files complete: partial tail records become TRUNCATED_TAIL warnings. */
  finish(): void {
    for (const state of this.states.values()) for (const t of state.tailers.values()) t.finish();
  }

  private async reloadOnce(): Promise<ReloadSummary> {
    if (this.closed) return { runs: 0, bytesRead: 0, events: 0 };
    // A worker thread takes ~70 ms to start: on the first pass, start it while the logdir is listed.
    const pool =
      this.workerScript !== undefined && this.passes++ === 0
        ? new RunWorkerPool(this.workerScript, workerCount())
        : undefined;
    const discovered = await discoverRuns(this.logdir, (w) => this.store.addWarning(w)).catch(async (err: unknown) => {
      await pool?.close();
      throw err;
    });
    const seen = new Set<string>();
    let bytesRead = 0;
    let events = 0;
    const firstReads = this.startFirstReads(
      discovered.filter((d) => !this.states.has(d.name)),
      pool,
    );
    try {
      for (const d of discovered) {
        if (this.closed) return { runs: discovered.length, bytesRead, events };
        seen.add(d.name);
        const first = firstReads.get(d.name);
        // Results are applied in discovery order, so the store changes exactly as in a sequential read.
        const r = first !== undefined ? this.applyFirstRead(d, await first()) : await this.readRun(d);
        bytesRead += r.bytesRead;
        events += r.events;
      }
    } finally {
      await firstReads.close();
    }
    for (const name of [...this.states.keys()]) {
      if (!seen.has(name)) {
        this.states.delete(name);
        this.store.removeRun(name);
      }
    }
    return { runs: discovered.length, bytesRead, events };
  }

  /**
   * First reads of new runs: on worker threads when there are several and
   * `pool` was started, otherwise in-thread when their turn comes.
   */
  private startFirstReads(
    fresh: DiscoveredRun[],
    pool: RunWorkerPool | undefined,
  ): { get(name: string): (() => Promise<RunReadResult>) | undefined; close(): Promise<void> } {
    const job = (d: DiscoveredRun) => ({
      logdir: this.logdir,
      name: d.name,
      files: d.files,
      options: this.store.options,
      finish: false,
    });
    const byName = new Map<string, () => Promise<RunReadResult>>();
    if (pool !== undefined && fresh.length >= 2) {
      for (const d of fresh) {
        const p = pool.read(job(d));
        p.catch(() => {}); // awaited in order below; a run never reached must not count as unhandled
        byName.set(d.name, () => p);
      }
    } else {
      for (const d of fresh) byName.set(d.name, () => readRunState(job(d)));
    }
    return { get: (name) => byName.get(name), close: async () => pool?.close() };
  }

  /** Adopt a run read elsewhere: its data, its warnings, and tailers that continue where the read stopped. */
  private applyFirstRead(d: DiscoveredRun, result: RunReadResult): { bytesRead: number; events: number } {
    const state: RunState = { run: this.store.ensureRun(d.name), tailers: new Map() };
    this.states.set(d.name, state);
    state.run.restore(result.run);
    for (const w of result.warnings) this.store.addWarning(w);
    for (const f of result.files) state.tailers.set(f.file, this.makeTailer(state, f.file, f.resume));
    if (result.touched.length > 0) this.store.emit({ type: 'data', run: d.name, tags: result.touched });
    return { bytesRead: result.bytesRead, events: result.events };
  }

  private async readRun(d: DiscoveredRun): Promise<{ bytesRead: number; events: number }> {
    let state = this.states.get(d.name);
    if (state === undefined) {
      state = { run: this.store.ensureRun(d.name), tailers: new Map() };
      this.states.set(d.name, state);
    }
    const wanted = new Set(d.files);
    const lostFile = [...state.tailers.keys()].some((f) => !wanted.has(f));
    // A file that appears before one already read breaks file order: replay the run.
    const lastRead = [...state.tailers.keys()].sort().pop();
    const insertedEarlier = lastRead !== undefined && d.files.some((f) => !state!.tailers.has(f) && f < lastRead);
    if (lostFile || insertedEarlier) state = this.resetRun(d.name);

    let bytesRead = 0;
    let events = 0;
    state.run.touched.clear();
    for (const file of d.files) {
      let tailer = state.tailers.get(file);
      if (tailer === undefined) {
        tailer = this.makeTailer(state, file);
        state.tailers.set(file, tailer);
      }
      const result = await tailer.readNew();
      if (result.status === 'replaced') {
        this.store.addWarning({
          code: 'FILE_SHRANK',
          file: this.relative(file),
          message: 'file was truncated or replaced; its run is read again from the start',
        });
        state = this.resetRun(d.name);
        return this.readRun(d);
      }
      if (result.status === 'ok') {
        bytesRead += result.bytesRead;
        events += result.events;
      }
    }
    if (state.run.touched.size > 0) this.store.emit({ type: 'data', run: d.name, tags: [...state.run.touched] });
    return { bytesRead, events };
  }

  private makeTailer(state: RunState, file: string, resume?: TailerResume): EventFileTailer {
    return new EventFileTailer(
      file,
      this.relative(file),
      (ev) => state.run.addEvent(ev, file),
      (w) => this.store.addWarning(w),
      { ...(resume !== undefined ? { resume } : {}), scalars: state.run },
    );
  }

  private resetRun(name: string): RunState {
    const state: RunState = { run: this.store.resetRun(name), tailers: new Map() };
    this.states.set(name, state);
    return state;
  }

  private relative(file: string): string {
    return relativeName(this.logdir, file);
  }
}
