/**
 * The viewer's own HTTP API, mounted at /api. Shaped for the browser app:
 * columnar scalars for uPlot, every step of media, and a live event stream.
 * The answers' types are in src/common/responses/viewer-api.ts; the handlers
 * live beside TensorBoard's routes of the same data, a folder per kind.
 * All answers are JSON unless said otherwise; JSON cannot hold NaN or ±∞, so
 * such values travel as the strings "NaN", "Infinity", "-Infinity".
 * Bad or missing parameters get 400 `{ "error": "…" }`; unknown runs/tags 404
 * (http/error-handler.ts). Parameters are read under VIEWER_PARAMS (http/params.ts):
 * a single-valued parameter given twice is refused, `name=` is absent.
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
import express from 'express';
import type { Store } from '../../store/store';
import { routeNotFound } from '../http/error-handler';
import { runsHandler } from './core/viewer';
import { eventsHandler } from './events/viewer';
import { histogramsHandler } from './histograms/viewer';
import { hparamsHandler } from './hparams/viewer';
import { audioHandler, blobHandler, imagesHandler } from './media/viewer';
import { prCurvesHandler } from './pr-curves/viewer';
import { scalarsHandler } from './scalars/viewer';

export interface ViewerApiOptions {
  /** Milliseconds between SSE heartbeats (tests shorten it). */
  heartbeatMs?: number;
}

/** The /api routes; their errors go on to the app's error handler (createApp mounts it). */
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
  router.use(routeNotFound('no such API route'));
  return router;
}
