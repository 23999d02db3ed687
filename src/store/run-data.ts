import type { ScalarRecord, ScannedTag, ScannedTags } from '../events/decode-event';
import { SESSION_LOG_START, type ByteRef, type DecodedEvent, type TagMetadata } from '../events/types';
import type { ScalarBatch } from '../events/scalar-scanner';
import { GROUP } from '../events/scanner-abi';
import { RestartPurge, type RestartPurgeState, type ScanLimitsForPurge } from './restart-purge';
import { TagSeries, type SeriesState } from './tag-series';

/** A payload somewhere in one of the run's files. */
export interface FileRef {
  file: string;
  ref: ByteRef;
}

/** A run as plain data, for crossing threads (see RunData.toState / restore). */
export interface RunState {
  series: SeriesState[];
  metadata: [string, TagMetadata][];
  graph: FileRef | undefined;
  metaGraph: FileRef | undefined;
  firstEventTime: number | undefined;
  lastEventTime: number | undefined;
  tagsVersion: number;
  purge: RestartPurgeState;
}

export interface RunOptions {
  /** Drop points orphaned by a restart, as TensorBoard does (default true). */
  purgeOrphanedData: boolean;
}

/**
 * One run: what TensorBoard's event accumulator keeps for it, with every
 * point. Events must arrive in file order (files by name, records in order).
 *
 * Three readers feed it — the general decoder (addEvent), the single-record
 * fast path (addScalar) and the WebAssembly scanner's batches
 * (addScannedScalars) — and each applies the same rules through the same
 * calls: TensorBoard's restart purge (RestartPurge) and, per tag, the
 * run's first metadata winning (`valueArrived`).
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
  /** Bumped whenever tags or metadata change. */
  tagsVersion = 0;
  /** Tags that received values since the reader last cleared this (what a reload reports as changed). */
  readonly touched = new Set<string>();
  private readonly purge: RestartPurge;
  /** The one tag of addScalar's record, for the purge (no array per record). */
  private readonly oneTag: [string] = [''];

  constructor(
    readonly name: string,
    options: RunOptions = { purgeOrphanedData: true },
  ) {
    this.purge = new RestartPurge(options.purgeOrphanedData, this.series);
  }

  /** The run's file version (see RestartPurge), undefined before a file_version event. */
  get fileVersion(): number | undefined {
    return this.purge.fileVersion;
  }

  /** Points dropped by restart purging, for `inspect`. */
  get purgedPoints(): number {
    return this.purge.purgedPoints;
  }

  addEvent(ev: DecodedEvent, file: string): void {
    this.eventAt(ev.wallTime, ev.wallTime);
    switch (ev.kind) {
      case 'file_version':
        this.purge.fileVersionEvent(ev.version);
        break;
      case 'session_log':
        if (ev.status === SESSION_LOG_START) this.purge.sessionStart(ev.step);
        break;
      case 'graph_def':
        this.graph = { file, ref: ev.graph };
        break;
      case 'meta_graph_def':
        this.metaGraph = { file, ref: ev.metaGraph };
        break;
      case 'summary':
        this.purge.summary(
          ev.step,
          ev.values.map((v) => v.tag),
        );
        for (const v of ev.values) {
          const s = this.valueArrived(v.tag, v.metadata, v.tensor !== undefined);
          if (s !== undefined && v.tensor !== undefined) s.push(ev.step, ev.wallTime, v.tensor, file);
        }
        break;
      default:
        break;
    }
  }

  /** One plain scalar record: what addEvent() does with a summary event holding just this value. */
  addScalar(r: ScalarRecord): void {
    this.eventAt(r.wallTime, r.wallTime);
    this.oneTag[0] = r.tag;
    this.purge.summary(r.step, this.oneTag);
    const s = this.valueArrived(r.tag, r.metadata, true) as TagSeries;
    s.pushScalar(r.step, r.wallTime, r.dtype, r.value);
  }

  /**
   * Every record of a scanned batch: addScalar() of each, in file order,
   * done a tag group at a time. The scanner stopped where the restart purge
   * could apply (scanLimits), so no purge happens inside a batch.
   */
  addScannedScalars(batch: ScalarBatch, tags: ScannedTags): void {
    this.eventAt(batch.firstWallTime, batch.lastWallTime);
    this.purge.scannedBatch(batch.lastStep);
    for (let g = 0; g < batch.groupCount; g++) {
      const scanned = tags[batch.groupTags[g] as number] as ScannedTag;
      const flags = batch.groupFlags[g] as number;
      const metadata = flags & GROUP.SIMPLE ? scanned.simpleMetadata : undefined;
      const series = this.valueArrived(scanned.tag, metadata, true) as TagSeries;
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

  /** What the scanner must stop at for TensorBoard's restart purge (see RestartPurge.scanLimits). */
  stepRule(): ScanLimitsForPurge {
    return this.purge.scanLimits();
  }

  toState(): RunState {
    return {
      series: [...this.series.values()].map((s) => s.toState()),
      metadata: [...this.metadata],
      graph: this.graph,
      metaGraph: this.metaGraph,
      firstEventTime: this.firstEventTime,
      lastEventTime: this.lastEventTime,
      tagsVersion: this.tagsVersion,
      purge: this.purge.toState(),
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
    this.tagsVersion = state.tagsVersion;
    this.purge.restore(state.purge);
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

  /** Events from `first` to `last` (wall times) arrived. */
  private eventAt(first: number, last: number): void {
    if (this.firstEventTime === undefined) this.firstEventTime = first;
    this.lastEventTime = last;
  }

  /**
   * A value of `tag` arrived, with its metadata if it carried any: the tag
   * is touched, the run keeps the tag's first metadata (as TensorBoard
   * does: writers send it with a tag's first value only, and a restarted
   * writer sends it again), and a value with data gets the tag's series,
   * made on its first value. Either change bumps tagsVersion.
   */
  private valueArrived(tag: string, metadata: TagMetadata | undefined, hasData: boolean): TagSeries | undefined {
    this.touched.add(tag);
    if (metadata !== undefined && !this.metadata.has(tag)) {
      this.metadata.set(tag, metadata);
      this.tagsVersion++;
    }
    if (!hasData) return undefined;
    let s = this.series.get(tag);
    if (s === undefined) {
      s = new TagSeries(tag);
      this.series.set(tag, s);
      this.tagsVersion++;
    }
    return s;
  }
}
