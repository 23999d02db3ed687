import * as fc from 'fast-check';
import { grownCapacity, StepColumn, ValueColumn } from '../../src/store/columns';
import { TagSeries } from '../../src/store/tag-series';
import { DT } from '../../src/events/types';

/** Exact equality, number by number: tells -0 from 0, NaN equals NaN. */
function expectSame(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]))
      throw new Error(`entry ${i}: got ${String(actual[i])}, pushed ${String(expected[i])}`);
  }
}

function stepsOf(values: readonly number[]): StepColumn {
  const c = new StepColumn(4);
  for (const v of values) c.push(v);
  return c;
}

function valuesOf(values: readonly number[]): ValueColumn {
  const c = new ValueColumn(4);
  for (const v of values) c.push(v);
  return c;
}

const SUBNORMAL_F32 = 2 ** -149; // the smallest float32 subnormal
const SUBNORMAL_F64 = 5e-324; // a double subnormal, far below float32's range

describe('StepColumn', () => {
  it('stays Uint32 for integer steps in [0, 2^32), across growth', () => {
    const pushed = [0, 1, 2, 3, 1000, 2 ** 32 - 1, 7, 8, 9, 10];
    const c = stepsOf(pushed);
    expect(c.isWide).toBe(false);
    expect(c.view()).toBeInstanceOf(Uint32Array);
    expectSame(c.view(), pushed);
  });

  it.each([
    ['fractional', 2.5],
    ['negative', -1],
    ['2^32', 2 ** 32],
    ['2^53', 2 ** 53],
    ['-0', -0],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('widens to Float64 on a %s step and keeps every earlier step', (_name, odd) => {
    const pushed = [0, 1, 2, 3, 4, 5, odd, 6, 7];
    const c = stepsOf(pushed);
    expect(c.isWide).toBe(true);
    expect(c.view()).toBeInstanceOf(Float64Array);
    expectSame(c.view(), pushed);
    for (let i = 0; i < pushed.length; i++) expect(Object.is(c.get(i), pushed[i])).toBe(true);
  });

  it('widens on the very first step too', () => {
    const c = stepsOf([-5]);
    expectSame(c.view(), [-5]);
    expect(c.isWide).toBe(true);
  });
});

describe('ValueColumn', () => {
  it('stays Float32 for float32 values, NaN, ±Infinity, ±0 and float32 subnormals', () => {
    const pushed = [Math.fround(0.1), NaN, Infinity, -Infinity, 0, -0, SUBNORMAL_F32, Math.fround(-3.4e38), 1, 2];
    const c = valuesOf(pushed);
    expect(c.isWide).toBe(false);
    expect(c.view()).toBeInstanceOf(Float32Array);
    expectSame(c.view(), pushed);
  });

  it.each([
    ['a float64-only value', 0.1],
    ['a double subnormal', SUBNORMAL_F64],
    ['a value beyond float32 range', 1e300],
    ['an integer beyond float32 precision', 2 ** 24 + 1],
  ])('widens to Float64 on %s and keeps every earlier value', (_name, odd) => {
    const pushed = [Math.fround(0.1), -0, NaN, 1.5, 2, odd, 3];
    const c = valuesOf(pushed);
    expect(c.isWide).toBe(true);
    expect(c.view()).toBeInstanceOf(Float64Array);
    expectSame(c.view(), pushed);
  });

  it('keeps float32 values pushed after widening exact', () => {
    const pushed = [0.1, Math.fround(0.2), -0, NaN, Infinity];
    const c = valuesOf(pushed);
    expect(c.isWide).toBe(true);
    expectSame(c.view(), pushed);
  });

  it('reads back exactly what was pushed, whatever the doubles', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.float().map(Math.fround), fc.integer())), (pushed) => {
        expectSame(valuesOf(pushed).view(), pushed);
        expectSame(stepsOf(pushed).view(), pushed);
      }),
    );
  });
});

describe('compact (purge) after widening', () => {
  it('keeps the width and the exact values of what survives', () => {
    const c = valuesOf([1, 0.1, 2, -0, 3]);
    c.compact(Uint8Array.of(1, 1, 0, 1, 0));
    expect(c.isWide).toBe(true);
    expectSame(c.view(), [1, 0.1, -0]);
    c.push(Math.fround(0.5));
    expectSame(c.view(), [1, 0.1, -0, Math.fround(0.5)]);
  });

  it('TagSeries.dropWhere drops by step once steps are Float64', () => {
    const s = new TagSeries('t');
    const points: [number, number][] = [
      [0, 1],
      [1, 0.1],
      [2.5, 2],
      [3, 3],
      [4, 4],
    ];
    for (const [step, value] of points) s.pushScalar(step, 100 + step, DT.DOUBLE, value);
    expect(s.steps.isWide && s.values.isWide).toBe(true);
    expect(s.dropWhere((step) => step >= 2.5)).toBe(3);
    expectSame(s.steps.view(), [0, 1]);
    expectSame(s.values.view(), [1, 0.1]);
    expectSame(s.wallTimes.view(), [100, 101]);
    s.pushScalar(2, 102, DT.DOUBLE, 2);
    expectSame(s.steps.view(), [0, 1, 2]);
  });
});

