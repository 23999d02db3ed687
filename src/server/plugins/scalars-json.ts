import type { TagSeries } from '../../store/tag-series';
import { scalarAt } from '../data-access';
import { toJson } from '../respond';

export type ScalarRow = [number, number, number];

/**
 * `[wall_time, step, value]` rows of a series: every point, or `limit` evenly
 * spaced ones that include the last (as sampleIndices, without building an
 * index array for the common unsampled case).
 */
export function rowsFromColumns(s: TagSeries, limit: number | undefined): ScalarRow[] {
  const n = s.length;
  const steps = s.steps.view();
  const wallTimes = s.wallTimes.view();
  const values = s.values.view();
  const plain = s.allScalar;
  const row = (i: number): ScalarRow => [wallTimes[i] as number, steps[i] as number, plain ? (values[i] as number) : scalarAt(s, i)];
  if (limit === undefined || n <= limit) {
    const out = new Array<ScalarRow>(n);
    for (let i = 0; i < n; i++) out[i] = row(i);
    return out;
  }
  if (limit <= 0) return [];
  if (limit === 1) return [row(n - 1)];
  const out = new Array<ScalarRow>(limit);
  for (let k = 0; k < limit; k++) out[k] = row(Math.round((k * (n - 1)) / (limit - 1)));
  return out;
}

function allFinite(rows: ScalarRow[]): boolean {
  for (const r of rows) if (!Number.isFinite(r[0]) || !Number.isFinite(r[1]) || !Number.isFinite(r[2])) return false;
  return true;
}

/**
 * The JSON text of scalar rows. Non-finite numbers travel as strings
 * ("NaN", ...), which needs toJson's replacer; most series have none, and
 * JSON.stringify without a replacer is twice as fast (a megabyte per
 * 25,000-point series), so the rows are checked first.
 */
export function scalarRowsJson(rows: ScalarRow[]): string {
  return allFinite(rows) ? JSON.stringify(rows) : toJson(rows);
}
