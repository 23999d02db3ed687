import type { HistogramMsg, SummaryValueMsg } from '../protobuf/schema';
import { byteRef, type ByteOrigin } from './tensor';
import { DT, type DecodedTensor, type NumericTensor } from './types';

/**
 * TensorBoard turns pre-tensor summary values into tensors before storing
 * them (its data_compat step). These produce the same tensors.
 */

/** simple_value: a float32 scalar. */
export function scalarTensor(simpleValue: number): NumericTensor {
  return { kind: 'numeric', dtype: DT.FLOAT, shape: [], values: Float64Array.of(Math.fround(simpleValue)) };
}

/**
 * histo: k rows of [left, right, count] as float32. Empty buckets at both ends
 * are dropped so that the outer edges can become the recorded min and max
 * (legacy histograms use ±DBL_MAX there) without a bucket running backwards.
 */
export function histogramTensor(h: HistogramMsg): NumericTensor {
  const counts = h.bucket ?? [];
  const limits = h.bucketLimit ?? [];
  let start = 0;
  while (start < counts.length && !((counts[start] as number) > 0)) start++;
  let end = counts.length - 1;
  while (end >= 0 && !((counts[end] as number) > 0)) end--;
  if (start > end) return { kind: 'numeric', dtype: DT.FLOAT, shape: [0, 3], values: new Float64Array(0) };
  const inner = limits.slice(start, end);
  const lefts = [h.min ?? 0, ...inner];
  const rights = [...inner, h.max ?? 0];
  const k = end - start + 1;
  const values = new Float64Array(k * 3);
  for (let i = 0; i < k; i++) {
    values[i * 3] = Math.fround(lefts[i] ?? 0);
    values[i * 3 + 1] = Math.fround(rights[i] ?? 0);
    values[i * 3 + 2] = Math.fround(counts[start + i] ?? 0);
  }
  return { kind: 'numeric', dtype: DT.FLOAT, shape: [k, 3], values };
}

const ascii = (n: number): Uint8Array => new TextEncoder().encode(String(n));

/** image: [width, height, encoded image] as strings. */
export function imageTensor(image: NonNullable<SummaryValueMsg['image']>, origin: ByteOrigin): DecodedTensor {
  const encoded = image.encodedImageString ?? new Uint8Array(0);
  const w = ascii(image.width ?? 0);
  const h = ascii(image.height ?? 0);
  return {
    kind: 'string',
    dtype: DT.STRING,
    shape: [3],
    values: [
      { offset: 0, length: w.length, inline: w },
      { offset: 0, length: h.length, inline: h },
      byteRef(encoded, origin, false),
    ],
  };
}

/** audio: [[encoded wav, empty label]]. */
export function audioTensor(audio: NonNullable<SummaryValueMsg['audio']>, origin: ByteOrigin): DecodedTensor {
  const encoded = audio.encodedAudioString ?? new Uint8Array(0);
  return {
    kind: 'string',
    dtype: DT.STRING,
    shape: [1, 2],
    values: [byteRef(encoded, origin, false), { offset: 0, length: 0, inline: new Uint8Array(0) }],
  };
}
