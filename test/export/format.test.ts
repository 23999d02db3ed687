import { formatNumber } from '../../src/common/format-number';
import { createRowSink, rowToJson } from '../../src/export/row-sink';
import { MemoryStream } from '../support/memory-stream';

describe('formatNumber', () => {
  it.each([
    [0.1, '0.1'],
    [Math.fround(0.1), '0.10000000149011612'],
    [-0, '-0.0'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [2 ** 53 - 1, '9007199254740991'],
    [1e21, '1e+21'],
  ])('%p → %s', (x, text) => {
    expect(formatNumber(x)).toBe(text);
  });
});

describe('rows', () => {
  it('JSON rows carry non-finite numbers as strings, at any depth', () => {
    expect(rowToJson({ a: NaN, b: [1, -Infinity, -0], c: 'NaN text' })).toBe(
      '{"a":"NaN","b":[1,"-Infinity",-0.0],"c":"NaN text"}',
    );
  });

  it('CSV quotes fields holding commas, quotes or newlines', async () => {
    const out = new MemoryStream();
    const sink = createRowSink(out, 'csv', ['run', 'tag', 'value']);
    await sink.write({ run: 'a,b', tag: 'say "hi"\nthere', value: NaN });
    await sink.end();
    expect(out.text()).toBe('run,tag,value\n"a,b","say ""hi""\nthere",NaN\n');
  });

  it('an empty JSON export is an empty array', async () => {
    const out = new MemoryStream();
    const sink = createRowSink(out, 'json', []);
    await sink.end();
    expect(JSON.parse(out.text())).toEqual([]);
  });
});
