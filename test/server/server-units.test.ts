import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { decodeBlobKey, encodeBlobKey } from '../../src/server/data/blob-key';
import { createApp } from '../../src/server/create-app';
import { pythonFloatRepr } from '../../src/server/render/python-float';
import { Store } from '../../src/store/store';
import { evenIndices } from '../../src/common/sampling';
import { LOGDIRS } from '../support/golden-form';
import { appendFlushed, fileVersionRecord, scalarRecord } from './support/event-writer';

it('writes floats as Python repr does (TensorBoard CSV)', () => {
  // Left: values; right: what Python 3.11 repr() printed for them.
  const cases: [number, string][] = [
    [1, '1.0'],
    [0.5, '0.5'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    // biome-ignore lint/correctness/noPrecisionLoss: the literal rounds, as a JSON number would
    [123456789012345678, '1.2345678901234568e+17'],
    [1e-4, '0.0001'],
    [1e-5, '1e-05'],
    [0.0001234, '0.0001234'],
    [3.4e38, '3.4e+38'],
    [-2.5e-7, '-2.5e-07'],
    [1795792629.57494, '1795792629.57494'],
    [0.1 + 0.2, '0.30000000000000004'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-0, '-0.0'],
    [100, '100.0'],
    [12345.678, '12345.678'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ];
  for (const [x, repr] of cases) expect(pythonFloatRepr(x)).toBe(repr);
});

it('samples evenly and always keeps the last point', () => {
  expect(evenIndices(5, undefined)).toEqual([0, 1, 2, 3, 4]);
  expect(evenIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
  expect(evenIndices(10, 3)).toEqual([0, 5, 9]);
  expect(evenIndices(10, 1)).toEqual([9]);
  expect(evenIndices(10, 0)).toEqual([]);
});

it('round-trips blob keys in the data server format', () => {
  const key = { run: 'ünïcode/run', tag: 'img/0', step: 2 ** 40, index: 3 };
  expect(decodeBlobKey(encodeBlobKey(key))).toEqual(key);
  expect(encodeBlobKey({ run: 'media', tag: 'rgb', step: 0, index: 2 })).toBe('WyIiLCJtZWRpYSIsInJnYiIsMCwyXQ');
});

it('serves at most --samples_per_plugin points, ending with the last', async () => {
  const store = new Store();
  await new LogdirLoader(path.join(LOGDIRS, 'tf2'), store).reload();
  const app = createApp(store, { logdir: 'x', samplesPerPlugin: { scalars: 3 } });
  const res = await request(app).get('/data/plugin/scalars/scalars').query({ run: 'two_files', tag: 'x' });
  expect((res.body as number[][]).map((r) => r[1])).toEqual([0, 5, 9]);
});

it('keeps runs and tags named like object internals as ordinary keys', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherboard-proto-'));
  try {
    for (const run of ['__proto__', 'constructor']) {
      fs.mkdirSync(path.join(dir, run));
      const f = path.join(dir, run, 'events.out.tfevents.1.host');
      appendFlushed(f, fileVersionRecord(1_700_000_000));
      appendFlushed(f, scalarRecord('__proto__', 0, 1));
    }
    const store = new Store();
    await new LogdirLoader(dir, store).reload();
    const app = createApp(store, { logdir: dir });
    const tags = await request(app).get('/data/plugin/scalars/tags');
    expect(Object.keys(JSON.parse(tags.text) as object).sort()).toEqual(['__proto__', 'constructor']);
    expect(tags.text).toContain('"__proto__":{"__proto__":{');
    const multi = await request(app)
      .post('/data/plugin/scalars/scalars_multirun')
      .type('form')
      .send('tag=__proto__&runs=__proto__&runs=constructor');
    expect(Object.keys(JSON.parse(multi.text) as object).sort()).toEqual(['__proto__', 'constructor']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
