import { WIRE_TYPE, WireFormatError, WireReader } from './wire-reader';

/**
 * Minimal reads of plugin_data protos (a handful of scalar fields) without a
 * schema: enough for the few flags the routes need. Groups are not read
 * (no plugin writes them): a message holding one reads as unreadable.
 */

/** One field of a message, read without its schema. */
export interface RawField {
  number: number;
  wireType: number;
  varint?: number;
  bytes?: Uint8Array;
  fixed?: DataView;
}

function* fields(buf: Uint8Array): Generator<RawField> {
  const r = new WireReader(buf);
  while (!r.done) {
    // Any varint is a key here, as this reader always took it: one beyond 32 bits names no field anyone asks for.
    const key = r.varint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === WIRE_TYPE.VARINT) yield { number, wireType, varint: r.varint() };
    else if (wireType === WIRE_TYPE.LENGTH_DELIMITED) yield { number, wireType, bytes: r.bytesField() };
    else if (wireType === WIRE_TYPE.FIXED64 || wireType === WIRE_TYPE.FIXED32) {
      const bytes = r.take(wireType === WIRE_TYPE.FIXED64 ? 8 : 4);
      yield { number, wireType, fixed: new DataView(bytes.buffer, bytes.byteOffset, bytes.length) };
    } else throw new WireFormatError(`unsupported wire type ${wireType}`);
  }
}

/** The last varint value of field `number`, or undefined (also for unreadable bytes). */
export function readVarintField(buf: Uint8Array, number: number): number | undefined {
  let out: number | undefined;
  try {
    for (const f of fields(buf)) if (f.number === number && f.varint !== undefined) out = f.varint;
  } catch {
    return out;
  }
  return out;
}

/** The last length-delimited value of field `number`. */
export function readBytesField(buf: Uint8Array, number: number): Uint8Array | undefined {
  let out: Uint8Array | undefined;
  try {
    for (const f of fields(buf)) if (f.number === number && f.bytes !== undefined) out = f.bytes;
  } catch {
    return out;
  }
  return out;
}

/** Every field, for callers that need a few numbers and strings (mesh, hparams). */
export function listFields(buf: Uint8Array): RawField[] {
  try {
    return [...fields(buf)];
  } catch {
    return [];
  }
}
