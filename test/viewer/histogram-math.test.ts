import { evenIndices } from '../../src/common/sampling';
import { BINS, bucketAt, rebin, type Bucket } from '../../viewer/src/views/histogram-math';
import { readGolden } from '../support/golden-form';

/** The histogram view's pure helpers, over TensorBoard's own reading of the fixture histograms. */
function goldenBuckets(writer: string, run: string, tag: string): Bucket[][] {
  return readGolden(writer).runs[run]!.tags[tag]!.points.map((p) => p.value as Bucket[]);
}

describe('evenIndices (thinning ridges for drawing only)', () => {
  it('keeps everything up to the limit', () => {
    expect(evenIndices(16, 1000)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('keeps the first and the last, evenly spread, never twice', () => {
    for (const [n, k] of [
      [5000, 1000],
      [1001, 1000],
      [7, 3],
      [2, 2],
    ] as const) {
      const got = evenIndices(n, k);
      expect(got[0]).toBe(0);
      expect(got[got.length - 1]).toBe(n - 1);
      expect(got.length).toBeLessThanOrEqual(k);
      expect(new Set(got).size).toBe(got.length);
      for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!);
    }
    expect(evenIndices(10, 1)).toEqual([9]);
  });
});

describe('bucketAt (the tooltip bucket)', () => {
  const histos = goldenBuckets('tf2', 'histograms', 'normal');

  it('finds each bucket of a TensorBoard histogram from its middle and its left edge', () => {
    for (const buckets of histos) {
      buckets.forEach(([l, r], i) => {
        expect(bucketAt(buckets, (l + r) / 2)).toBe(i);
        expect(bucketAt(buckets, l)).toBe(i);
      });
    }
  });

  it('takes the nearest bucket outside the range and the right edge of the last one', () => {
    const buckets = histos[0]!;
    const first = buckets[0]!;
    const last = buckets[buckets.length - 1]!;
    expect(bucketAt(buckets, first[0] - 10)).toBe(0);
    expect(bucketAt(buckets, last[1] + 10)).toBe(buckets.length - 1);
    expect(bucketAt(buckets, last[1])).toBe(buckets.length - 1);
  });

  it('on a constant histogram (zero-width buckets) points at the counted one', () => {
    const buckets = goldenBuckets('tf2', 'histograms', 'constant')[0]!;
    const total = buckets.reduce((s, b) => s + b[2], 0);
    const i = bucketAt(buckets, buckets[0]![0] + 0.01);
    expect(buckets[i]![2]).toBe(Math.max(...buckets.map((b) => b[2])));
    expect(total).toBeGreaterThan(0);
  });

  it('has no bucket to show in an empty histogram', () => {
    expect(bucketAt([], 1)).toBe(-1);
  });
});

describe('rebin (drawing bins)', () => {
  it('keeps the total count of every fixture histogram', () => {
    for (const buckets of [
      ...goldenBuckets('tf2', 'histograms', 'normal'),
      ...goldenBuckets('pytorch', '.', 'weights'),
    ]) {
      const edges = buckets.flatMap((b) => [b[0], b[1]]);
      const bins = rebin(buckets, Math.min(...edges), Math.max(...edges));
      expect(bins).toHaveLength(BINS);
      const total = buckets.reduce((s, b) => s + b[2], 0);
      expect(Math.abs(bins.reduce((s, c) => s + c, 0) - total)).toBeLessThan(1e-9 * Math.max(1, total));
    }
  });
});
