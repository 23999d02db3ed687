import type { TagSeries } from '../../../store/tag-series';

/**
 * Incremental reads. A cursor names what a client already holds of one
 * series: `<series id>.<version>.<length>`. Appends bump a series' version by
 * exactly one per point; anything else (a restart purge, a run read again from
 * scratch, which makes a new series object) breaks that arithmetic or the id,
 * and the client is told to start over.
 */
const ids = new WeakMap<TagSeries, number>();
let nextId = 1;

function idOf(series: TagSeries): number {
  let id = ids.get(series);
  if (id === undefined) {
    id = nextId++;
    ids.set(series, id);
  }
  return id;
}

export function cursorOf(series: TagSeries): string {
  return `${idOf(series)}.${series.version}.${series.length}`;
}

/** A cursor for "nothing yet" (the series does not exist). */
export const EMPTY_CURSOR = '0.0.0';

export const CURSOR_PATTERN = /^\d{1,15}\.\d{1,15}\.\d{1,15}$/;

/**
 * The index to resume from, or undefined when the client must reload the
 * whole series (it changed in a way other than appends).
 */
export function resumeIndex(series: TagSeries, cursor: string): number | undefined {
  const [id, version, length] = cursor.split('.').map(Number) as [number, number, number];
  if (id === 0) return series.length === 0 ? 0 : undefined;
  if (id !== idOf(series)) return undefined;
  if (length > series.length) return undefined;
  if (series.version - version !== series.length - length) return undefined;
  return length;
}
