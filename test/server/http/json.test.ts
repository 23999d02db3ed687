import fc from 'fast-check';
import { jsonSlices, numbersAt, spelledAt, toJson } from '../../../src/server/http/json';

/** /model's JSON written a slice at a time is the text `toJson` writes in one piece. */

const slicedText = (value: Record<string, unknown>, sliceChars: number): string =>
  [...jsonSlices(value, sliceChars)].flat().join('');

const member = fc.oneof(
  fc.double(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object(),
  fc.array(
    fc.oneof(fc.double(), fc.string(), fc.constant(undefined), fc.object(), fc.array(fc.double(), { maxLength: 3 })),
    { maxLength: 20 },
  ),
);
const objects = fc.dictionary(
  fc.string().filter((k) => k !== '__proto__'),
  member,
  { maxKeys: 8 },
);

it('writes the same text as toJson, whatever the slice size', () => {
  fc.assert(
    fc.property(objects, fc.integer({ min: 1, max: 200 }), (value, sliceChars) => {
      expect(slicedText(value, sliceChars)).toBe(toJson(value));
    }),
    { numRuns: 500 },
  );
});

it('ends slices between array elements', () => {
  const value = {
    run: '.',
    ops: [{ a: 1 }, { b: Infinity }, { c: [NaN] }],
    empty: [],
    gone: undefined,
    last: -Infinity,
  };
  expect([...jsonSlices(value, 1)]).toEqual([
    ['{"run":".","ops":[{"a":1}'],
    [',{"b":"Infinity"}'],
    [',{"c":["NaN"]}'],
    ['],"empty":[],"last":"-Infinity"}'],
  ]);
  expect([...jsonSlices({})]).toEqual([['{}']]);
});

/** What toJson must write: JSON.stringify with a replacer that spells non-finite numbers, applied to everything. */
const withReplacer = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : v,
  );

describe('toJson', () => {
  it('writes what JSON.stringify with the replacer writes, for any value', () => {
    const special = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0);
    const leaf = fc.oneof(fc.double(), special, fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('nullProto'), tie('other')),
      array: fc.array(tie('node'), { maxLength: 6 }),
      object: fc.dictionary(fc.string(), tie('node'), { maxKeys: 5 }),
      nullProto: fc
        .dictionary(fc.string(), tie('node'), { maxKeys: 3 })
        .map((d) => Object.assign(Object.create(null), d)),
      // Objects JSON.stringify treats its own way: typed arrays, dates, toJSON, class instances.
      other: fc.oneof(
        fc.array(fc.oneof(fc.double(), special), { maxLength: 4 }).map((a) => Float64Array.from(a)),
        fc.date({ noInvalidDate: true }),
        tie('node').map((inner) => ({ toJSON: () => inner })),
        tie('node').map(
          (inner) =>
            new (class Box {
              constructor(readonly inner: unknown) {}
            })(inner),
        ),
      ),
    }));
    fc.assert(
      fc.property(value.node, (v) => {
        expect(toJson(v)).toBe(withReplacer(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('spells non-finite numbers at any depth, and leaves finite ones alone', () => {
    expect(toJson([1, [2, { x: NaN }], -0])).toBe('[1,[2,{"x":"NaN"}],0]');
    expect(toJson({ a: { b: [Infinity, -Infinity] } })).toBe('{"a":{"b":["Infinity","-Infinity"]}}');
    expect(toJson({ d: { toJSON: () => [NaN] } })).toBe('{"d":["NaN"]}');
    expect(toJson(NaN)).toBe('"NaN"');
    expect(toJson([1.5, 'NaN', null])).toBe('[1.5,"NaN",null]');
  });
});

describe('columns for JSON answers', () => {
  it('take the numbers at the indices, in order', () => {
    const column = Float64Array.of(0.5, 1, NaN, Infinity, -2);
    expect(numbersAt(column, [4, 0, 1])).toEqual([-2, 0.5, 1]);
    expect(spelledAt(column, Uint32Array.of(0, 2, 3))).toEqual([0.5, 'NaN', 'Infinity']);
  });

  it('are written as toJson writes any array, non-finite numbers spelled', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity))), (values) => {
        const column = Float64Array.from(values);
        const all = values.map((_, i) => i);
        const body = { a: numbersAt(column, all), b: spelledAt(column, all), c: [...values] };
        expect(toJson(body)).toBe(withReplacer({ a: values, b: values, c: values }));
      }),
      { numRuns: 500 },
    );
  });
});
