import { Router } from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { decodeBlobKey, encodeBlobKey } from '../../data/blob-key';
import { blobPoints, maxBlobCount, readBlobByKey } from '../../data/blob-sequence';
import { findSeries, listSeries } from '../../data/series';
import { dict } from '../../http/dict';
import { badRequest, notFound } from '../../http/http-error';
import { OCTET_STREAM } from '../../http/mime';
import { LIMITS, tensorboardQuery } from '../../http/params';
import { sendBytes, sendJson } from '../../http/send';
import { readVarintField } from '../../../protobuf/raw-fields';
import { markdownToSafeHtml } from '../../render/markdown';
import type { ServerOptions } from '../../server-options';

const WAV_ENCODING = 11;
const ALLOWED_MIME_TYPES = new Set(['audio/wav', OCTET_STREAM]);

/** `audio/wav` when the audio plugin data says WAV (field 2 = 11). */
function mimeTypeOf(pluginContent: Uint8Array): string {
  return readVarintField(pluginContent, 2) === WAV_ENCODING ? 'audio/wav' : OCTET_STREAM;
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
    const query = tensorboardQuery(req);
    const run = query.get('run');
    const tag = query.get('tag');
    const sample = query.int('sample', { min: 0, max: LIMITS.sampleIndex, fallback: 0 });
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
    const query = tensorboardQuery(req);
    const mimeType = query.require('content_type');
    if (!ALLOWED_MIME_TYPES.has(mimeType)) throw badRequest(`Illegal mime type ${JSON.stringify(mimeType)}`);
    const bytes = await readBlobByKey(store, decodeBlobKey(query.require('blob_key')), PLUGIN.AUDIO);
    sendBytes(res, bytes, mimeType);
  });
  return router;
}
