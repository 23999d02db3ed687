import type { StoredTensor, TagSeries } from '../store/tag-series';
import type { RunData } from '../store/run-data';
import type { Store } from '../store/store';
import type { TagMetadata } from '../events/types';

/** One time series as the data routes see it: a run's tag of one plugin and data class. */
export interface SeriesRef {
  runName: string;
  run: RunData;
  tag: string;
  metadata: TagMetadata;
  /** Absent when the tag has metadata but no points (TensorBoard still lists it). */
  series: TagSeries | undefined;
}

/** The tag of a run, if its first metadata names `plugin` with `dataClass`. */
export function findSeries(
  store: Store,
  runName: string,
  tag: string,
  plugin: string,
  dataClass: number,
): SeriesRef | undefined {
  const run = store.run(runName);
  if (run === undefined) return undefined;
  const metadata = run.metadata.get(tag);
  if (metadata === undefined || metadata.pluginName !== plugin || metadata.dataClass !== dataClass) return undefined;
  return { runName, run, tag, metadata, series: run.series.get(tag) };
}

/** Every series of a plugin and data class: runs in name order, tags in order of appearance. */
export function listSeries(store: Store, plugin: string, dataClass: number): Map<string, SeriesRef[]> {
  const out = new Map<string, SeriesRef[]>();
  for (const runName of store.runNames()) {
    const run = store.run(runName);
    if (run === undefined) continue;
    const refs: SeriesRef[] = [];
    for (const [tag, metadata] of run.metadata) {
      if (metadata.pluginName === plugin && metadata.dataClass === dataClass)
        refs.push({ runName, run, tag, metadata, series: run.series.get(tag) });
    }
    if (refs.length > 0) out.set(runName, refs);
  }
  return out;
}

/** Plugin names with at least one tag in some run (TensorBoard's `list_plugins`). */
export function pluginsWithData(store: Store): Set<string> {
  const out = new Set<string>();
  for (const run of store.runs.values()) for (const p of run.plugins()) out.add(p);
  return out;
}

/**
 * Indices of the points to serve: all of them, or `limit` evenly spaced ones
 * that always include the last (TensorBoard's `--samples_per_plugin`).
 */
export function sampleIndices(length: number, limit: number | undefined): number[] {
  if (limit === undefined || length <= limit) return Array.from({ length }, (_, i) => i);
  if (limit <= 0) return [];
  if (limit === 1) return [length - 1];
  const out: number[] = [];
  for (let k = 0; k < limit; k++) out.push(Math.round((k * (length - 1)) / (limit - 1)));
  return out;
}

/** The value of a scalar point: a plain scalar, or the single element of a shaped one. */
export function scalarAt(series: TagSeries, i: number): number {
  const stored = series.tensorAt(i);
  if (stored === undefined) return series.values.get(i);
  const t = stored.tensor;
  return t.kind === 'numeric' && t.values.length > 0 ? (t.values[0] as number) : NaN;
}

export interface TensorPoint {
  step: number;
  wallTime: number;
  stored: StoredTensor | undefined;
  /** Set for plain scalar points (which have no stored tensor). */
  value: number;
}

export function pointAt(series: TagSeries, i: number): TensorPoint {
  return {
    step: series.steps.get(i),
    wallTime: series.wallTimes.get(i),
    stored: series.tensorAt(i),
    value: series.values.get(i),
  };
}
