import { Router } from 'express';
import { DATA_CLASS } from '../../events/types';
import { PLUGIN } from '../../events/plugins';
import type { Store } from '../../store/store';
import { decodeBlobKey, encodeBlobKey } from '../blob-key';
import { blobPoints, maxBlobCount, readBlobByKey } from '../blob-sequence';
import { findSeries, listSeries } from '../data-access';
import { badRequest, notFound } from '../http-error';
import { markdownToSafeHtml } from '../markdown';
import { intQuery, queryParam, requireQuery } from '../params';
import { readVarintField } from '../../protobuf/raw-fields';
import { sendBytes, sendJson } from '../respond';
import type { ServerOptions } from '../server-options';
import { dict } from '../dict';

const DEFAULT_MIME_TYPE = 'application/octet-stream';
const WAV_ENCODING = 11;
const ALLOWED_MIME_TYPES = new Set(['audio/wav', DEFAULT_MIME_TYPE]);

/** `audio/wav` when the audio plugin data says WAV (field 2 = 11). */
function mimeTypeOf(pluginContent: Uint8Array): string {
  return readVarintField(pluginContent, 2) === WAV_ENCODING ? 'audio/wav' : DEFAULT_MIME_TYPE;
}

/** `/data/plugin/audio/*`: audio tags, per-sample listings with blob keys, clip bytes. */
export function audioRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.[PLUGIN.AUDIO];

  router.get('/tags', (_req, res) => {
    const out: Record<string, Record<string, unknown>> = dict();
    for (const [run, refs] of listSeries(store, PLUGIN.AUDIO, DATA_CLASS.BLOB_SEQUENCE)) {
      const tags: Record<string, unknown> = dict();
      for (const r of refs)
        tags[r.tag] = {
          displayName: r.metadata.displayName,
          description: markdownToSafeHtml(r.metadata.description),
          samples: maxBlobCount(r, PLUGIN.AUDIO),
        };
      out[run] = tags;
    }
    sendJson(res, out);
  });

  router.get('/audio', (req, res) => {
    const run = queryParam(req, 'run');
    const tag = queryParam(req, 'tag');
    const sample = intQuery(req, 'sample', 0);
    const ref =
      run === undefined || tag === undefined
        ? undefined
        : findSeries(store, run, tag, PLUGIN.AUDIO, DATA_CLASS.BLOB_SEQUENCE);
    if (ref === undefined)
      throw notFound(`No audio data for run=${JSON.stringify(run ?? null)}, tag=${JSON.stringify(tag ?? null)}`);
    const contentType = mimeTypeOf(ref.metadata.pluginContent);
    const points = blobPoints(ref, PLUGIN.AUDIO, limit);
    // TensorBoard fails (500) when a step has exactly `sample` clips; that is a bad request.
    if (points.some((p) => p.blobs.length === sample)) throw badRequest(`sample ${sample} is out of range`);
    const out = points
      .filter((p) => p.blobs.length > sample)
      .map((p) => ({
        wall_time: p.wallTime,
        label: '',
        step: p.step,
        contentType,
        query: new URLSearchParams({
          blob_key: encodeBlobKey({ run: ref.runName, tag: ref.tag, step: p.step, index: sample }),
          content_type: contentType,
        }).toString(),
      }));
    sendJson(res, out);
  });

  router.get('/individualAudio', async (req, res) => {
    const mimeType = requireQuery(req, 'content_type');
    if (!ALLOWED_MIME_TYPES.has(mimeType)) throw badRequest(`Illegal mime type ${JSON.stringify(mimeType)}`);
    const bytes = await readBlobByKey(store, decodeBlobKey(requireQuery(req, 'blob_key')), PLUGIN.AUDIO);
    sendBytes(res, bytes, mimeType);
  });
  return router;
}
