import type { StoredTensor, TagSeries } from '../../store/tag-series';
import type { RunData } from '../../store/run-data';
import type { Store } from '../../store/store';
import type { TagMetadata } from '../../events/types';
import { notFound } from '../http/http-error';

/**
 * The one series lookup of every route, TensorBoard's and the viewer's: a run's tag is served
 * by a plugin's routes when the tag's first metadata names that plugin (and data class).
 */

/** One time series as the data routes see it: a run's tag of one plugin and data class. */
export interface SeriesRef {
  runName: string;
  run: RunData;
  tag: string;
  metadata: TagMetadata;
  /** Absent when the tag has metadata but no points (TensorBoard still lists it). */
  series: TagSeries | undefined;
}

/** What a route serves: tags of this plugin (or of one of these), of this data class if given. */
function serves(metadata: TagMetadata, plugin: string | readonly string[], dataClass: number | undefined): boolean {
  const pluginOk = typeof plugin === 'string' ? metadata.pluginName === plugin : plugin.includes(metadata.pluginName);
  return pluginOk && (dataClass === undefined || metadata.dataClass === dataClass);
}

/** The tag of a run, if its first metadata names `plugin` (with `dataClass`, when given). */
export function findSeries(
  store: Store,
  runName: string,
  tag: string,
  plugin: string | readonly string[],
  dataClass?: number,
): SeriesRef | undefined {
  const run = store.run(runName);
  if (run === undefined) return undefined;
  const metadata = run.metadata.get(tag);
  if (metadata === undefined || !serves(metadata, plugin, dataClass)) return undefined;
  return { runName, run, tag, metadata, series: run.series.get(tag) };
}

/** findSeries for a series with points, or a 404 that says what is missing (the viewer API's answer). */
export function requireSeries(
  store: Store,
  runName: string,
  tag: string,
  plugins: readonly string[],
): SeriesRef & { series: TagSeries } {
  if (store.run(runName) === undefined) throw notFound(`no run named ${JSON.stringify(runName)}`);
  const ref = findSeries(store, runName, tag, plugins);
  if (ref?.series === undefined)
    throw notFound(`run ${JSON.stringify(runName)} has no ${plugins.join('/')} tag ${JSON.stringify(tag)}`);
  return { ...ref, series: ref.series };
}

/** Every series of a plugin and data class: runs in name order, tags in order of appearance. */
export function listSeries(store: Store, plugin: string, dataClass: number): Map<string, SeriesRef[]> {
  const out = new Map<string, SeriesRef[]>();
  for (const runName of store.runNames()) {
    const run = store.run(runName);
    if (run === undefined) continue;
    const refs: SeriesRef[] = [];
    for (const [tag, metadata] of run.metadata) {
      if (serves(metadata, plugin, dataClass)) refs.push({ runName, run, tag, metadata, series: run.series.get(tag) });
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
