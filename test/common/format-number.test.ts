import fc from 'fast-check';
import { formatNumber, jsonNumber, readJsonNumber } from '../../src/common/format-number';

/** The server writes numbers with jsonNumber, the viewer reads them back with readJsonNumber. */
describe('JSON numbers', () => {
  it('travel as numbers when finite, as "NaN", "Infinity", "-Infinity" otherwise', () => {
    expect([NaN, Infinity, -Infinity, 1.5, 0].map(jsonNumber)).toEqual(['NaN', 'Infinity', '-Infinity', 1.5, 0]);
  });

  it('read back as the same double, whatever it is', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(Object.is(readJsonNumber(JSON.parse(JSON.stringify(jsonNumber(x)))), x === 0 ? 0 : x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('read anything else as NaN', () => {
    for (const v of [null, undefined, 'nan', 'inf', ''] as const) expect(readJsonNumber(v)).toBeNaN();
  });

  it('spell as export does once read back', () => {
    for (const x of [NaN, Infinity, -Infinity, 3.3999999521443642e38, 1e-7])
      expect(formatNumber(readJsonNumber(jsonNumber(x)))).toBe(formatNumber(x));
  });
});
