import type { Request, Response } from 'express';
import { jsonNumber } from '../../../common/format-number';
import type { HistogramPointJson, HistogramsResponse } from '../../../common/responses/viewer-api';
import { evenIndices } from '../../../common/sampling';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { requireSeries } from '../../data/series';
import { DEFAULTS, LIMITS, viewerQuery } from '../../http/params';
import { sendJson } from '../../http/send';

/** GET /api/histograms?run&tag&samples — buckets [left, right, count] per step, evenly sampled. */
export function histogramsHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const query = viewerQuery(req);
    const run = query.require('run', LIMITS.nameChars);
    const tag = query.require('tag', LIMITS.nameChars);
    const { series } = requireSeries(store, run, tag, [PLUGIN.HISTOGRAMS]);
    const samples = query.int('samples', { min: 1, max: LIMITS.samples, fallback: DEFAULTS.histogramSamples });
    const points: HistogramPointJson[] = [];
    for (const i of evenIndices(series.length, samples)) {
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
    sendJson(res, { run, tag, total: series.length, points } satisfies HistogramsResponse);
  };
}
