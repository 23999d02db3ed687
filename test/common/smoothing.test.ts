import * as fs from 'node:fs';
import * as path from 'node:path';
import { smooth } from '../../src/common/smoothing';

/** Expected values computed by TensorBoard's algorithm in smoothing_expected.py. */
interface Case {
  name: string;
  weight: number | string;
  input: (number | string)[];
  expected: (number | string)[];
}
const { cases } = JSON.parse(fs.readFileSync(path.join(__dirname, 'smoothing-expected.json'), 'utf8')) as {
  cases: Case[];
};
const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));

describe('smooth() equals TensorBoard smoothing', () => {
  it.each(cases.map((c) => [c.name, String(c.weight), c] as const))('%s at weight %s', (_n, _w, c) => {
    const got = Array.from(smooth(c.input.map(num), num(c.weight)));
    const want = c.expected.map(num);
    expect(got).toHaveLength(want.length);
    got.forEach((g, i) => {
      const e = want[i] as number;
      if (Number.isFinite(e)) expect(g).toBeCloseTo(e, 12);
      else expect(g).toBe(e);
    });
  });

  it('covers the cases that matter', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    expect(cases.some((c) => c.input.includes('NaN'))).toBe(true);
  });

  it('matches the worked example in TensorBoard docs: [1, 0.5, 0] at 0.6', () => {
    expect(Array.from(smooth([1, 0.5, 0], 0.6))).toEqual([1, 0.6875, ((0.5 * 0.4 + 0.4 * 0.6) * 0.6) / (1 - 0.6 ** 3)]);
  });
});
