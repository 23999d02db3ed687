import type { Request, Response } from 'express';
import { PLUGIN } from '../../events/plugins';
import type { ByteRef, StringTensor } from '../../events/types';
import { readBlob } from '../../store/read-blob';
import type { Store } from '../../store/store';
import type { TagSeries } from '../../store/tag-series';
import { ApiError } from './api-error';
import { intParam } from './params';
import { lookupSeries } from './series-lookup';

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

/** GET /api/images?run&tag — every step (not a sample) with its size and sample count. */
export function imagesHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { run, tag, series } = lookupSeries(store, req, [PLUGIN.IMAGES]);
    const steps = [];
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
    res.json({ run, tag, steps });
  };
}

/** GET /api/audio?run&tag — every step with its clips' labels. */
export function audioHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { run, tag, series } = lookupSeries(store, req, [PLUGIN.AUDIO]);
    const steps = [];
    for (let i = 0; i < series.length; i++) {
      const st = stringTensorAt(series, i);
      if (st === undefined) continue;
      const n = sampleCount(PLUGIN.AUDIO, st.tensor);
      const cols = st.tensor.shape.length === 2 ? (st.tensor.shape[1] ?? 1) : 1;
      const labels = Array.from({ length: n }, (_, k) => (cols > 1 ? inlineText(st.tensor.values[k * cols + 1]) : ''));
      steps.push({ index: i, step: series.steps.get(i), wallTime: series.wallTimes.get(i), samples: n, labels });
    }
    res.json({ run, tag, steps });
  };
}

/** What the bytes are, from their first bytes; never from the request. */
function sniffType(b: Uint8Array): string {
  const starts = (...sig: number[]): boolean => sig.every((x, i) => b[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x42, 0x4d)) return 'image/bmp';
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45) return 'image/webp';
  if (starts(0x52, 0x49, 0x46, 0x46)) return 'audio/wav';
  if (starts(0x66, 0x4c, 0x61, 0x43)) return 'audio/flac';
  if (starts(0x4f, 0x67, 0x67, 0x53)) return 'audio/ogg';
  return 'application/octet-stream';
}

/**
 * GET /api/blob?run&tag&index&sample — the bytes of one image or audio clip.
 * The key names a record the store holds (point index, sample number); the
 * file read is the one the store recorded for it.
 */
export function blobHandler(store: Store) {
  return async (req: Request, res: Response): Promise<void> => {
    const { series, pluginName } = lookupSeries(store, req, [PLUGIN.IMAGES, PLUGIN.AUDIO]);
    const index = intParam(req, 'index', 0, Number.MAX_SAFE_INTEGER, -1);
    const sample = intParam(req, 'sample', 0, 1_000_000, 0);
    if (index < 0) throw new ApiError(400, 'missing parameter "index"');
    if (index >= series.length) throw new ApiError(404, 'no such point');
    const st = stringTensorAt(series, index);
    const ref = st === undefined ? undefined : sampleRef(pluginName, st.tensor, sample);
    if (st === undefined || ref === undefined || sample >= sampleCount(pluginName, st.tensor))
      throw new ApiError(404, 'no such sample');
    let bytes: Uint8Array;
    try {
      bytes = await readBlob(st.file, ref);
    } catch {
      throw new ApiError(410, 'the bytes of this sample are no longer in the file');
    }
    res.set({
      'Content-Type': sniffType(bytes),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=3600',
    });
    res.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  };
}
