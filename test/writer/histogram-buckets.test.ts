import * as fs from 'node:fs';
import * as path from 'node:path';
import { legacyHistogram, tf2HistogramRows, defaultBucketLimits } from '../../src/writer/histogram-buckets';

/** TensorFlow's own bucketing of fixed data sets, written by tf-histograms.py. */
interface TfHistogramSet {
  name: string;
  values: number[];
  legacy: ReturnType<typeof legacyHistogram>;
  tf2_default: number[];
  tf2_7: number[];
}
const sets = (
  JSON.parse(fs.readFileSync(path.join(__dirname, 'tf-histograms.json'), 'utf8')) as { sets: TfHistogramSet[] }
).sets;

describe.each(sets.map((s) => [s.name, s] as const))('data set %s', (_name, set) => {
  it('buckets like TensorFlow C++ Histogram (legacy HistogramProto)', () => {
    expect(legacyHistogram(set.values)).toEqual(set.legacy);
  });
  it('buckets like TF2 histogram summaries (k×3 rows)', () => {
    expect(Array.from(tf2HistogramRows(set.values))).toEqual(set.tf2_default);
    expect(Array.from(tf2HistogramRows(set.values, 7))).toEqual(set.tf2_7);
  });
});

it('default edges are symmetric around 0 and end at ±DBL_MAX', () => {
  const edges = defaultBucketLimits();
  const mid = (edges.length - 1) / 2;
  expect(edges[mid]).toBe(0);
  expect(edges[0]).toBe(-Number.MAX_VALUE);
  expect(edges[edges.length - 1]).toBe(Number.MAX_VALUE);
  for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1] as number);
});
