import { PLUGIN } from '../events/plugins';
import type { SummaryMetadataMsg, SummaryValueMsg, TensorMsg, TensorShapeMsg } from '../protobuf/schema';
import { DATA_CLASS, DT } from '../events/types';
import { legacyHistogram, tf2HistogramRows } from './histogram-buckets';

/**
 * Summary.Value messages (protobufjs camelCase plain objects) for each kind
 * of data, in the two shapes writers use: legacy fields (PyTorch,
 * tensorboardX, TF1) and TF2 tensors with plugin metadata.
 */

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

export interface MetadataText {
  displayName?: string;
  description?: string;
}

/** SummaryMetadata naming the plugin. Plugin content is empty: version 0 of every plugin here. */
export function pluginMetadata(pluginName: string, dataClass: number, text: MetadataText = {}): SummaryMetadataMsg {
  return {
    pluginData: { pluginName, content: EMPTY },
    displayName: text.displayName ?? '',
    summaryDescription: text.description ?? '',
    dataClass,
  };
}

function shape(dims: number[]): TensorShapeMsg {
  return { dim: dims.map((size) => ({ size })) };
}

/** A little-endian float64 tensor_content, as numpy arrays are serialized. */
function float64Content(values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i] as number, true);
  return out;
}

/** PyTorch style: `simple_value`, a float32, no metadata (TensorBoard migrates it). */
export function simpleScalarValue(tag: string, value: number): SummaryValueMsg {
  return { tag, simpleValue: value };
}

/** TF2 style: a rank-0 float32 or float64 tensor. */
export function tensorScalarValue(tag: string, value: number, dtype: 'float32' | 'float64'): SummaryValueMsg {
  const tensor: TensorMsg =
    dtype === 'float64'
      ? { dtype: DT.DOUBLE, tensorShape: shape([]), doubleVal: [value] }
      : { dtype: DT.FLOAT, tensorShape: shape([]), floatVal: [value] };
  return { tag, tensor };
}

export const scalarMetadata = (text?: MetadataText): SummaryMetadataMsg =>
  pluginMetadata(PLUGIN.SCALARS, DATA_CLASS.SCALAR, text);

/** An encoded image (PNG, JPEG...) and its pixel size. */
export interface EncodedImage {
  encoded: Uint8Array;
  width: number;
  height: number;
  /** Channels: 1 gray, 3 RGB, 4 RGBA (legacy only; default 3). */
  colorspace?: number;
}

/** TF2 style: a string tensor `[width, height, image...]`. */
export function tensorImageValue(tag: string, images: EncodedImage[]): SummaryValueMsg {
  const first = images[0];
  const w = utf8.encode(String(first?.width ?? 0));
  const h = utf8.encode(String(first?.height ?? 0));
  return {
    tag,
    tensor: {
      dtype: DT.STRING,
      tensorShape: shape([2 + images.length]),
      stringVal: [w, h, ...images.map((i) => i.encoded)],
    },
  };
}

export const imageMetadata = (text?: MetadataText): SummaryMetadataMsg =>
  pluginMetadata(PLUGIN.IMAGES, DATA_CLASS.BLOB_SEQUENCE, text);

/** Legacy style: one `Summary.Image`. */
export function legacyImageValue(tag: string, image: EncodedImage): SummaryValueMsg {
  return {
    tag,
    image: {
      width: image.width,
      height: image.height,
      colorspace: image.colorspace ?? 3,
      encodedImageString: image.encoded,
    },
  };
}

/** TF2 style: `k×3` float64 rows `[left, right, count]`. */
export function tensorHistogramValue(tag: string, values: ArrayLike<number>, buckets?: number): SummaryValueMsg {
  const rows = tf2HistogramRows(values, buckets);
  return {
    tag,
    tensor: { dtype: DT.DOUBLE, tensorShape: shape([rows.length / 3, 3]), tensorContent: float64Content(rows) },
  };
}

export const histogramMetadata = (text?: MetadataText): SummaryMetadataMsg =>
  pluginMetadata(PLUGIN.HISTOGRAMS, DATA_CLASS.TENSOR, text);

/** Legacy style: a `HistogramProto` on TensorFlow's default bucket edges. */
export function legacyHistogramValue(tag: string, values: ArrayLike<number>): SummaryValueMsg {
  return { tag, histo: legacyHistogram(values) };
}

/** Text: a string tensor, rank 0 for one string, rank 1 for a list. */
export function textValue(tag: string, text: string | string[]): SummaryValueMsg {
  const strings = typeof text === 'string' ? [text] : text;
  return {
    tag,
    tensor: {
      dtype: DT.STRING,
      tensorShape: shape(typeof text === 'string' ? [] : [strings.length]),
      stringVal: strings.map((s) => utf8.encode(s)),
    },
  };
}

export const textMetadata = (text?: MetadataText): SummaryMetadataMsg =>
  pluginMetadata(PLUGIN.TEXT, DATA_CLASS.TENSOR, text);
