import { WIRE_TYPE } from './wire-reader';

/**
 * The few protobuf bytes featherboard writes by hand (protobufjs writes the
 * rest): a message of varint fields, such as the plugin contents TensorBoard
 * gives migrated legacy values.
 */

function pushVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** A message holding these varint fields, in this order: [field number, non-negative integer value]. */
export function encodeVarintFields(fields: readonly (readonly [number, number])[]): Uint8Array {
  const out: number[] = [];
  for (const [field, value] of fields) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a varint value: ${value}`);
    pushVarint(out, field * 8 + WIRE_TYPE.VARINT);
    pushVarint(out, value);
  }
  return Uint8Array.from(out);
}
