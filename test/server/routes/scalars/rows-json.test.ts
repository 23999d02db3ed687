import fc from 'fast-check';
import { evenIndices } from '../../../../src/common/sampling';
import { scalarAt } from '../../../../src/server/data/series';
import { toJson } from '../../../../src/server/http/json';
import { ResponseBuffers, scalarSeriesJson } from '../../../../src/server/routes/scalars/rows-json';
import { TagSeries } from '../../../../src/store/tag-series';
import { DT } from '../../../../src/events/types';

/** The plain way: one row array per point, toJson's replacer for non-finite numbers. */
function reference(s: TagSeries, limit: number | undefined): string {
  return toJson(evenIndices(s.length, limit).map((i) => [s.wallTimes.get(i), s.steps.get(i), scalarAt(s, i)]));
}

const value = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.1, 1e21, 5e-324),
  fc.float().map(Number),
);
/** Mostly counters, sometimes what int64 steps become past 2^53, negative ones, or anything at all. */
const step = fc.oneof(
  { weight: 6, arbitrary: fc.nat() },
  fc.constantFrom(2 ** 32, 2 ** 53 + 2, 2 ** 60, -5, -0),
  fc.double(),
);

it('writes the same JSON as one row array per point (WebAssembly): chunk edges, sampling, odd steps, NaN, ±∞', () => {
  const buffers = new ResponseBuffers();
  fc.assert(
    fc.property(
      fc.array(fc.tuple(step, value, value), { maxLength: 2600 }),
      fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
      (points, limit) => {
        const s = new TagSeries('t');
        for (const [step, wall, v] of points) s.pushScalar(step, wall, DT.FLOAT, v);
        const body = scalarSeriesJson(s, limit, buffers);
        expect(body.toString('latin1')).toBe(reference(s, limit));
        buffers.give(body);
      },
    ),
    { numRuns: 60 },
  );
});

it('serves the single value of shaped one-element tensors, as the rows route always did', () => {
  const s = new TagSeries('t');
  s.pushScalar(0, 1, DT.FLOAT, 0.5);
  s.push(1, 2, { kind: 'numeric', dtype: DT.DOUBLE, shape: [1], values: Float64Array.of(2.5) }, 'f');
  s.push(2, 3, { kind: 'numeric', dtype: DT.DOUBLE, shape: [2], values: Float64Array.of(1, 2) }, 'f');
  expect(scalarSeriesJson(s, undefined).toString('latin1')).toBe(reference(s, undefined));
  expect(JSON.parse(scalarSeriesJson(s, undefined).toString('latin1'))).toEqual([
    [1, 0, 0.5],
    [2, 1, 2.5],
    [3, 2, 1],
  ]);
});