describe('TagSeries state (crossing threads)', () => {
  function filled(points: [number, number][]): TagSeries {
    const s = new TagSeries('loss');
    points.forEach(([step, value], i) => {
      s.pushScalar(step, 1_700_000_000.25 + i, DT.FLOAT, value);
    });
    return s;
  }

  it.each([
    [
      'narrow steps and values',
      [
        [0, Math.fround(0.1)],
        [1, NaN],
        [2, -0],
      ],
    ],
    [
      'wide steps and values',
      [
        [-1, 0.1],
        [2 ** 40, Math.fround(0.2)],
        [3.5, SUBNORMAL_F64],
      ],
    ],
  ] as [string, [number, number][]][])('round-trips %s through structured clone with transfer', (_name, points) => {
    const s = filled(points);
    const state = s.toState();
    const buffers = [state.steps, state.wallTimes, state.values, state.dtypes].map((c) => c.buffer as ArrayBuffer);
    const copy = TagSeries.fromState(structuredClone(state, { transfer: buffers }));
    expect(copy.steps.isWide).toBe(s.steps.isWide);
    expect(copy.values.isWide).toBe(s.values.isWide);
    expect(copy.steps.view()[Symbol.toStringTag]).toBe(s.steps.view()[Symbol.toStringTag]);
    expect(copy.values.view()[Symbol.toStringTag]).toBe(s.values.view()[Symbol.toStringTag]);
    expectSame(
      copy.steps.view(),
      points.map((p) => p[0]),
    );
    expectSame(
      copy.values.view(),
      points.map((p) => p[1]),
    );
    expectSame(copy.wallTimes.view(), Array.from(s.wallTimes.view()));
    expect(copy.version).toBe(s.version);
  });

  it('hands over exact-size buffers: 16 bytes a float32 point plus its dtype', () => {
    const s = new TagSeries('t');
    for (let i = 0; i < 1000; i++) s.pushScalar(i, i, DT.FLOAT, Math.fround(i / 7));
    const state = s.toState();
    expect(
      state.steps.byteLength + state.wallTimes.byteLength + state.values.byteLength + state.dtypes.byteLength,
    ).toBe(1000 * 17);
  });

  it('a series adopted narrow widens on a later point, one adopted wide stays wide', () => {
    const narrow = TagSeries.fromState(filled([[0, 1]]).toState());
    narrow.pushScalar(1, 2, DT.DOUBLE, 0.1);
    narrow.pushScalar(-3, 3, DT.DOUBLE, 2);
    expect(narrow.values.isWide && narrow.steps.isWide).toBe(true);
    expectSame(narrow.steps.view(), [0, 1, -3]);
    expectSame(narrow.values.view(), [1, 0.1, 2]);

    const wide = TagSeries.fromState(filled([[0.5, 0.1]]).toState());
    wide.pushScalar(1, 2, DT.FLOAT, 1);
    expect(wide.values.isWide && wide.steps.isWide).toBe(true);
    expectSame(wide.steps.view(), [0.5, 1]);
    expectSame(wide.values.view(), [0.1, 1]);
  });

  it('an empty series adopts and grows again', () => {
    const s = TagSeries.fromState(new TagSeries('e').toState());
    for (let i = 0; i < 10; i++) s.pushScalar(i, i, DT.FLOAT, i);
    expectSame(s.steps.view(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.values.isWide).toBe(false);
  });
});

describe('tensor points', () => {
  it('keep a NaN placeholder that does not widen the values', () => {
    const s = new TagSeries('t');
    s.pushScalar(0, 0, DT.FLOAT, 1);
    s.push(1, 1, { kind: 'numeric', dtype: DT.FLOAT, shape: [2], values: Float64Array.of(0.1, 0.2) }, 'f');
    expect(s.values.isWide).toBe(false);
    expect(s.point(0).value).toBe(1);
    expect(s.point(1).stored?.tensor.kind).toBe('numeric');
  });
});

describe('growth', () => {
  it('doubles small columns and grows large ones by a quarter', () => {
    expect(grownCapacity(16)).toBe(32);
    expect(grownCapacity(1 << 15)).toBe(1 << 16);
    expect(grownCapacity(1 << 20)).toBe((1 << 20) + (1 << 18));
  });

  it('a large series adopted at exact size keeps at most a quarter spare after tailing on', () => {
    const n = 200_000;
    const s = new TagSeries('big');
    for (let i = 0; i < n; i++) s.pushScalar(i, 1_700_000_000 + i, DT.FLOAT, Math.fround(i / 3));
    const adopted = TagSeries.fromState(s.toState());
    expect(adopted.steps.capacity).toBe(n);
    adopted.pushScalar(n, 1_700_000_000 + n, DT.FLOAT, 0.5);
    for (const c of [adopted.steps, adopted.values, adopted.wallTimes, adopted.dtypes])
      expect(c.capacity).toBe(n + n / 4);
    expect(adopted.steps.isWide || adopted.values.isWide).toBe(false);
    expect(adopted.values.get(n)).toBe(0.5);
    expect(adopted.values.get(n - 1)).toBe(Math.fround((n - 1) / 3));
  });
});
