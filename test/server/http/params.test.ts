import { HttpError } from '../../../src/server/http/http-error';
import { LIMITS, Params, TENSORBOARD_PARAMS, VIEWER_PARAMS } from '../../../src/server/http/params';

/**
 * One parser, two declared policies. TensorBoard's routes read a parameter
 * as werkzeug's `args.get` (first of repeated values, `x=` is ''); the
 * viewer API refuses a repeated single value and treats `x=` as absent.
 */
const tb = (bag: Record<string, unknown>) => new Params(bag, TENSORBOARD_PARAMS);
const viewer = (bag: Record<string, unknown>) => new Params(bag, VIEWER_PARAMS);

/** The 400 message `read` throws. */
function refusal(read: () => unknown): string {
  try {
    read();
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(400);
    return (err as HttpError).message;
  }
  throw new Error('expected a 400');
}

describe('a repeated parameter', () => {
  it('gives its first value to TensorBoard routes, a 400 to the viewer API', () => {
    expect(tb({ run: ['a', 'b'] }).get('run')).toBe('a');
    expect(refusal(() => viewer({ run: ['a', 'b'] }).get('run'))).toBe('parameter "run" must be given once');
  });

  it('gives every value where a list is read, under both policies', () => {
    expect(tb({ run: ['a', 'b'] }).all('run')).toEqual(['a', 'b']);
    expect(viewer({ run: ['a', 'b'] }).all('run')).toEqual(['a', 'b']);
    expect(viewer({ run: 'a' }).all('run')).toEqual(['a']);
    expect(viewer({}).all('run')).toEqual([]);
  });

  it('is bounded in count and in each value', () => {
    const many = Array.from({ length: LIMITS.repeatedValues + 1 }, (_, i) => `r${i}`);
    expect(refusal(() => tb({ runs: many }).all('runs'))).toBe('too many values for parameter "runs"');
    expect(tb({ runs: many.slice(1) }).all('runs')).toHaveLength(LIMITS.repeatedValues);
    const long = 'x'.repeat(LIMITS.valueChars + 1);
    expect(refusal(() => tb({ runs: ['a', long] }).get('runs'))).toBe('parameter "runs" is too long');
    expect(tb({ runs: long.slice(1) }).get('runs')).toHaveLength(LIMITS.valueChars);
  });
});

describe('an empty value', () => {
  it('is the empty string for TensorBoard routes, absent for the viewer API', () => {
    expect(tb({ run: '' }).get('run')).toBe('');
    expect(tb({ run: '' }).require('run')).toBe('');
    expect(viewer({ run: '' }).get('run')).toBeUndefined();
    expect(refusal(() => viewer({ run: '' }).require('run'))).toBe('missing parameter "run"');
  });
});

describe('a missing parameter', () => {
  it('is undefined, or refused in each family’s words when required', () => {
    expect(tb({}).get('tag')).toBeUndefined();
    expect(refusal(() => tb({}).require('tag'))).toBe('query parameter "tag" is required');
    expect(refusal(() => viewer({}).require('tag'))).toBe('missing parameter "tag"');
  });
});

describe('integers', () => {
  const sample = { min: 0, max: 1000, fallback: 7 };

  it('take the fallback when absent', () => {
    expect(tb({}).int('sample', sample)).toBe(7);
    expect(viewer({}).int('sample', sample)).toBe(7);
    expect(viewer({ sample: '' }).int('sample', sample)).toBe(7);
  });

  it('read digits, bounded', () => {
    expect(tb({ sample: '12' }).int('sample', sample)).toBe(12);
    expect(viewer({ sample: '1000' }).int('sample', sample)).toBe(1000);
    expect(tb({ sample: ['3', 'x'] }).int('sample', sample)).toBe(3);
  });

  it('refuse other text in each family’s words', () => {
    for (const text of ['', 'abc', '1e3', '1.5', ' 1', '99999999999999999'])
      expect(refusal(() => tb({ sample: text }).int('sample', sample))).toBe(
        'parameter "sample" must be a non-negative integer',
      );
    expect(refusal(() => tb({ sample: '-1' }).int('sample', sample))).toBe(
      'parameter "sample" must be a non-negative integer',
    );
    expect(refusal(() => tb({ sample: '1001' }).int('sample', sample))).toBe('parameter "sample" must be at most 1000');
    for (const text of ['abc', '1e3', '1.5'])
      expect(refusal(() => viewer({ sample: text }).int('sample', sample))).toBe(
        'parameter "sample" must be an integer',
      );
    expect(refusal(() => viewer({ sample: '-1' }).int('sample', sample))).toBe(
      'parameter "sample" must be between 0 and 1000',
    );
    expect(refusal(() => viewer({ sample: '1001' }).int('sample', sample))).toBe(
      'parameter "sample" must be between 0 and 1000',
    );
  });
});

describe('numbers', () => {
  it('are finite, short, or the fallback when absent', () => {
    expect(viewer({}).number('minStep', -Infinity)).toBe(-Infinity);
    expect(viewer({ minStep: '' }).number('minStep', 3)).toBe(3);
    expect(viewer({ minStep: '12.5' }).number('minStep', 0)).toBe(12.5);
    expect(viewer({ minStep: '1e20' }).number('minStep', 0)).toBe(1e20);
    expect(refusal(() => viewer({ minStep: 'x' }).number('minStep', 0))).toBe(
      'parameter "minStep" must be a finite number',
    );
    expect(refusal(() => viewer({ minStep: 'Infinity' }).number('minStep', 0))).toBe(
      'parameter "minStep" must be a finite number',
    );
    expect(refusal(() => viewer({ minStep: '1'.repeat(LIMITS.numberChars + 1) }).number('minStep', 0))).toBe(
      'parameter "minStep" is too long',
    );
  });
});

it('refuses values that are not strings', () => {
  expect(refusal(() => tb({ run: { nested: 'x' } }).get('run'))).toBe('parameter "run" must be a string');
  expect(refusal(() => tb({ run: ['a', 1] }).all('run'))).toBe('parameter "run" must be a string');
});

it('reads a bag without a prototype (form bodies) and no bag at all', () => {
  const form = Object.assign(Object.create(null) as Record<string, unknown>, { tag: 'loss' });
  expect(tb(form).get('tag')).toBe('loss');
  expect(new Params(undefined, TENSORBOARD_PARAMS).all('tag')).toEqual([]);
});
