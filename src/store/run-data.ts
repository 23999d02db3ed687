import type { ScalarRecord, ScannedTag, ScannedTags } from '../events/decode-event';
import { SESSION_LOG_START, type ByteRef, type DecodedEvent, type TagMetadata } from '../events/types';
import { GROUP, type ScalarBatch } from '../events/scalar-scanner';
import { TagSeries, type SeriesState } from './tag-series';

/** A payload somewhere in one of the run's files. */
export interface FileRef {
  file: string;
  ref: ByteRef;
}

/**
 * `brain.Event:2` → 2. As TensorBoard does: whatever follows the marker is
 * read as a float; unreadable versions count as -1 (the pre-v2 purge rule).
 */
export function parseFileVersion(version: string): number {
  const tokens = version.split('brain.Event:');
  const last = (tokens[tokens.length - 1] ?? '').trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(last)) return last.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(last)) return NaN;
  const n = last === '' ? NaN : Number(last.replace(/_/g, ''));
  return Number.isNaN(n) ? -1 : n;
}

/** A run as plain data, for crossing threads (see RunData.toState / restore). */
export interface RunState {
  series: SeriesState[];
  metadata: [string, TagMetadata][];
  graph: FileRef | undefined;
  metaGraph: FileRef | undefined;
  firstEventTime: number | undefined;
  lastEventTime: number | undefined;
  fileVersion: number | undefined;
  purgedPoints: number;
  tagsVersion: number;
  seenSessionStart: boolean;
  mostRecentStep: number;
}

export interface RunOptions {
  /** Drop points orphaned by a restart, as TensorBoard does (default true). */
  purgeOrphanedData: boolean;
}

/**
 * One run: what TensorBoard's event accumulator keeps for it, with every
 * point. Events must arrive in file order (files by name, records in order).
 */
export class RunData {
  /** Series by tag, in order of first appearance. */
  readonly series = new Map<string, TagSeries>();
  /** The first metadata seen for each tag in this run. */
  readonly metadata = new Map<string, TagMetadata>();
  graph: FileRef | undefined;
  metaGraph: FileRef | undefined;
  firstEventTime: number | undefined;
  lastEventTime: number | undefined;
  fileVersion: number | undefined;
  /** Points dropped by restart purging, for `inspect`. */
  purgedPoints = 0;
  /** Bumped whenever tags or metadata change. */
  tagsVersion = 0;
  /** Tags that received values since the reader last cleared this (what a reload reports as changed). */
  readonly touched = new Set<string>();
  private readonly rule = { watchSteps: false, stepFloor: -1 };
  private seenSessionStart = false;
  private mostRecentStep = -1;

  constructor(
    readonly name: string,
    private readonly options: RunOptions = { purgeOrphanedData: true },
  ) {}

  addEvent(ev: DecodedEvent, file: string): void {
    if (this.firstEventTime === undefined) this.firstEventTime = ev.wallTime;
    this.lastEventTime = ev.wallTime;
    if (ev.kind === 'file_version') this.fileVersion = parseFileVersion(ev.version);
    this.maybePurge(ev);
    switch (ev.kind) {
      case 'graph_def':
        this.graph = { file, ref: ev.graph };
        break;
      case 'meta_graph_def':
        this.metaGraph = { file, ref: ev.metaGraph };
        break;
      case 'summary':
        for (const v of ev.values) {
          this.touched.add(v.tag);
          if (v.metadata !== undefined && !this.metadata.has(v.tag)) {
            this.metadata.set(v.tag, v.metadata);
            this.tagsVersion++;
          }
          if (v.tensor !== undefined) {
            let s = this.series.get(v.tag);
            if (s === undefined) {
              s = new TagSeries(v.tag);
              this.series.set(v.tag, s);
              this.tagsVersion++;
            }
            s.push(ev.step, ev.wallTime, v.tensor, file);
          }
        }
        break;
      default:
        break;
    }
  }

  /**
   * Every record of a scanned batch: exactly addScalar() of each, in file
   * order, done a tag group at a time. The scanner stopped at any step going
   * back while stepRule() watched for it, so no purge happens inside a batch.
   */
  addScannedScalars(batch: ScalarBatch, tags: ScannedTags): void {
    if (this.firstEventTime === undefined) this.firstEventTime = batch.firstWallTime;
    this.lastEventTime = batch.lastWallTime;
    if (this.options.purgeOrphanedData) this.mostRecentStep = batch.lastStep;
    for (let g = 0; g < batch.groupCount; g++) {
      const tag = (tags[batch.groupTags[g] as number] as ScannedTag).tag;
      const flags = batch.groupFlags[g] as number;
      // Metadata before the series, as addScalar() orders them.
      if (flags & GROUP.SIMPLE && !this.metadata.has(tag)) {
        this.metadata.set(tag, (tags[batch.groupTags[g] as number] as ScannedTag).simpleMetadata);
        this.tagsVersion++;
      }
      let series = this.series.get(tag);
      if (series === undefined) {
        series = new TagSeries(tag);
        this.series.set(tag, series);
        this.tagsVersion++;
      }
      this.touched.add(tag);
      const from = batch.groupStarts[g] as number;
      const to = from + (batch.groupLengths[g] as number);
      series.pushScalars(
        batch.steps.subarray(from, to),
        batch.wallTimes.subarray(from, to),
        batch.dtypes.subarray(from, to),
        batch.values.subarray(from, to),
        (flags & GROUP.STEPS_32) !== 0,
        (flags & GROUP.VALUES_32) !== 0,
      );
    }
  }

