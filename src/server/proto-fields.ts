/**
 * Minimal reads of plugin_data protos (a handful of scalar fields) without a
 * schema: enough for the few flags the routes need.
 */

interface Field {
  number: number;
  wireType: number;
  varint?: number;
  bytes?: Uint8Array;
  fixed?: DataView;
}

function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++] as number;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const number = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) yield { number, wireType, varint: varint() };
    else if (wireType === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new Error('truncated field');
      yield { number, wireType, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (pos + size > buf.length) throw new Error('truncated field');
      yield { number, wireType, fixed: new DataView(buf.buffer, buf.byteOffset + pos, size) };
      pos += size;
    } else throw new Error(`unsupported wire type ${wireType}`);
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
export function listFields(buf: Uint8Array): Field[] {
  try {
    return [...fields(buf)];
  } catch {
    return [];
  }
}
