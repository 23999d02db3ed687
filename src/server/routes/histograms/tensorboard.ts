import { Router } from 'express';
import { evenIndices } from '../../../common/sampling';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { findSeries, listSeries, pointAt, type SeriesRef } from '../../data/series';
import { dict } from '../../http/dict';
import { badRequest, notFound } from '../../http/http-error';
import { tensorboardQuery } from '../../http/params';
import { sendJson } from '../../http/send';
import { markdownToSafeHtml } from '../../render/markdown';
import type { ServerOptions } from '../../server-options';

export type Bucket = [number, number, number];
export type HistogramRow = [number, number, Bucket[]];

/** The tags of histogram series by run (shared by histograms and distributions). */
export function histogramTags(
  store: Store,
): Record<string, Record<string, { displayName: string; description: string }>> {
  const out: Record<string, Record<string, { displayName: string; description: string }>> = dict();
  for (const [run, refs] of listSeries(store, PLUGIN.HISTOGRAMS, DATA_CLASS.TENSOR)) {
    const tags: Record<string, { displayName: string; description: string }> = dict();
    for (const r of refs)
      tags[r.tag] = { displayName: r.metadata.displayName, description: markdownToSafeHtml(r.metadata.description) };
    out[run] = tags;
  }
  return out;
}

/** `k×3` tensors as `[left, right, count]` buckets; other shapes give no buckets. */
function bucketsOf(values: Float64Array, shape: number[]): Bucket[] {
  if (shape.length !== 2 || shape[1] !== 3) return [];
  const out: Bucket[] = [];
  for (let i = 0; i + 2 < values.length; i += 3)
    out.push([values[i] as number, values[i + 1] as number, values[i + 2] as number]);
  return out;
}

export function histogramRows(ref: SeriesRef, limit: number | undefined): HistogramRow[] {
  const s = ref.series;
  if (s === undefined) return [];
  return evenIndices(s.length, limit).map((i) => {
    const p = pointAt(s, i);
    const t = p.stored?.tensor;
    return [p.wallTime, p.step, t !== undefined && t.kind === 'numeric' ? bucketsOf(t.values, t.shape) : []];
  });
}

/** Finds a histogram series or answers 404 in TensorBoard's words. */
export function requireHistogram(store: Store, run: string | undefined, tag: string | undefined): SeriesRef {
  if (run === undefined || tag === undefined) throw badRequest('Both run and tag must be specified');
  const ref = findSeries(store, run, tag, PLUGIN.HISTOGRAMS, DATA_CLASS.TENSOR);
  if (ref === undefined)
    throw notFound(`No histogram tag ${JSON.stringify(tag ?? null)} for run ${JSON.stringify(run ?? null)}`);
  return ref;
}

/** `/data/plugin/histograms/*`. */
export function histogramsRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.[PLUGIN.HISTOGRAMS];
  router.get('/tags', (_req, res) => sendJson(res, histogramTags(store)));
  router.get('/histograms', (req, res) => {
    const query = tensorboardQuery(req);
    const ref = requireHistogram(store, query.get('run'), query.get('tag'));
    sendJson(res, histogramRows(ref, limit));
  });
  return router;
}
