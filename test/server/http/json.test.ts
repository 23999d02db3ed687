import fc from 'fast-check';
import { jsonSlices, toJson } from '../../../src/server/http/json';

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
