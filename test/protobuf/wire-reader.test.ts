import fc from 'fast-check';
import * as protobuf from 'protobufjs';
import { WIRE_TYPE, WireFormatError, WireReader } from '../../src/protobuf/wire-reader';

/**
 * The wire reader reads what protobufjs's Writer writes, value for value,
 * and on bytes cut short or malformed throws WireFormatError without
 * reading past the end or allocating what a length declares.
 */

type Field =
  | { wireType: 0; field: number; value: number }
  | { wireType: 1; field: number; value: number }
  | { wireType: 2; field: number; value: Uint8Array }
  | { wireType: 5; field: number; value: number };

const fieldNumber = fc.integer({ min: 1, max: 2 ** 29 - 1 });
const field: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ wireType: fc.constant(0 as const), field: fieldNumber, value: fc.maxSafeNat() }),
  fc.record({ wireType: fc.constant(1 as const), field: fieldNumber, value: fc.double() }),
  fc.record({ wireType: fc.constant(2 as const), field: fieldNumber, value: fc.uint8Array({ maxLength: 40 }) }),
  fc.record({ wireType: fc.constant(5 as const), field: fieldNumber, value: fc.float() }),
);

function write(fields: Field[]): Uint8Array {
  const w = protobuf.Writer.create();
  for (const f of fields) {
    w.uint32(f.field * 8 + f.wireType);
    if (f.wireType === 0) w.uint64(protobuf.util.LongBits.fromNumber(f.value).toLong(true));
    else if (f.wireType === 1) w.double(f.value);
    else if (f.wireType === 2) w.bytes(f.value);
    else w.float(f.value);
  }
  return w.finish();
}

function read(bytes: Uint8Array, end = bytes.length): Field[] {
  const r = new WireReader(bytes, 0, end);
  const out: Field[] = [];
  while (!r.done) {
    const { field, wireType } = r.key();
    if (wireType === WIRE_TYPE.VARINT) out.push({ wireType, field, value: r.varint() });
    else if (wireType === WIRE_TYPE.FIXED64) out.push({ wireType, field, value: r.double() });
    else if (wireType === WIRE_TYPE.LENGTH_DELIMITED) out.push({ wireType, field, value: r.bytesField() });
    else if (wireType === WIRE_TYPE.FIXED32) out.push({ wireType, field, value: r.float() });
    else throw new Error(`unexpected wire type ${wireType}`);
  }
  return out;
}

it('reads back every field protobufjs writes', () => {
  fc.assert(
    fc.property(fc.array(field, { maxLength: 8 }), (fields) => {
      const back = read(write(fields)).map((f) => (f.wireType === 2 ? { ...f, value: Uint8Array.from(f.value) } : f));
      expect(back).toEqual(fields.map((f) => (f.wireType === 5 ? { ...f, value: Math.fround(f.value) } : f)));
    }),
    { numRuns: 500 },
  );
});

/** The fields read, or the kind of error. */
function outcome(readAll: () => Field[]): { fields: Field[] } | { error: string } {
  try {
    return { fields: readAll() };
  } catch (err) {
    return { error: err instanceof WireFormatError ? 'WireFormatError' : String(err) };
  }
}

it('throws WireFormatError on any cut, never reading past the end', () => {
  fc.assert(
    fc.property(fc.array(field, { minLength: 1, maxLength: 4 }), fc.nat(), (fields, at) => {
      const bytes = write(fields);
      const cut = at % bytes.length;
      const copy = outcome(() => read(Uint8Array.from(bytes.subarray(0, cut))));
      if ('fields' in copy) expect(copy.fields.length).toBeLessThan(fields.length);
      else expect(copy.error).toBe('WireFormatError');
      // The bytes after the cut are there but outside the range: a read past `end` would find them.
      expect(outcome(() => read(bytes, cut))).toEqual(copy);
    }),
    { numRuns: 500 },
  );
});

