import type { Request, Response } from 'express';
import { PLUGIN } from '../../events/plugins';
import type { Store } from '../../store/store';
import type { NumericColumnView } from '../../store/columns';
import type { TagSeries } from '../../store/tag-series';
import { smooth } from '../../../viewer/src/smoothing';
import { ApiError } from './api-error';
import { CURSOR_PATTERN, EMPTY_CURSOR, cursorOf, resumeIndex } from './cursor';
import { selectPoints } from './downsample';
import { LIMITS, intParam, jsonNumber, numberParam, requiredName, runNames, single } from './params';

/** One run's slice of a tag, columnar, as uPlot wants it. */
export interface ScalarSeriesJson {
  run: string;
  steps: number[];
  wallTimes: number[];
  values: (number | string)[];
  /** Pass back as `since` to get only what arrives later. */
  cursor: string;
  /** True when these points replace what the client held (not an append). */
  reset: boolean;
  /** Points in the requested range (before downsampling). */
  total: number;
  downsampled: boolean;
  /** With `smoothing=w`: TensorBoard's smoothing over the whole series, at the points sent. */
  smoothed?: (number | string)[];
  /** The run or the tag does not exist (yet). */
  missing?: true;
}

function parseSince(req: Request, runCount: number): (string | undefined)[] {
  const raw = single(req, 'since');
  if (raw === undefined || raw === '') return new Array<undefined>(runCount).fill(undefined);
  const parts = raw.split(',');
  if (parts.length !== runCount)
    throw new ApiError(400, 'parameter "since" needs one cursor per run, in the order of the runs');
  for (const p of parts)
    if (!CURSOR_PATTERN.test(p)) throw new ApiError(400, 'parameter "since" holds a malformed cursor');
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

/** GET /api/scalars — see the API description in index.ts. */
export function scalarsHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const tag = requiredName(req, 'tag');
    const runs = runNames(req);
    const width = intParam(req, 'width', 1, LIMITS.maxWidth, LIMITS.defaultWidth);
    const minStep = numberParam(req, 'minStep', -Infinity);
    const maxStep = numberParam(req, 'maxStep', Infinity);
    if (minStep > maxStep) throw new ApiError(400, '"minStep" is greater than "maxStep"');
    const since = parseSince(req, runs.length);
    const smoothingText = single(req, 'smoothing');
    const smoothing =
      smoothingText === undefined || smoothingText === '' ? undefined : numberParam(req, 'smoothing', 0);
    if (smoothing !== undefined && (smoothing < 0 || smoothing > 1))
      throw new ApiError(400, 'parameter "smoothing" must be between 0 and 1');

    const series: ScalarSeriesJson[] = runs.map((run, k) => {
      const data = store.run(run);
      const s = data?.series.get(tag);
      const isScalar = data?.metadata.get(tag)?.pluginName === PLUGIN.SCALARS;
      if (s === undefined || !isScalar) {
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
        steps: new Array<number>(picked.indices.length),
        wallTimes: new Array<number>(picked.indices.length),
        values: new Array<number | string>(picked.indices.length),
        cursor: cursorOf(s),
        reset: resume === undefined,
        total: picked.total,
        downsampled: picked.downsampled,
      };
      // Smoothing is over every point of the series, so a downsampled line is smoothed as the full one.
      const smoothed = smoothing === undefined ? undefined : smooth(values, smoothing);
      if (smoothed !== undefined) out.smoothed = new Array<number | string>(picked.indices.length);
      picked.indices.forEach((i, j) => {
        out.steps[j] = steps[i] as number;
        out.wallTimes[j] = wallTimes[i] as number;
        out.values[j] = jsonNumber(values[i] as number);
        if (smoothed !== undefined) out.smoothed![j] = jsonNumber(smoothed[i] as number);
      });
      return out;
    });
    res.json({ tag, width, series });
  };
}
