import * as os from 'node:os';
import * as path from 'node:path';
import { formatLocation, isObjectStoreUrl, parseLocation } from '../../src/source/location';
import { openSource, sourceForFile } from '../../src/source/open-source';
import { isSourceError } from '../../src/source/source-error';

describe('parseLocation', () => {
  test.each([
    ['s3://bucket/logs/exp1', { kind: 'object', scheme: 's3', bucket: 'bucket', prefix: 'logs/exp1' }],
    ['s3://bucket/logs/exp1/', { kind: 'object', scheme: 's3', bucket: 'bucket', prefix: 'logs/exp1' }],
    ['s3://bucket', { kind: 'object', scheme: 's3', bucket: 'bucket', prefix: '' }],
    ['s3://bucket/', { kind: 'object', scheme: 's3', bucket: 'bucket', prefix: '' }],
    ['S3://my.bucket-1//a//', { kind: 'object', scheme: 's3', bucket: 'my.bucket-1', prefix: 'a' }],
    ['gs://bkt/runs', { kind: 'object', scheme: 'gs', bucket: 'bkt', prefix: 'runs' }],
  ])('%s', (text, expected) => {
    expect(parseLocation(text)).toEqual(expected);
  });

  test('local paths: made absolute, ~ expanded', () => {
    expect(parseLocation('runs/a')).toEqual({ kind: 'local', path: path.resolve('runs/a') });
    expect(parseLocation('~/runs')).toEqual({ kind: 'local', path: path.join(os.homedir(), 'runs') });
    expect(parseLocation('/abs/x')).toEqual({ kind: 'local', path: '/abs/x' });
  });

  test.each([
    ['s3://', "s3://: '' is not a bucket name; write s3://bucket/prefix"],
    ['gs:///x', "gs:///x: '' is not a bucket name; write gs://bucket/prefix"],
    ['s3://a/x', "s3://a/x: 'a' is not a bucket name; write s3://bucket/prefix"],
    ['hdfs://nn/x', 'hdfs://nn/x: hdfs:// is not supported; use a local path, s3:// or gs://'],
  ])('%s is refused in one line', (text, message) => {
    let caught: unknown;
    try {
      parseLocation(text);
    } catch (err) {
      caught = err;
    }
    expect(isSourceError(caught, 'BAD_LOCATION')).toBe(true);
    expect((caught as Error).message).toBe(message);
  });

  test('formatLocation writes the root back', () => {
    expect(formatLocation(parseLocation('s3://b-1/a/b/'))).toBe('s3://b-1/a/b');
    expect(formatLocation(parseLocation('gs://b-1'))).toBe('gs://b-1');
    expect(isObjectStoreUrl('GS://x')).toBe(true);
    expect(isObjectStoreUrl('/tmp/s3://x')).toBe(false);
  });
});

describe('object store paths', () => {
  const src = openSource('s3://bkt/logs/exp');

  test('relative, parent, join, in the URL form', () => {
    expect(src.root).toBe('s3://bkt/logs/exp');
    expect(src.relative('s3://bkt/logs/exp/train/events.out.tfevents.1')).toBe('train/events.out.tfevents.1');
    expect(src.relative('s3://bkt/logs/exp')).toBe('');
    expect(src.parent('s3://bkt/logs/exp/events.out.tfevents.1')).toBe('s3://bkt/logs/exp');
    expect(src.parent('s3://bkt/top')).toBe('s3://bkt');
    expect(src.join('s3://bkt/logs/exp', 'train', 'a/b')).toBe('s3://bkt/logs/exp/train/a/b');
    expect(src.changes).toBe('poll');
    expect(src.versionKeptOnAppend).toBe(false);
  });

  test('a path of another bucket or outside the logdir is refused', () => {
    expect(() => src.relative('s3://other/logs/exp/x')).toThrow('s3://other/logs/exp/x: not in s3://bkt');
    expect(() => src.relative('s3://bkt/logs/expected/x')).toThrow('not under the logdir s3://bkt/logs/exp');
  });

  test('sourceForFile: one source per bucket, a local one for paths', () => {
    expect(sourceForFile('s3://bkt/a/f')).toBe(sourceForFile('s3://bkt/b/g'));
    expect(sourceForFile('s3://bkt/a/f')).not.toBe(sourceForFile('gs://bkt/a/f'));
    expect(sourceForFile('/tmp/x').relative('/tmp/x')).toBe('tmp/x');
  });
});
