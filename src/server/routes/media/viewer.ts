import type { Request, Response } from 'express';
import type { AudioResponse, AudioStepJson, ImageStepJson, ImagesResponse } from '../../../common/responses/viewer-api';
import { PLUGIN } from '../../../events/plugins';
import type { ByteRef, StringTensor } from '../../../events/types';
import { readBlob } from '../../../store/read-blob';
import type { Store } from '../../../store/store';
import type { TagSeries } from '../../../store/tag-series';
import { requireSeries } from '../../data/series';
import { badRequest, HttpError, notFound } from '../../http/http-error';
import { sniffMediaType } from '../../http/mime';
import { LIMITS, type Params, viewerQuery } from '../../http/params';
import { sendBytes, sendJson } from '../../http/send';

const TEXT = new TextDecoder();

function stringTensorAt(series: TagSeries, i: number): { tensor: StringTensor; file: string } | undefined {
  const stored = series.tensorAt(i);
  if (stored === undefined || stored.tensor.kind !== 'string') return undefined;
  return { tensor: stored.tensor, file: stored.file };
}

/** A small inline string (image width/height, audio label); '' when it lives only in the file. */
function inlineText(ref: ByteRef | undefined): string {
  return ref?.inline !== undefined ? TEXT.decode(ref.inline) : '';
}

/** The byte string holding sample `k` of a blob tensor: images are [w, h, png...], audio [[wav, label]...]. */
function sampleRef(pluginName: string, t: StringTensor, k: number): ByteRef | undefined {
  if (pluginName === PLUGIN.IMAGES) return t.values[2 + k];
  const cols = t.shape.length === 2 ? (t.shape[1] ?? 1) : 1;
  return t.values[k * cols];
}

function sampleCount(pluginName: string, t: StringTensor): number {
  if (pluginName === PLUGIN.IMAGES) return Math.max(0, t.values.length - 2);
  return t.shape.length === 2 ? (t.shape[0] ?? 0) : t.values.length;
}

/** The series named by `run` and `tag` of one of `plugins`; 404 otherwise. */
function seriesOf(store: Store, query: Params, plugins: readonly string[]) {
  const run = query.require('run', LIMITS.nameChars);
  const tag = query.require('tag', LIMITS.nameChars);
  return requireSeries(store, run, tag, plugins);
}

/** GET /api/images?run&tag — every step (not a sample) with its size and sample count. */
export function imagesHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { runName: run, tag, series } = seriesOf(store, viewerQuery(req), [PLUGIN.IMAGES]);
    const steps: ImageStepJson[] = [];
    for (let i = 0; i < series.length; i++) {
      const st = stringTensorAt(series, i);
      if (st === undefined) continue;
      steps.push({
        index: i,
        step: series.steps.get(i),
        wallTime: series.wallTimes.get(i),
        width: Number(inlineText(st.tensor.values[0])) || null,
        height: Number(inlineText(st.tensor.values[1])) || null,
        samples: sampleCount(PLUGIN.IMAGES, st.tensor),
      });
    }
    sendJson(res, { run, tag, steps } satisfies ImagesResponse);
  };
}

/** GET /api/audio?run&tag — every step with its clips' labels. */
export function audioHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { runName: run, tag, series } = seriesOf(store, viewerQuery(req), [PLUGIN.AUDIO]);
    const steps: AudioStepJson[] = [];
    for (let i = 0; i < series.length; i++) {
      const st = stringTensorAt(series, i);
      if (st === undefined) continue;
      const n = sampleCount(PLUGIN.AUDIO, st.tensor);
      const cols = st.tensor.shape.length === 2 ? (st.tensor.shape[1] ?? 1) : 1;
      const labels = Array.from({ length: n }, (_, k) => (cols > 1 ? inlineText(st.tensor.values[k * cols + 1]) : ''));
      steps.push({ index: i, step: series.steps.get(i), wallTime: series.wallTimes.get(i), samples: n, labels });
    }
    sendJson(res, { run, tag, steps } satisfies AudioResponse);
  };
}

/**
 * GET /api/blob?run&tag&index&sample — the bytes of one image or audio clip.
 * The key names a record the store holds (point index, sample number); the
 * file read is the one the store recorded for it.
 */
export function blobHandler(store: Store) {
  return async (req: Request, res: Response): Promise<void> => {
    const query = viewerQuery(req);
    const { series, metadata } = seriesOf(store, query, [PLUGIN.IMAGES, PLUGIN.AUDIO]);
    const pluginName = metadata.pluginName;
    const index = query.int('index', { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: -1 });
    const sample = query.int('sample', { min: 0, max: LIMITS.sampleIndex, fallback: 0 });
    if (index < 0) throw badRequest('missing parameter "index"');
    if (index >= series.length) throw notFound('no such point');
    const st = stringTensorAt(series, index);
    const ref = st === undefined ? undefined : sampleRef(pluginName, st.tensor, sample);
    if (st === undefined || ref === undefined || sample >= sampleCount(pluginName, st.tensor))
      throw notFound('no such sample');
    let bytes: Uint8Array;
    try {
      bytes = await readBlob(st.file, ref);
    } catch {
      throw new HttpError(410, 'the bytes of this sample are no longer in the file');
    }
    sendBytes(res, bytes, sniffMediaType(bytes), {
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=3600',
    });
  };
}
