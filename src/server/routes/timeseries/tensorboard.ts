import { Router } from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { compareCodePoints } from '../../../store/store';
import { decodeBlobKey, encodeBlobKey } from '../../data/blob-key';
import { blobPoints, maxBlobCount, readBlobByKey } from '../../data/blob-sequence';
import { findSeries, listSeries, type SeriesRef } from '../../data/series';
import { dict } from '../../http/dict';
import { badRequest } from '../../http/http-error';
import { sniffMediaType, TENSORBOARD_IMAGE_TYPES } from '../../http/mime';
import { LIMITS, tensorboardForm, tensorboardQuery } from '../../http/params';
import { formBody } from '../../http/request-body';
import { sendBytes, sendJson } from '../../http/send';
import { markdownToSafeHtml } from '../../render/markdown';
import type { ServerOptions } from '../../server-options';
import { histogramRows } from '../histograms/tensorboard';
import { scalarRows } from '../scalars/tensorboard';

const byCodePoint = (a: string, b: string) => compareCodePoints(a, b);

/** Each tag's description as HTML; tags described differently by several runs list each. */
function tagDescriptions(mapping: Map<string, SeriesRef[]>): Record<string, string> {
  const tagToDescriptions = new Map<string, Set<string>>();
  const descriptionToRuns = new Map<string, Set<string>>();
  for (const [run, refs] of mapping) {
    for (const r of refs) {
      const d = r.metadata.description;
      if (d.length === 0) continue;
      if (!tagToDescriptions.has(r.tag)) tagToDescriptions.set(r.tag, new Set());
      tagToDescriptions.get(r.tag)!.add(d);
      if (!descriptionToRuns.has(d)) descriptionToRuns.set(d, new Set());
      descriptionToRuns.get(d)!.add(run);
    }
  }
  const out: Record<string, string> = dict();
  for (const [tag, set] of tagToDescriptions) {
    const descriptions = [...set].sort(byCodePoint);
    let text = descriptions[0] ?? '';
    if (descriptions.length > 1) {
      const parts = descriptions.map((d) => {
        const runs = [...(descriptionToRuns.get(d) ?? [])].sort(byCodePoint);
        return `## For ${runs.length > 1 ? 'runs' : 'run'}: ${runs.join(', ')}\n${d}`;
      });
      text = `# Multiple descriptions\n${parts.join('\n')}`;
    }
    out[tag] = markdownToSafeHtml(text);
  }
  return out;
}

function runTagInfo(mapping: Map<string, SeriesRef[]>): Record<string, string[]> {
  const out: Record<string, string[]> = dict();
  for (const [run, refs] of mapping) out[run] = refs.map((r) => r.tag).sort(byCodePoint);
  return out;
}

interface SeriesRequest {
  plugin?: unknown;
  tag?: unknown;
  run?: unknown;
  sample?: unknown;
}

