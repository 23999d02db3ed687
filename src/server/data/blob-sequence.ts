import type { ByteRef } from '../../events/types';
import { PLUGIN } from '../../events/plugins';
import { DATA_CLASS } from '../../events/types';
import { readBlob } from '../../store/read-blob';
import type { StoredTensor } from '../../store/tag-series';
import type { Store } from '../../store/store';
import { evenIndices } from '../../common/sampling';
import { findSeries, type SeriesRef } from './series';
import { notFound } from '../http/http-error';
import type { BlobKey } from './blob-key';

/**
 * The blobs of one point of a blob-sequence series, as TensorBoard's data
 * server sees them: every string of the tensor, except audio's `[k, 2]`
 * (clip, label) pairs, which give the k clips.
 */
export function blobsOf(stored: StoredTensor | undefined, plugin: string): ByteRef[] {
  const t = stored?.tensor;
  if (t === undefined || t.kind !== 'string') return [];
  if (plugin === PLUGIN.AUDIO && t.shape.length === 2 && t.shape[1] === 2)
    return t.values.filter((_, i) => i % 2 === 0);
  return t.values;
}

export interface BlobPoint {
  wallTime: number;
  step: number;
  blobs: ByteRef[];
  file: string;
}

/** The points of a blob series to serve, each with its blob references. */
export function blobPoints(ref: SeriesRef, plugin: string, limit: number | undefined): BlobPoint[] {
  const s = ref.series;
  if (s === undefined) return [];
  return evenIndices(s.length, limit).map((i) => {
    const stored = s.tensorAt(i);
    return {
      wallTime: s.wallTimes.get(i),
      step: s.steps.get(i),
      blobs: blobsOf(stored, plugin),
      file: stored?.file ?? '',
    };
  });
}

/** Most blobs at any step (`max_length` of TensorBoard's blob sequence listing). */
export function maxBlobCount(ref: SeriesRef, plugin: string): number {
  const s = ref.series;
  let max = 0;
  if (s !== undefined) for (let i = 0; i < s.length; i++) max = Math.max(max, blobsOf(s.tensorAt(i), plugin).length);
  return max;
}

/**
 * The bytes a blob key names, for a series of `plugin`. The key names a run,
 * tag, step and index; the file and offset come from the store only. When a
 * step repeats, the latest point wins (as the data server's reservoir).
 */
export async function readBlobByKey(store: Store, key: BlobKey, plugin: string): Promise<Uint8Array> {
  const ref = findSeries(store, key.run, key.tag, plugin, DATA_CLASS.BLOB_SEQUENCE);
  const s = ref?.series;
  if (s === undefined) throw notFound('no such blob');
  for (let i = s.length - 1; i >= 0; i--) {
    if (s.steps.get(i) !== key.step) continue;
    const stored = s.tensorAt(i);
    const blob = blobsOf(stored, plugin)[key.index];
    if (blob === undefined || stored === undefined) throw notFound('no such blob');
    return readBlob(stored.file, blob);
  }
  throw notFound('no such blob');
}
