import { Router } from 'express';
import { evenIndices } from '../../../common/sampling';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { findSeries, listSeries, pointAt } from '../../data/series';
import { dict } from '../../http/dict';
import { badRequest } from '../../http/http-error';
import { tensorboardQuery } from '../../http/params';
import { sendJson } from '../../http/send';
import { markdownToSafeHtml } from '../../render/markdown';
import type { ServerOptions } from '../../server-options';

// Rows of the [6, N] pr_curve tensor.
const TP = 0;
const FP = 1;
const TN = 2;
const FN = 3;
const PRECISION = 4;
const RECALL = 5;

/** numpy.linspace(0, 1, n). */
function linspace01(n: number): number[] {
  const step = n > 1 ? 1 / (n - 1) : 0;
  const out = Array.from({ length: n }, (_, i) => i * step);
  if (n > 1) out[n - 1] = 1;
  return out;
}

/** One step's curve, cut after the last threshold with any predicted positive (as TensorBoard). */
function prEntry(step: number, wallTime: number, values: Float64Array, shape: number[]): Record<string, unknown> {
  const n = shape.length === 2 && shape[0] === 6 ? (shape[1] as number) : 0;
  const row = (r: number) => Array.from(values.subarray(r * n, (r + 1) * n));
  const positives = row(TP).map((tp, i) => Math.trunc(tp) + Math.trunc(row(FP)[i] as number));
  let end = positives.length - 1;
  while (end > 0 && positives[end] === 0) end--;
  end += 1;
  return {
    wall_time: wallTime,
    step,
    precision: row(PRECISION).slice(0, end),
    recall: row(RECALL).slice(0, end),
    true_positives: row(TP).map(Math.trunc).slice(0, end),
    false_positives: row(FP).map(Math.trunc).slice(0, end),
    true_negatives: row(TN).map(Math.trunc).slice(0, end),
    false_negatives: row(FN).map(Math.trunc).slice(0, end),
    thresholds: linspace01(n).slice(0, end),
  };
}

/** `/data/plugin/pr_curves/*`. */
export function prCurvesRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.[PLUGIN.PR_CURVES];

  router.get('/tags', (_req, res) => {
    const out: Record<string, Record<string, unknown>> = dict();
    for (const [run, refs] of listSeries(store, PLUGIN.PR_CURVES, DATA_CLASS.TENSOR)) {
      const tags: Record<string, unknown> = dict();
      for (const r of refs)
        tags[r.tag] = { displayName: r.metadata.displayName, description: markdownToSafeHtml(r.metadata.description) };
      out[run] = tags;
    }
    sendJson(res, out);
  });

  router.get('/pr_curves', (req, res) => {
    const query = tensorboardQuery(req);
    const runs = query.all('run');
    if (runs.length === 0) throw badRequest('No runs provided when fetching PR curve data');
    const tag = query.get('tag');
    if (!tag) throw badRequest('No tag provided when fetching PR curve data');
    const out: Record<string, unknown[]> = dict();
    for (const run of runs) {
      const s = findSeries(store, run, tag, PLUGIN.PR_CURVES, DATA_CLASS.TENSOR)?.series;
      if (s === undefined)
        throw badRequest(`No PR curves could be found for run ${JSON.stringify(run)} and tag ${JSON.stringify(tag)}`);
      out[run] = evenIndices(s.length, limit).flatMap((i) => {
        const p = pointAt(s, i);
        const t = p.stored?.tensor;
        return t !== undefined && t.kind === 'numeric' ? [prEntry(p.step, p.wallTime, t.values, t.shape)] : [];
      });
    }
    sendJson(res, out);
  });
  return router;
}
