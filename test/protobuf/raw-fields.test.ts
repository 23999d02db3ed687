import * as protobuf from 'protobufjs';
import { listFields, readBytesField, readVarintField } from '../../src/protobuf/raw-fields';

/** Plugin contents read without a schema: fields as written, and nothing (or what came before) from bad bytes. */
const bytes = protobuf.Writer.create()
  .uint32((1 << 3) | 0)
  .uint32(7)
  .uint32((2 << 3) | 2)
  .string('mesh')
  .uint32((3 << 3) | 5)
  .float(1.5)
  .uint32((4 << 3) | 1)
  .double(-2)
  .uint32((1 << 3) | 0)
  .uint32(9)
  .finish();

it('lists every field with its value', () => {
  const fields = listFields(bytes);
  expect(fields.map((f) => [f.number, f.wireType])).toEqual([
    [1, 0],
    [2, 2],
    [3, 5],
    [4, 1],
    [1, 0],
  ]);
  expect(fields[0]?.varint).toBe(7);
  expect(Buffer.from(fields[1]?.bytes ?? []).toString()).toBe('mesh');
  expect(fields[2]?.fixed?.getFloat32(0, true)).toBe(1.5);
  expect(fields[3]?.fixed?.getFloat64(0, true)).toBe(-2);
});

it('reads the last value of a field', () => {
  expect(readVarintField(bytes, 1)).toBe(9);
  expect(Buffer.from(readBytesField(bytes, 2) ?? []).toString()).toBe('mesh');
  expect(readVarintField(bytes, 5)).toBeUndefined();
});

it('gives up on bytes cut short or holding a group: no fields, or those read before', () => {
  const cut = bytes.subarray(0, bytes.length - 1);
  expect(listFields(cut)).toEqual([]);
  expect(readVarintField(cut, 1)).toBe(7);
  const group = Uint8Array.of(0x08, 0x01, 0x13, 0x14);
  expect(listFields(group)).toEqual([]);
  expect(readVarintField(group, 1)).toBe(1);
  expect(listFields(Uint8Array.of(0x0a, 0x05, 1))).toEqual([]);
});
