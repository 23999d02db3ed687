import type { Request, Response } from 'express';
import { jsonNumber } from '../../../common/format-number';
import type { PrCurvePointJson, PrCurvesResponse } from '../../../common/responses/viewer-api';
import { evenIndices } from '../../../common/sampling';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { requireSeries } from '../../data/series';
import { DEFAULTS, LIMITS, viewerQuery } from '../../http/params';
import { sendJson } from '../../http/send';

/** GET /api/pr_curves?run&tag — per step: thresholds, precision, recall and the counts behind them. */
export function prCurvesHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const query = viewerQuery(req);
    const run = query.require('run', LIMITS.nameChars);
    const tag = query.require('tag', LIMITS.nameChars);
    const { series } = requireSeries(store, run, tag, [PLUGIN.PR_CURVES]);
    const samples = query.int('samples', { min: 1, max: LIMITS.samples, fallback: DEFAULTS.prCurveSamples });
    const points: PrCurvePointJson[] = [];
    for (const i of evenIndices(series.length, samples)) {
      const t = series.tensorAt(i)?.tensor;
      if (t === undefined || t.kind !== 'numeric' || t.shape.length !== 2 || t.shape[0] !== 6) continue;
      const n = t.shape[1] ?? 0;
      const row = (r: number): (number | string)[] => Array.from(t.values.subarray(r * n, (r + 1) * n), jsonNumber);
      points.push({
        step: series.steps.get(i),
        wallTime: series.wallTimes.get(i),
        thresholds: Array.from({ length: n }, (_, k) => (n > 1 ? k / (n - 1) : 0)),
        truePositives: row(0),
        falsePositives: row(1),
        trueNegatives: row(2),
        falseNegatives: row(3),
        precision: row(4),
        recall: row(5),
      });
    }
    sendJson(res, { run, tag, points } satisfies PrCurvesResponse);
  };
}
