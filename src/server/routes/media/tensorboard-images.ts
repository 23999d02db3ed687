import { Router } from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { decodeBlobKey, encodeBlobKey } from '../../data/blob-key';
import { blobPoints, maxBlobCount, readBlobByKey } from '../../data/blob-sequence';
import { findSeries, listSeries } from '../../data/series';
import { dict } from '../../http/dict';
import { badRequest, notFound } from '../../http/http-error';
import { sniffMediaType, TENSORBOARD_IMAGE_TYPES } from '../../http/mime';
import { LIMITS, tensorboardQuery } from '../../http/params';
import { sendBytes, sendJson } from '../../http/send';
import { markdownToSafeHtml } from '../../render/markdown';
import type { ServerOptions } from '../../server-options';

/** `/data/plugin/images/*`: image tags, per-sample listings with blob keys, image bytes. */
export function imagesRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.[PLUGIN.IMAGES];

  router.get('/tags', (_req, res) => {
    const out: Record<string, Record<string, unknown>> = dict();
    for (const [run, refs] of listSeries(store, PLUGIN.IMAGES, DATA_CLASS.BLOB_SEQUENCE)) {
      const tags: Record<string, unknown> = dict();
      for (const r of refs) {
        // The first two strings are width and height.
        tags[r.tag] = {
          displayName: r.metadata.displayName,
          description: markdownToSafeHtml(r.metadata.description),
          samples: maxBlobCount(r, PLUGIN.IMAGES) - 2,
        };
      }
      out[run] = tags;
    }
    sendJson(res, out);
  });

  router.get('/images', (req, res) => {
    const query = tensorboardQuery(req);
    const run = query.get('run');
    const tag = query.get('tag');
    const sample = query.int('sample', { min: 0, max: LIMITS.sampleIndex, fallback: 0 });
    const ref =
      run === undefined || tag === undefined
        ? undefined
        : findSeries(store, run, tag, PLUGIN.IMAGES, DATA_CLASS.BLOB_SEQUENCE);
    if (ref === undefined)
      throw notFound(`No image data for run=${JSON.stringify(run ?? null)}, tag=${JSON.stringify(tag ?? null)}`);
    const out = blobPoints(ref, PLUGIN.IMAGES, limit)
      .filter((p) => p.blobs.length - 2 > sample)
      .map((p) => ({
        wall_time: p.wallTime,
        step: p.step,
        query: new URLSearchParams({
          blob_key: encodeBlobKey({ run: ref.runName, tag: ref.tag, step: p.step, index: sample + 2 }),
        }).toString(),
      }));
    sendJson(res, out);
  });

  router.get('/individualImage', async (req, res) => {
    const text = tensorboardQuery(req).get('blob_key');
    if (text === undefined) throw badRequest('Invalid run, tag, index, or sample');
    const bytes = await readBlobByKey(store, decodeBlobKey(text), PLUGIN.IMAGES);
    sendBytes(res, bytes, sniffMediaType(bytes, TENSORBOARD_IMAGE_TYPES));
  });
  return router;
}
