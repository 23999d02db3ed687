import { toSafeNumber, type TensorMsg } from '../protobuf/schema';
import { DT, type ByteRef, type DecodedTensor } from './types';

/** Where a decoded record's bytes sit in the file, to turn views into references. */
export interface ByteOrigin {
  /** The record payload the message was decoded from. */
  data: Uint8Array;
  /** File offset of data[0]. */
  fileOffset: number;
}

/** Byte strings longer than this are kept as file references, not copies, when asked. */
export const INLINE_LIMIT = 64;

/** A byte string as a reference into the file, with a private copy when small or asked. */
export function byteRef(view: Uint8Array, origin: ByteOrigin, keepCopy: boolean): ByteRef {
  const ref: ByteRef = { offset: origin.fileOffset + (view.byteOffset - origin.data.byteOffset), length: view.length };
  if (keepCopy || view.length <= INLINE_LIMIT) ref.inline = new Uint8Array(view);
  return ref;
}

export function shapeOf(t: TensorMsg): number[] {
  return (t.tensorShape?.dim ?? []).map((d) => toSafeNumber(d.size));
}

function elementCount(shape: number[]): number {
  return shape.reduce((n, d) => n * Math.max(d, 0), 1);
}

/**
 * Most elements a tensor is filled out to beyond the values it stores
 * (TensorFlow repeats a lone stored value across the shape). The shape is
 * only declared: without a limit, a record of a few bytes could demand
 * gigabytes.
 */
export const MAX_FILLED_ELEMENTS = 1 << 20;

/** A tensor that cannot be decoded as declared (reported as BAD_TENSOR). */
export class BadTensorError extends Error {}

function checkFill(shape: number[], count: number, stored: number): void {
  if (count > stored && count > MAX_FILLED_ELEMENTS) {
    throw new BadTensorError(
      `shape [${shape.join(', ')}] declares ${count} elements but only ${stored} values are stored, ` +
        `more than the ${MAX_FILLED_ELEMENTS} featherboard fills in`,
    );
  }
}

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Values packed little-endian in tensor_content. */
function fromContent(dtype: number, bytes: Uint8Array): number[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (size: number, get: (at: number) => number): number[] => {
    const out: number[] = [];
    for (let at = 0; at + size <= bytes.length; at += size) out.push(get(at));
    return out;
  };
  switch (dtype) {
    case DT.FLOAT:
      return read(4, (at) => view.getFloat32(at, true));
    case DT.DOUBLE:
      return read(8, (at) => view.getFloat64(at, true));
    case DT.INT32:
      return read(4, (at) => view.getInt32(at, true));
    case DT.UINT32:
      return read(4, (at) => view.getUint32(at, true));
    case DT.INT16:
      return read(2, (at) => view.getInt16(at, true));
    case DT.UINT16:
      return read(2, (at) => view.getUint16(at, true));
    case DT.INT8:
      return read(1, (at) => view.getInt8(at));
    case DT.UINT8:
      return read(1, (at) => view.getUint8(at));
    case DT.BOOL:
      return read(1, (at) => (view.getUint8(at) ? 1 : 0));
    case DT.INT64:
      return read(8, (at) => Number(view.getBigInt64(at, true)));
    case DT.UINT64:
      return read(8, (at) => Number(view.getBigUint64(at, true)));
    case DT.HALF:
      return read(2, (at) => halfToNumber(view.getUint16(at, true)));
    default:
      return undefined;
  }
}

/** Values from the typed *_val fields. */
function fromFields(dtype: number, t: TensorMsg): number[] | undefined {
  switch (dtype) {
    case DT.FLOAT:
      return t.floatVal ?? [];
    case DT.DOUBLE:
      return t.doubleVal ?? [];
    case DT.INT32:
    case DT.INT16:
    case DT.INT8:
    case DT.UINT8:
    case DT.UINT16:
      return t.intVal ?? [];
    case DT.UINT32:
      return t.uint32Val ?? [];
    case DT.INT64:
      return (t.int64Val ?? []).map(toSafeNumber);
    case DT.UINT64:
      return (t.uint64Val ?? []).map(toSafeNumber);
    case DT.BOOL:
      return (t.boolVal ?? []).map((b) => (b ? 1 : 0));
    case DT.HALF:
      return (t.halfVal ?? []).map(halfToNumber);
    default:
      return undefined;
  }
}

/**
 * A TensorProto as numbers or byte strings. As TensorFlow does, fewer stored
 * values than the shape holds means "repeat the last one".
 * @throws BadTensorError when that would exceed MAX_FILLED_ELEMENTS
 */
export function decodeTensor(t: TensorMsg, origin: ByteOrigin, keepStringCopies: boolean): DecodedTensor {
  const dtype = t.dtype ?? 0;
  const shape = shapeOf(t);
  const count = elementCount(shape);
  if (dtype === DT.STRING) {
    checkFill(shape, count, t.stringVal?.length ?? 0);
    const strings = (t.stringVal ?? []).map((s) => byteRef(s, origin, keepStringCopies));
    const last = strings[strings.length - 1];
    while (strings.length < count) strings.push(last ?? { offset: 0, length: 0, inline: new Uint8Array(0) });
    return { kind: 'string', dtype, shape, values: strings };
  }
  const content = t.tensorContent;
  const list = content !== undefined && content.length > 0 ? fromContent(dtype, content) : fromFields(dtype, t);
  if (list === undefined) return { kind: 'unsupported', dtype, shape };
  checkFill(shape, count, list.length);
  const values = new Float64Array(count);
  const n = Math.min(list.length, count);
  for (let i = 0; i < n; i++) values[i] = list[i] as number;
  if (n > 0 && n < count) values.fill(list[n - 1] as number, n);
  return { kind: 'numeric', dtype, shape, values };
}
