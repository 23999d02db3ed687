/**
 * The viewer's own HTTP API, mounted at /api. Shaped for the browser app:
 * columnar scalars for uPlot, every step of media, and a live event stream.
 * All answers are JSON unless said otherwise; JSON cannot hold NaN or ±∞, so
 * such values travel as the strings "NaN", "Infinity", "-Infinity".
 * Bad or missing parameters get 400 `{ "error": "…" }`; unknown runs/tags 404.
 *
 * GET /api/runs
 *   { runs: [{ name, firstEventTime, graph,
 *              plugins: { <plugin>: [{ tag, count, lastStep, displayName, description }] } }] }
 *   Runs in TensorBoard's order; `count` is every stored point; `graph`: the run has a GraphDef/MetaGraphDef.
 *
 * GET /api/scalars?tag=T&runs=a,b | &run=a&run=b  [&width=W][&minStep=][&maxStep=][&since=c1,c2][&smoothing=w]
 *   { tag, width, series: [{ run, steps: [], wallTimes: [], values: [], smoothed?: [],
 *                            cursor, reset, total, downsampled, missing? }] }
 *   `run=` may repeat (any run name); `runs=` is comma-separated (names without commas).
 *   width 1..20000 (default 1000). Points with minStep ≤ step ≤ maxStep are sent
 *   in full when fewer than 2×width, else cut into ~width step buckets keeping
 *   each bucket's first, last, min, max and first non-finite point.
 *   since: one cursor per run (the `cursor` of an earlier answer, in run order).
 *   If the series only grew since then, only the new points come (reset=false),
 *   so a live chart appends without reading everything again; otherwise
 *   (restart purge, file replaced) the whole range comes with reset=true.
 *   smoothing (0..1): also send TensorBoard's debiased EMA computed over every
 *   point of the series (so a downsampled line is smoothed as the full one).
 *
 * GET /api/events  (text/event-stream)
 *   event: run-added   data: { run }
 *   event: run-removed data: { run }
 *   event: data        data: { run, tags: [] }   (tags that received points)
 *   event: warning     data: { code, message, file, offset }
 *   plus a comment heartbeat every 15 s. The listener is removed on disconnect.
 *
 * GET /api/images?run&tag   { run, tag, steps: [{ index, step, wallTime, width, height, samples }] }  every step
 * GET /api/audio?run&tag    { run, tag, steps: [{ index, step, wallTime, samples, labels: [] }] }
 * GET /api/blob?run&tag&index&sample   the bytes of one image or clip (type sniffed from the bytes)
 * GET /api/histograms?run&tag[&samples=500]
 *   { run, tag, total, points: [{ step, wallTime, buckets: [[left, right, count]] }] }
 * GET /api/pr_curves?run&tag
 *   { run, tag, points: [{ step, wallTime, thresholds, precision, recall, truePositives, … }] }
 * Text and distributions are not repeated here: the viewer reads TensorBoard's
 * own /data/plugin/text/text and /data/plugin/distributions/distributions.
 *
 * GET /api/hparams
 *   { hparams: [name], metrics: [{ key, name, group, tag }], sessions: [{ run, hparams: {}, metrics: {} }] }
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Store } from '../../store/store';
import { ApiError } from './api-error';
import { eventsHandler } from './events-stream';
import { hparamsHandler } from './hparams';
import { audioHandler, blobHandler, imagesHandler } from './media';
import { runsHandler } from './runs';
import { scalarsHandler } from './scalars';
import { histogramsHandler, prCurvesHandler } from './tensor-series';

export { ApiError } from './api-error';

export interface ViewerApiOptions {
  /** Milliseconds between SSE heartbeats (tests shorten it). */
  heartbeatMs?: number;
}

export function viewerApiRoutes(store: Store, options: ViewerApiOptions = {}): express.Router {
  const router = express.Router();
  router.get('/runs', runsHandler(store));
  router.get('/scalars', scalarsHandler(store));
  router.get('/events', eventsHandler(store, options.heartbeatMs));
  router.get('/images', imagesHandler(store));
  router.get('/audio', audioHandler(store));
  router.get('/blob', blobHandler(store));
  router.get('/histograms', histogramsHandler(store));
  router.get('/pr_curves', prCurvesHandler(store));
  router.get('/hparams', hparamsHandler(store));
  router.use((_req: Request, _res: Response, next: NextFunction) => next(new ApiError(404, 'no such API route')));
  // Client mistakes are answered here; anything else goes on to the server's error handler.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof ApiError) res.status(err.status).json({ error: err.message });
    else next(err);
  });
  return router;
}
