import { Router } from 'express';
import { DATA_CLASS } from '../../events/types';
import { PLUGIN } from '../../events/plugins';
import type { Store } from '../../store/store';
import { decodeBlobKey, encodeBlobKey } from '../blob-key';
import { blobPoints, maxBlobCount, readBlobByKey } from '../blob-sequence';
import { findSeries, listSeries } from '../data-access';
import { badRequest, notFound } from '../http-error';
import { markdownToSafeHtml } from '../markdown';
import { intQuery, queryParam } from '../params';
import { sendBytes, sendJson } from '../respond';
import type { ServerOptions } from '../server-options';
import { dict } from '../dict';

/** The image type from its first bytes (what TensorBoard asks PIL). */
export function imageMimeType(b: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x42, 0x4d)) return 'image/bmp';
  return 'application/octet-stream';
}

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
    const run = queryParam(req, 'run');
    const tag = queryParam(req, 'tag');
    const sample = intQuery(req, 'sample', 0);
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
    const text = queryParam(req, 'blob_key');
    if (text === undefined) throw badRequest('Invalid run, tag, index, or sample');
    const bytes = await readBlobByKey(store, decodeBlobKey(text), PLUGIN.IMAGES);
    sendBytes(res, bytes, imageMimeType(bytes));
  });
  return router;
}
