import type { DataWarning } from '../warnings';
import { RunData, type RunOptions } from './run-data';

/** What changed, for live views (the server's event stream). */
export type StoreChange =
  | { type: 'run-added'; run: string }
  | { type: 'run-removed'; run: string }
  | { type: 'data'; run: string; tags: string[] }
  | { type: 'warning'; warning: DataWarning };

export type StoreListener = (change: StoreChange) => void;

/** Warnings kept for `inspect` and the server; older ones are counted, not kept. */
const MAX_KEPT_WARNINGS = 1000;

/** All runs of a logdir, and the warnings met while reading them. */
export class Store {
  readonly runs = new Map<string, RunData>();
  readonly warnings: DataWarning[] = [];
  warningCount = 0;
  private readonly listeners = new Set<StoreListener>();

  constructor(readonly options: RunOptions = { purgeOrphanedData: true }) {}

  run(name: string): RunData | undefined {
    return this.runs.get(name);
  }

  ensureRun(name: string): RunData {
    let run = this.runs.get(name);
    if (run === undefined) {
      run = new RunData(name, this.options);
      this.runs.set(name, run);
      this.emit({ type: 'run-added', run: name });
    }
    return run;
  }

  /** Forget a run (its directory is gone, or it is being reloaded from scratch). */
  removeRun(name: string): void {
    if (this.runs.delete(name)) this.emit({ type: 'run-removed', run: name });
  }

  /** Replace a run by a fresh, empty one (a file of it was truncated or replaced). */
  resetRun(name: string): RunData {
    const fresh = new RunData(name, this.options);
    this.runs.set(name, fresh);
    return fresh;
  }

  addWarning(warning: DataWarning): void {
    this.warningCount++;
    if (this.warnings.length < MAX_KEPT_WARNINGS) this.warnings.push(warning);
    this.emit({ type: 'warning', warning });
  }

  /** Run names sorted as TensorBoard lists them. */
  runNames(): string[] {
    return [...this.runs.keys()].sort(compareCodePoints);
  }

  onChange(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many listeners are subscribed (a closed event stream must leave none behind). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  emit(change: StoreChange): void {
    for (const l of this.listeners) l(change);
  }
}

/** String order by Unicode code point, as Python sorts strings. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
