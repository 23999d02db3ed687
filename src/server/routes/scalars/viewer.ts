import type { Request, Response } from 'express';
import type { ScalarSeriesJson, ScalarsResponse } from '../../../common/responses/viewer-api';
import { selectPoints } from '../../../common/sampling';
import { smooth } from '../../../common/smoothing';
import { PLUGIN } from '../../../events/plugins';
import type { NumericColumnView } from '../../../store/columns';
import type { Store } from '../../../store/store';
import type { TagSeries } from '../../../store/tag-series';
import { findSeries } from '../../data/series';
import { badRequest } from '../../http/http-error';
import { DEFAULTS, LIMITS, type Params, viewerQuery } from '../../http/params';
import { numbersAt, spelledAt } from '../../http/json';
import { sendJson } from '../../http/send';
import { CURSOR_PATTERN, EMPTY_CURSOR, cursorOf, resumeIndex } from './cursor';

/**
 * Run names: `run=a&run=b` (exact, any characters) and/or `runs=a,b`
 * (comma-separated, for names without commas). Duplicates are dropped.
 */
function runNames(query: Params): string[] {
  const out: string[] = [];
  const push = (s: string): void => {
    if (s.length > LIMITS.nameChars) throw badRequest('run name too long');
    if (!out.includes(s)) out.push(s);
    if (out.length > LIMITS.runsPerRequest) throw badRequest(`at most ${LIMITS.runsPerRequest} runs per request`);
  };
  for (const r of query.all('run')) push(r);
  const csv = query.get('runs', LIMITS.runsPerRequest * (LIMITS.nameChars + 1));
  if (csv !== undefined) for (const r of csv.split(',')) push(r);
  if (out.length === 0) throw badRequest('missing parameter "runs" (or "run")');
  return out;
}

function parseSince(query: Params, runCount: number): (string | undefined)[] {
  const raw = query.get('since');
  if (raw === undefined) return new Array<undefined>(runCount).fill(undefined);
  const parts = raw.split(',');
  if (parts.length !== runCount)
    throw badRequest('parameter "since" needs one cursor per run, in the order of the runs');
  for (const p of parts) if (!CURSOR_PATTERN.test(p)) throw badRequest('parameter "since" holds a malformed cursor');
  return parts;
}

/**
 * The series' values as numbers. A scalar written as a one-element tensor
 * (shape [1]) is stored as a tensor; TensorBoard plots its single value.
 */
function scalarValues(s: TagSeries): NumericColumnView {
  if (s.allScalar) return s.values.view();
  const out = new Float64Array(s.values.view());
  for (let i = 0; i < out.length; i++) {
    const t = s.tensorAt(i)?.tensor;
    if (t !== undefined && t.kind === 'numeric' && t.values.length === 1) out[i] = t.values[0] as number;
  }
  return out;
}

/** GET /api/scalars — see the API description in ../viewer-api.ts. */
export function scalarsHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const query = viewerQuery(req);
    const tag = query.require('tag', LIMITS.nameChars);
    const runs = runNames(query);
    const width = query.int('width', { min: 1, max: LIMITS.chartWidth, fallback: DEFAULTS.chartWidth });
    const minStep = query.number('minStep', -Infinity);
    const maxStep = query.number('maxStep', Infinity);
    if (minStep > maxStep) throw badRequest('"minStep" is greater than "maxStep"');
    const since = parseSince(query, runs.length);
    const smoothing = query.get('smoothing') === undefined ? undefined : query.number('smoothing', 0);
    if (smoothing !== undefined && (smoothing < 0 || smoothing > 1))
      throw badRequest('parameter "smoothing" must be between 0 and 1');

    const series: ScalarSeriesJson[] = runs.map((run, k) => {
      const s = findSeries(store, run, tag, PLUGIN.SCALARS)?.series;
      if (s === undefined) {
        return {
          run,
          steps: [],
          wallTimes: [],
          values: [],
          cursor: EMPTY_CURSOR,
          reset: true,
          total: 0,
          downsampled: false,
          missing: true,
        };
      }
      const cursor = since[k];
      const resume = cursor === undefined ? undefined : resumeIndex(s, cursor);
      const from = resume ?? 0;
      const steps = s.steps.view();
      const values = scalarValues(s);
      const wallTimes = s.wallTimes.view();
      const picked = selectPoints(steps, values, from, minStep, maxStep, width);
      const out: ScalarSeriesJson = {
        run,
        steps: numbersAt(steps, picked.indices),
        wallTimes: numbersAt(wallTimes, picked.indices),
        values: spelledAt(values, picked.indices),
        cursor: cursorOf(s),
        reset: resume === undefined,
        total: picked.total,
        downsampled: picked.downsampled,
      };
      // Smoothing is over every point of the series, so a downsampled line is smoothed as the full one.
      if (smoothing !== undefined) out.smoothed = spelledAt(smooth(values, smoothing), picked.indices);
      return out;
    });
    sendJson(res, { tag, width, series } satisfies ScalarsResponse);
  };
}
