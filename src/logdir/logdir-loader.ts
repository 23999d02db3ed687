import * as path from 'path';
import type { RunData } from '../store/run-data';
import type { Store } from '../store/store';
import { discoverRuns, type DiscoveredRun } from './discover-runs';
import { EventFileTailer } from './event-file-tailer';

interface RunState {
  run: RunData;
  tailers: Map<string, EventFileTailer>;
  /** Tags that received points during the current pass. */
  touched: Set<string>;
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

  constructor(
    readonly logdir: string,
    readonly store: Store,
  ) {}

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

  /** Mark the logdir's files complete: partial tail records become TRUNCATED_TAIL warnings. */
  finish(): void {
    for (const state of this.states.values()) for (const t of state.tailers.values()) t.finish();
  }

  private async reloadOnce(): Promise<ReloadSummary> {
    const discovered = await discoverRuns(this.logdir, (w) => this.store.addWarning(w));
    const seen = new Set<string>();
    let bytesRead = 0;
    let events = 0;
    for (const d of discovered) {
      seen.add(d.name);
      const r = await this.readRun(d);
      bytesRead += r.bytesRead;
      events += r.events;
    }
    for (const name of [...this.states.keys()]) {
      if (!seen.has(name)) {
        this.states.delete(name);
        this.store.removeRun(name);
      }
    }
    return { runs: discovered.length, bytesRead, events };
  }

  private async readRun(d: DiscoveredRun): Promise<{ bytesRead: number; events: number }> {
    let state = this.states.get(d.name);
    if (state === undefined) {
      state = { run: this.store.ensureRun(d.name), tailers: new Map(), touched: new Set() };
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
    state.touched.clear();
    for (const file of d.files) {
      let tailer = state.tailers.get(file);
      if (tailer === undefined) {
        tailer = this.makeTailer(state, file);
        state.tailers.set(file, tailer);
      }
      const result = await tailer.readNew();
      if (result.status === 'replaced') {
        this.store.addWarning({ code: 'FILE_SHRANK', file: this.relative(file), message: 'file was truncated or replaced; its run is read again from the start' });
        state = this.resetRun(d.name);
        return this.readRun(d);
      }
      if (result.status === 'ok') {
        bytesRead += result.bytesRead;
        events += result.events;
      }
    }
    if (state.touched.size > 0) this.store.emit({ type: 'data', run: d.name, tags: [...state.touched] });
    return { bytesRead, events };
  }

  private makeTailer(state: RunState, file: string): EventFileTailer {
    return new EventFileTailer(
      file,
      this.relative(file),
      (ev) => {
        state.run.addEvent(ev, file);
        if (ev.kind === 'summary') for (const v of ev.values) state.touched.add(v.tag);
      },
      (w) => this.store.addWarning(w),
    );
  }

  private resetRun(name: string): RunState {
    const state: RunState = { run: this.store.resetRun(name), tailers: new Map(), touched: new Set() };
    this.states.set(name, state);
    return state;
  }

  private relative(file: string): string {
    return path.relative(this.logdir, file).split(path.sep).join('/');
  }
}
