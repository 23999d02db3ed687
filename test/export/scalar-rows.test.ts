import * as fc from 'fast-check';
import { formatNumber, numberText } from '../../src/common/format-number';
import { createRowSink } from '../../src/export/row-sink';
import { jsonNumberText } from '../../src/export/scalar-rows';
import { WasmRowFormatter } from '../../src/wasm-row-formatter';
import { MemoryStream } from '../support/memory-stream';

/**
 * The scalar fast path (number shortcuts, wall-time texts reused across series) must write what formatting each row
 * does.
 */
describe('scalar rows', () => {
  it('numberText is formatNumber', () => {
    for (const x of [0, -0, NaN, Infinity, -Infinity, 1e21, -1e-7, 2 ** 53, Math.fround(0.1), 1700000000.05])
      expect(numberText(x)).toBe(formatNumber(x));
    fc.assert(fc.property(fc.double(), (x) => numberText(x) === formatNumber(x)));
  });

  it('the WebAssembly formatter writes every number as JavaScript does (Ryū against V8)', () => {
    const wasm = WasmRowFormatter.shared() as WasmRowFormatter;
    expect(wasm).toBeDefined();
    const bits = new Uint32Array(2);
    const asDouble = new Float64Array(bits.buffer);
    const asFloat = new Float32Array(bits.buffer, 0, 1);
    const check = (x: number): void => {
      const csv = wasm.numberText(x, false);
      const json = wasm.numberText(x, true);
      if (csv !== numberText(x) || json !== jsonNumberText(x))
        expect([x, csv, json]).toEqual([x, numberText(x), jsonNumberText(x)]);
    };
    // Edges: zeros, specials, subnormals, extremes, the plain/exponent notation boundaries, ties.
    for (const x of [
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      5e-324,
      -5e-324,
      2.2250738585072014e-308,
      1.7976931348623157e308,
      1e21,
      1e-7,
      9.999999999999999e20,
      1.5e-7,
      1e-6,
      2 ** 53,
      2 ** 53 + 2,
      0.1,
      0.3,
      2.5,
      1e23,
    ])
      check(x);
    for (let e = -325; e <= 308; e++) for (const m of [1, 2, 5, 9.5, 1.5]) check(Number(`${m}e${e}`));
    // Random doubles, random float32 values (most summaries), decimals as loggers write them.
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 100_000; i++) {
      bits[0] = next();
      bits[1] = next();
      check(asDouble[0] as number);
      check(asFloat[0] as number);
      check(next() / 1000);
      check(1.7e9 + next() / 100);
    }
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
          for (let i = 0; i < w.length; i++)
            await b.write({ run: 'r,1', tag: `t${k}`, step: s[i], wall_time: w[i], value: v[i] });
        }
        await a.end();
        await b.end();
        expect(fast.text()).toBe(slow.text());
      }),
      { numRuns: 60 },
    );
  });
});
