import * as fc from 'fast-check';
import { formatNumber, numberText } from '../../src/export/format-number';
import { createRowSink } from '../../src/export/row-sink';
import { MemoryStream } from '../support/memory-stream';

/** The scalar fast path (number shortcuts, wall-time texts reused across series) must write what formatting each row does. */
describe('scalar rows', () => {
  it('numberText is formatNumber', () => {
    for (const x of [0, -0, NaN, Infinity, -Infinity, 1e21, -1e-7, 2 ** 53, Math.fround(0.1), 1700000000.05]) expect(numberText(x)).toBe(formatNumber(x));
    fc.assert(fc.property(fc.double(), (x) => numberText(x) === formatNumber(x)));
  });

  const special = fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1700000000.05);
  const column = fc.array(fc.oneof(fc.double(), special), { maxLength: 40 });

  it.each(['csv', 'jsonl', 'json'] as const)('%s: series sharing wall times are written row by row', async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(column, column), { minLength: 1, maxLength: 4 }), async (series) => {
        const fast = new MemoryStream();
        const slow = new MemoryStream();
        const columns = ['run', 'tag', 'step', 'wall_time', 'value'];
        const a = createRowSink(fast, format, columns);
        const b = createRowSink(slow, format, columns);
        for (const [k, [walls, values]] of series.entries()) {
          // Later series often repeat the first one's wall times, as writers do.
          const w = Float64Array.from(k % 2 === 1 ? (series[0]?.[0] ?? walls) : walls);
          const v = Float64Array.from(w, (_, i) => values[i] ?? i);
          const s = Float64Array.from(w, (_, i) => i - 2);
          await a.writeScalars('r,1', `t${k}`, s, w, v);
          for (let i = 0; i < w.length; i++) await b.write({ run: 'r,1', tag: `t${k}`, step: s[i], wall_time: w[i], value: v[i] });
        }
        await a.end();
        await b.end();
        expect(fast.text()).toBe(slow.text());
      }),
      { numRuns: 60 },
    );
  });
});
