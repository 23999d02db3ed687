import fc from 'fast-check';
import { selectPoints } from '../../src/common/sampling';

describe('selectPoints', () => {
  it('sends everything when the range holds fewer than 2×width points', () => {
    const steps = Float64Array.from({ length: 199 }, (_, i) => i);
    const r = selectPoints(steps, steps, 0, -Infinity, Infinity, 100);
    expect(r.downsampled).toBe(false);
    expect(Array.from(r.indices)).toEqual(Array.from(steps));
  });

  it('keeps a one-point spike among a million points', () => {
    const n = 1_000_000;
    const steps = Float64Array.from({ length: n }, (_, i) => i);
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 1000));
    values[654321] = 1e6;
    values[123] = NaN;
    const r = selectPoints(steps, values, 0, -Infinity, Infinity, 1000);
    expect(r.downsampled).toBe(true);
    expect(r.indices.length).toBeLessThanOrEqual(5000);
    expect(r.indices).toContain(654321);
    expect(r.indices).toContain(123);
    expect(r.total).toBe(n);
  });

  it('honours the step range and the resume index', () => {
    const steps = Float64Array.from({ length: 50 }, (_, i) => i * 10);
    const r = selectPoints(steps, steps, 20, 100, 300, 1000);
    expect(Array.from(r.indices)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
  });

  it('always keeps first, last, global min and max, in arrival order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 2, maxLength: 400 }),
        fc.integer({ min: 1, max: 50 }),
        (vals, width) => {
          const values = Float64Array.from(vals);
          const steps = Float64Array.from(vals, (_, i) => i);
          const { indices } = selectPoints(steps, values, 0, -Infinity, Infinity, width);
          const list = Array.from(indices);
          expect(list[0]).toBe(0);
          expect(list[list.length - 1]).toBe(vals.length - 1);
          expect(list.some((i) => values[i] === Math.min(...vals))).toBe(true);
          expect(list.some((i) => values[i] === Math.max(...vals))).toBe(true);
          expect([...list].sort((a, b) => a - b)).toEqual(list);
        },
      ),
      { numRuns: 200 },
    );
  });
});
