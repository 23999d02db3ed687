import type { Request, Response } from 'express';
import { PLUGIN } from '../../events/plugins';
import type { Store } from '../../store/store';
import { intParam, jsonNumber } from './params';
import { evenSample, lookupSeries } from './series-lookup';

/** GET /api/histograms?run&tag&samples — buckets [left, right, count] per step, evenly sampled. */
export function histogramsHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { run, tag, series } = lookupSeries(store, req, [PLUGIN.HISTOGRAMS]);
    const samples = intParam(req, 'samples', 1, 10000, 500);
    const points = [];
    for (const i of evenSample(series.length, samples)) {
      const t = series.tensorAt(i)?.tensor;
      if (t === undefined || t.kind !== 'numeric') continue;
      const buckets: (number | string)[][] = [];
      for (let b = 0; b + 2 < t.values.length; b += 3) {
        buckets.push([
          jsonNumber(t.values[b] as number),
          jsonNumber(t.values[b + 1] as number),
          jsonNumber(t.values[b + 2] as number),
        ]);
      }
      points.push({ step: series.steps.get(i), wallTime: series.wallTimes.get(i), buckets });
    }
    res.json({ run, tag, total: series.length, points });
  };
}

/** GET /api/pr_curves?run&tag — per step: thresholds, precision, recall and the counts behind them. */
export function prCurvesHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { run, tag, series } = lookupSeries(store, req, [PLUGIN.PR_CURVES]);
    const samples = intParam(req, 'samples', 1, 10000, 1000);
    const points = [];
    for (const i of evenSample(series.length, samples)) {
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
    res.json({ run, tag, points });
  };
}
