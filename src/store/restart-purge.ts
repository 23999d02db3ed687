import type { TagSeries } from './tag-series';

/**
 * TensorBoard's restart purge (`--purge_orphaned_data`, on by default), for
 * one run, whichever reader delivers its events: when a training job
 * restarts from a checkpoint, the points it logged after that checkpoint
 * are orphaned and dropped.
 * - With file_version "brain.Event:2" or later, the run's first
 *   SessionLog.START is its start; each later one at step s drops every
 *   point of the run with step ≥ s.
 * - Without it (pre-v2 files), a summary whose step goes back below the
 *   last summary's drops the points of its own tags with step ≥ its step.
 * The WebAssembly scanner reads runs of plain scalar records in bulk; it
 * stops where the pre-v2 rule could apply (see scanLimits), so a scanned
 * batch never needs a purge inside it.
 */

/** `brain.Event:2` → 2. As TensorBoard: whatever follows the marker is read as a float; unreadable is -1 (pre-v2). */
export function parseFileVersion(version: string): number {
  const tokens = version.split('brain.Event:');
  const last = (tokens[tokens.length - 1] ?? '').trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(last)) return last.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(last)) return NaN;
  const n = last === '' ? NaN : Number(last.replace(/_/g, ''));
  return Number.isNaN(n) ? -1 : n;
}

/** The purge's memory of a run, as plain data (see RunState). */
export interface RestartPurgeState {
  fileVersion: number | undefined;
  purgedPoints: number;
  seenSessionStart: boolean;
  mostRecentStep: number;
}

/** What the scanner must watch so that no purge falls inside a batch: steps going back, below `stepFloor` first. */
export interface ScanLimitsForPurge {
  watchSteps: boolean;
  stepFloor: number;
}

export class RestartPurge {
  /** The run's file version (the last file_version event read), undefined before any. */
  fileVersion: number | undefined;
  /** Points dropped so far, for `inspect`. */
  purgedPoints = 0;
  private seenSessionStart = false;
  private mostRecentStep = -1;
  private readonly limits: ScanLimitsForPurge = { watchSteps: false, stepFloor: -1 };

  constructor(
    /** False with `--purge_orphaned_data false`: every point is kept. */
    private readonly enabled: boolean,
    /** The run's series, which a purge trims. */
    private readonly series: ReadonlyMap<string, TagSeries>,
  ) {}

  fileVersionEvent(version: string): void {
    this.fileVersion = parseFileVersion(version);
  }

  sessionStart(step: number): void {
    if (!this.enabled || !this.isV2()) return;
    if (!this.seenSessionStart) this.seenSessionStart = true;
    else this.purge(step, undefined);
  }

  /** Before a summary's values at `step` are stored; `tags` are its values' tags. */
  summary(step: number, tags: Iterable<string>): void {
    if (!this.enabled) return;
    if (!this.isV2() && step < this.mostRecentStep) this.purge(step, tags);
    this.mostRecentStep = step;
  }

  /** After a scanned batch whose last record is at `lastStep` (the scanner stopped before any step going back). */
  scannedBatch(lastStep: number): void {
    if (this.enabled) this.mostRecentStep = lastStep;
  }

  /** What the scanner must stop at for the next records (the object is reused). */
  scanLimits(): ScanLimitsForPurge {
    this.limits.watchSteps = this.enabled && !this.isV2();
    this.limits.stepFloor = this.mostRecentStep;
    return this.limits;
  }

  toState(): RestartPurgeState {
    return {
      fileVersion: this.fileVersion,
      purgedPoints: this.purgedPoints,
      seenSessionStart: this.seenSessionStart,
      mostRecentStep: this.mostRecentStep,
    };
  }

  restore(state: RestartPurgeState): void {
    this.fileVersion = state.fileVersion;
    this.purgedPoints = state.purgedPoints;
    this.seenSessionStart = state.seenSessionStart;
    this.mostRecentStep = state.mostRecentStep;
  }

  private isV2(): boolean {
    return this.fileVersion !== undefined && this.fileVersion >= 2;
  }

  /** Drops the points at steps ≥ `step` of `tags` (every tag of the run when undefined). */
  private purge(step: number, tags: Iterable<string> | undefined): void {
    const targets = tags === undefined ? this.series.values() : [...tags].map((t) => this.series.get(t));
    for (const s of targets) if (s !== undefined) this.purgedPoints += s.dropWhere((st) => st >= step);
  }
}
