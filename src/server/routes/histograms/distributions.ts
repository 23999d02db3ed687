import { Router } from 'express';
import type { DistributionsResponse } from '../../../common/responses/tensorboard';
import type { Store } from '../../../store/store';
import { tensorboardQuery } from '../../http/params';
import { sendJson } from '../../http/send';
import type { ServerOptions } from '../../server-options';
import { histogramRows, histogramTags, requireHistogram, type Bucket } from './tensorboard';

/** Basis points of a normal distribution's ±0, 1, 1.5, 2, 3 sigma, as TensorBoard compresses. */
const NORMAL_HISTOGRAM_BPS = [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000];

function lerp(x: number, x0: number, x1: number, y0: number, y1: number): number {
  return y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
}

/** First index whose cumulative weight is greater than `x` (numpy searchsorted, side right). */
function searchRight(weights: number[], x: number): number {
  let lo = 0;
  let hi = weights.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < (weights[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** TensorBoard's `compress_histogram`: the value at each basis point of cumulative weight. */
export function compressHistogram(buckets: Bucket[], bps: number[] = NORMAL_HISTOGRAM_BPS): [number, number][] {
  if (buckets.length === 0) return bps.map((b) => [b, 0]);
  const minmin = buckets[0]![0];
  const maxmax = buckets[buckets.length - 1]![1];
  const total = buckets.reduce((a, b) => a + b[2], 0) || 1;
  const scale = bps[bps.length - 1]!;
  const weights: number[] = [];
  let acc = 0;
  for (const b of buckets) {
    acc += (b[2] * scale) / total;
    weights.push(acc);
  }
  const out: [number, number][] = [];
  let j = 0;
  outer: while (j < bps.length) {
    let i = searchRight(weights, bps[j]!);
    while (i < weights.length) {
      const cumsum = weights[i]!;
      const prev = i > 0 ? weights[i - 1]! : 0;
      if (cumsum === prev) {
        i++;
        continue;
      }
      const lhs = !i || !prev ? minmin : Math.max(buckets[i - 1]![1], minmin);
      const rhs = Math.min(buckets[i]![1], maxmax);
      out.push([bps[j]!, lerp(bps[j]!, prev, cumsum, lhs, rhs)]);
      j++;
      continue outer;
    }
    break;
  }
  for (; j < bps.length; j++) out.push([bps[j]!, maxmax]);
  return out;
}

/** `/data/plugin/distributions/*`: histograms compressed to basis points. */
export function distributionsRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.distributions;
  router.get('/tags', (_req, res) => sendJson(res, histogramTags(store)));
  router.get('/distributions', (req, res) => {
    const query = tensorboardQuery(req);
    const ref = requireHistogram(store, query.get('run'), query.get('tag'));
    const rows = histogramRows(ref, limit).map(([w, s, b]): DistributionsResponse[number] => [
      w,
      s,
      compressHistogram(b),
    ]);
    sendJson(res, rows satisfies DistributionsResponse);
  });
  return router;
}
