import type { Request } from 'express';
import type { Store } from '../../store/store';
import type { TagSeries } from '../../store/tag-series';
import { ApiError } from './api-error';
import { requiredName } from './params';

/** The series named by `run` and `tag`, which must belong to one of `plugins`; 404 otherwise. */
export function lookupSeries(
  store: Store,
  req: Request,
  plugins: readonly string[],
): { run: string; tag: string; series: TagSeries; pluginName: string } {
  const run = requiredName(req, 'run');
  const tag = requiredName(req, 'tag');
  const data = store.run(run);
  if (data === undefined) throw new ApiError(404, `no run named ${JSON.stringify(run)}`);
  const md = data.metadata.get(tag);
  const series = data.series.get(tag);
  if (md === undefined || series === undefined || !plugins.includes(md.pluginName)) {
    throw new ApiError(404, `run ${JSON.stringify(run)} has no ${plugins.join('/')} tag ${JSON.stringify(tag)}`);
  }
  return { run, tag, series, pluginName: md.pluginName };
}

/** At most `k` indices of `n`, evenly spread, always with the first and the last. */
export function evenSample(n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  if (k === 1) return [n - 1];
  const out: number[] = [];
  for (let j = 0; j < k; j++) {
    const i = Math.round((j * (n - 1)) / (k - 1));
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}