  /** What the scanner must watch for TensorBoard's restart rule (see maybePurge): steps going back in a pre-v2 file. */
  stepRule(): { watchSteps: boolean; stepFloor: number } {
    const rule = this.rule;
    rule.watchSteps = this.options.purgeOrphanedData && !(this.fileVersion !== undefined && this.fileVersion >= 2);
    rule.stepFloor = this.mostRecentStep;
    return rule;
  }

  toState(): RunState {
    return {
      series: [...this.series.values()].map((s) => s.toState()),
      metadata: [...this.metadata],
      graph: this.graph,
      metaGraph: this.metaGraph,
      firstEventTime: this.firstEventTime,
      lastEventTime: this.lastEventTime,
      fileVersion: this.fileVersion,
      purgedPoints: this.purgedPoints,
      tagsVersion: this.tagsVersion,
      seenSessionStart: this.seenSessionStart,
      mostRecentStep: this.mostRecentStep,
    };
  }

  /** Fill this (empty) run with what another thread read, as if its events had arrived here. */
  restore(state: RunState): void {
    for (const s of state.series) this.series.set(s.tag, TagSeries.fromState(s));
    for (const [tag, md] of state.metadata) this.metadata.set(tag, md);
    this.graph = state.graph;
    this.metaGraph = state.metaGraph;
    this.firstEventTime = state.firstEventTime;
    this.lastEventTime = state.lastEventTime;
    this.fileVersion = state.fileVersion;
    this.purgedPoints = state.purgedPoints;
    this.tagsVersion = state.tagsVersion;
    this.seenSessionStart = state.seenSessionStart;
    this.mostRecentStep = state.mostRecentStep;
  }

  /**
   * The hot path of loading: exactly addEvent() of a summary event holding
   * this one plain scalar value, without the event objects.
   */
  addScalar(r: ScalarRecord): void {
    if (this.firstEventTime === undefined) this.firstEventTime = r.wallTime;
    this.lastEventTime = r.wallTime;
    if (this.options.purgeOrphanedData) {
      // maybePurge() for a summary event: only the pre-v2 rule applies.
      const v2 = this.fileVersion !== undefined && this.fileVersion >= 2;
      if (!v2 && r.step < this.mostRecentStep) this.purge(r.step, [r.tag]);
      this.mostRecentStep = r.step;
    }
    if (r.metadata !== undefined && !this.metadata.has(r.tag)) {
      this.metadata.set(r.tag, r.metadata);
      this.tagsVersion++;
    }
    let s = this.series.get(r.tag);
    if (s === undefined) {
      s = new TagSeries(r.tag);
      this.series.set(r.tag, s);
      this.tagsVersion++;
    }
    this.touched.add(r.tag);
    s.pushScalar(r.step, r.wallTime, r.dtype, r.value);
  }

  /** Tags whose first metadata names `pluginName`, in order of appearance. */
  tagsForPlugin(pluginName: string): string[] {
    const out: string[] = [];
    for (const [tag, md] of this.metadata) if (md.pluginName === pluginName) out.push(tag);
    return out;
  }

  /** Plugin names with at least one tag in this run. */
  plugins(): Set<string> {
    const out = new Set<string>();
    for (const md of this.metadata.values()) if (md.pluginName) out.add(md.pluginName);
    return out;
  }

  /**
   * TensorBoard's restart rules. With file_version 2 or later, the first
   * SessionLog.START is the start and each later one drops every point at or
   * after its step. Without it, a summary whose step goes backwards drops the
   * points of its own tags at or after that step.
   */
  private maybePurge(ev: DecodedEvent): void {
    if (!this.options.purgeOrphanedData) return;
    if (this.fileVersion !== undefined && this.fileVersion >= 2) {
      if (ev.kind === 'session_log' && ev.status === SESSION_LOG_START) {
        if (!this.seenSessionStart) this.seenSessionStart = true;
        else this.purge(ev.step, undefined);
      }
    } else if (ev.kind === 'summary' && ev.step < this.mostRecentStep) {
      this.purge(
        ev.step,
        ev.values.map((v) => v.tag),
      );
    }
    if (ev.kind === 'summary') this.mostRecentStep = ev.step;
  }

  private purge(step: number, tags: string[] | undefined): void {
    const targets = tags === undefined ? [...this.series.values()] : tags.map((t) => this.series.get(t));
    for (const s of targets) if (s !== undefined) this.purgedPoints += s.dropWhere((st) => st >= step);
  }
}