describe('varints', () => {
  it('reads ten-byte varints (negative int64s) as the nearest double', () => {
    const w = protobuf.Writer.create().int64(-1).finish();
    expect(w.length).toBe(10);
    // 2^64 − 1 has no double: the nearest is 2^64.
    expect(new WireReader(w).varint()).toBe(2 ** 64);
  });

  it('refuses an eleventh byte and a varint cut off', () => {
    expect(() => new WireReader(new Uint8Array(11).fill(0x80)).varint()).toThrow(/longer than 10 bytes/);
    expect(() => new WireReader(Uint8Array.of(0x80, 0x80)).varint()).toThrow(/cut off/);
  });

  it('reads keys and 32-bit varints in at most five bytes, below 2^32', () => {
    expect(new WireReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)).varint32()).toBe(2 ** 32 - 1);
    expect(() => new WireReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f)).varint32()).toThrow(WireFormatError);
    // Five bytes with a sixth to come: protobufjs and protoc would read it two different ways.
    expect(() => new WireReader(Uint8Array.of(0x88, 0x80, 0x80, 0x80, 0x80, 0x00)).key()).toThrow(WireFormatError);
    expect(new WireReader(Uint8Array.of(0x92, 0x01)).key()).toEqual({
      field: 18,
      wireType: WIRE_TYPE.LENGTH_DELIMITED,
    });
  });
});

describe('lengths', () => {
  it('checks a declared length against the bytes left before taking any', () => {
    // A field declaring 2^40 bytes, with three behind it.
    const bytes = Uint8Array.of(0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 1, 2, 3);
    const r = new WireReader(bytes);
    expect(r.key()).toEqual({ field: 1, wireType: WIRE_TYPE.LENGTH_DELIMITED });
    expect(() => r.bytesField()).toThrow(/declares|wanted/);
  });

  it('gives views of the input, not copies', () => {
    const bytes = Uint8Array.of(0x0a, 2, 7, 8);
    const r = new WireReader(bytes);
    r.key();
    const view = r.bytesField();
    expect(Array.from(view)).toEqual([7, 8]);
    view[0] = 9;
    expect(bytes[2]).toBe(9);
  });

  it('reads only within the range it was given', () => {
    const bytes = Uint8Array.of(0x08, 1, 0x08, 2);
    const r = new WireReader(bytes, 0, 2);
    r.key();
    expect(r.varint()).toBe(1);
    expect(r.done).toBe(true);
    expect(() => r.key()).toThrow(WireFormatError);
    expect(() => new WireReader(bytes, 3, 2)).toThrow(RangeError);
  });
});

describe('skip', () => {
  const group = (depth: number): number[] =>
    depth === 0 ? [0x08, 1] : [(1 << 3) | WIRE_TYPE.START_GROUP, ...group(depth - 1), (1 << 3) | WIRE_TYPE.END_GROUP];

  it('passes over every wire type, groups to their end', () => {
    const bytes = Uint8Array.from([
      ...[0x08, 0x96, 0x01],
      ...[0x11, 1, 2, 3, 4, 5, 6, 7, 8],
      ...[0x1a, 2, 0xaa, 0xbb],
      ...group(3),
      ...[0x25, 1, 2, 3, 4],
      ...[0x30, 5],
    ]);
    const r = new WireReader(bytes);
    const seen: number[] = [];
    while (!r.done) {
      const { field, wireType } = r.key();
      seen.push(field);
      if (field === 6) expect(r.varint()).toBe(5);
      else r.skip(wireType);
    }
    expect(seen).toEqual([1, 2, 3, 1, 4, 6]);
  });

  it('refuses groups nested past 100 levels, a stray end-group and wire types 6 and 7', () => {
    const deep = new WireReader(Uint8Array.from(group(101)));
    expect(() => deep.skip(deep.key().wireType)).toThrow(/nested deeper/);
    const fine = new WireReader(Uint8Array.from(group(100)));
    fine.skip(fine.key().wireType);
    expect(fine.done).toBe(true);
    for (const wireType of [WIRE_TYPE.END_GROUP, 6, 7])
      expect(() => new WireReader(Uint8Array.of(0)).skip(wireType)).toThrow(/cannot start a field/);
  });
});