/** `/data/plugin/timeseries/*`: the Time Series dashboard (TensorBoard's default view). */
export function timeseriesRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limits = options.samplesPerPlugin ?? {};

  router.get('/tags', (_req, res) => {
    const scalars = listSeries(store, PLUGIN.SCALARS, DATA_CLASS.SCALAR);
    const histograms = listSeries(store, PLUGIN.HISTOGRAMS, DATA_CLASS.TENSOR);
    const images = listSeries(store, PLUGIN.IMAGES, DATA_CLASS.BLOB_SEQUENCE);
    const tagRunSampledInfo: Record<string, Record<string, { maxSamplesPerStep: number }>> = dict();
    for (const [run, refs] of images) {
      for (const r of refs)
        (tagRunSampledInfo[r.tag] ??= dict())[run] = { maxSamplesPerStep: maxBlobCount(r, PLUGIN.IMAGES) - 2 };
    }
    sendJson(res, {
      scalars: { runTagInfo: runTagInfo(scalars), tagDescriptions: tagDescriptions(scalars) },
      histograms: { runTagInfo: runTagInfo(histograms), tagDescriptions: tagDescriptions(histograms) },
      images: { tagDescriptions: tagDescriptions(images), tagRunSampledInfo },
    });
  });

  const seriesFor = (run: string, tag: string, plugin: string, dataClass: number) =>
    findSeries(store, run, tag, plugin, dataClass);
  const runsFor = (run: unknown): string[] => (typeof run === 'string' && run !== '' ? [run] : store.runNames());

  function answer(q: SeriesRequest): Record<string, unknown> {
    const out: Record<string, unknown> = { plugin: q.plugin ?? null, tag: q.tag ?? null };
    if (typeof q.run === 'string') out.run = q.run;
    if (Number.isInteger(q.sample)) out.sample = q.sample;
    const error =
      typeof q.tag !== 'string'
        ? 'Missing tag'
        : q.plugin !== PLUGIN.SCALARS && q.plugin !== PLUGIN.HISTOGRAMS && q.plugin !== PLUGIN.IMAGES
          ? 'Invalid plugin'
          : q.plugin !== PLUGIN.SCALARS && typeof q.run !== 'string'
            ? 'Missing run'
            : q.plugin === PLUGIN.IMAGES && !Number.isInteger(q.sample)
              ? 'Missing sample'
              : undefined;
    if (error !== undefined) return { ...out, error };
    const tag = q.tag as string;
    const runToSeries: Record<string, unknown> = dict();
    for (const run of runsFor(q.run)) {
      if (q.plugin === PLUGIN.SCALARS) {
        const ref = seriesFor(run, tag, PLUGIN.SCALARS, DATA_CLASS.SCALAR);
        if (ref !== undefined)
          runToSeries[run] = scalarRows(ref, limits[PLUGIN.SCALARS]).map(([wallTime, step, value]) => ({
            wallTime,
            step,
            value,
          }));
      } else if (q.plugin === PLUGIN.HISTOGRAMS) {
        const ref = seriesFor(run, tag, PLUGIN.HISTOGRAMS, DATA_CLASS.TENSOR);
        if (ref !== undefined) {
          runToSeries[run] = histogramRows(ref, limits[PLUGIN.HISTOGRAMS]).map(([wallTime, step, bins]) => ({
            wallTime,
            step,
            bins: bins.map(([min, max, count]) => ({ min, max, count })),
          }));
        }
      } else {
        const ref = seriesFor(run, tag, PLUGIN.IMAGES, DATA_CLASS.BLOB_SEQUENCE);
        const index = (q.sample as number) + 2;
        const series =
          ref === undefined
            ? []
            : blobPoints(ref, PLUGIN.IMAGES, limits[PLUGIN.IMAGES])
                .filter((p) => p.blobs.length > index)
                .map((p) => ({
                  step: p.step,
                  wallTime: p.wallTime,
                  imageId: encodeBlobKey({ run, tag, step: p.step, index }),
                }));
        if (series.length > 0) runToSeries[run] = series;
      }
    }
    return { ...out, runToSeries };
  }

  function parseRequests(text: string | undefined): SeriesRequest[] {
    if (!text) throw badRequest("Missing 'requests' field");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badRequest("Unable to parse 'requests' as JSON");
    }
    if (!Array.isArray(parsed) || parsed.some((x) => x === null || typeof x !== 'object' || Array.isArray(x)))
      throw badRequest("'requests' must be a list of objects");
    if (parsed.length > LIMITS.timeSeriesRequests)
      throw badRequest(`at most ${LIMITS.timeSeriesRequests} requests at once`);
    return parsed as SeriesRequest[];
  }

  router.post('/timeSeries', formBody, (req, res) =>
    sendJson(res, parseRequests(tensorboardForm(req).get('requests')).map(answer)),
  );
  router.get('/timeSeries', (req, res) =>
    sendJson(res, parseRequests(tensorboardQuery(req).get('requests')).map(answer)),
  );

  router.get('/imageData', async (req, res) => {
    const bytes = await readBlobByKey(store, decodeBlobKey(tensorboardQuery(req).require('imageId')), PLUGIN.IMAGES);
    sendBytes(res, bytes, sniffMediaType(bytes, TENSORBOARD_IMAGE_TYPES));
  });
  return router;
}
