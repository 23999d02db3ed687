import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { LogdirLoader } from '../../../../src/logdir/logdir-loader';
import { createApp } from '../../../../src/server/create-app';
import { pythonG3, tableCsv } from '../../../../src/server/routes/hparams/table-formats';
import { Store } from '../../../../src/store/store';
import { FIXTURES } from '../../../support/golden-form';
import { mimeOf } from '../../support/server-golden';

/**
 * `/data/plugin/hparams/download_data` replayed against TensorBoard 2.21's
 * answers (fixtures/hparams_download_golden.py): the CSV, JSON and LaTeX
 * bodies must be the same bytes, with the same Content-Type. Errors: where
 * TensorBoard answers an HTML 400 (or crashes with a 500: no or non-JSON
 * `columnsVisibility`) featherboard answers a JSON 400.
 */
interface DownloadGolden {
  logdir: string;
  responses: {
    label: string;
    method: 'GET' | 'POST';
    path: string;
    body: string | null;
    status: number;
    content_type: string;
    response: string;
  }[];
}

const GOLDEN_DIR = path.join(FIXTURES, 'server-golden', 'hparams-download');
const names = fs.existsSync(GOLDEN_DIR)
  ? fs
      .readdirSync(GOLDEN_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort()
  : [];

/** Keep the body as bytes. */
function rawBody(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

it('has TensorBoard recordings of download_data for the hparams logdirs', () => {
  expect(names).toEqual(expect.arrayContaining(['edge', 'keras', 'pytorch', 'tensorboardx', 'tf2']));
});

describe.each(names)('download_data as TensorBoard 2.21 answers it, logdir %s', (name) => {
  const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, `${name}.json`), 'utf8')) as DownloadGolden;
  let app: Express;
  beforeAll(async () => {
    const logdir = path.join(FIXTURES, golden.logdir);
    const store = new Store();
    const loader = new LogdirLoader(logdir, store);
    await loader.reload();
    loader.finish();
    app = createApp(store, { logdir, logError: () => {} });
  });

  it.each(golden.responses.map((r, i) => [`${i} ${r.label} (${r.method}, ${mimeOf(r.content_type)})`, r] as const))(
    '%s',
    async (_label, r) => {
      const res =
        r.method === 'POST'
          ? await request(app)
              .post(r.path)
              .set('Content-Type', 'text/plain')
              .send(r.body ?? '')
              .buffer(true)
              .parse(rawBody)
          : await request(app).get(r.path).buffer(true).parse(rawBody);
      const raw = res.body as Buffer;
      if (r.status >= 400) {
        expect(res.status).toBe(r.status >= 500 ? 400 : r.status);
        expect(mimeOf(res.headers['content-type'])).toBe('application/json');
        expect(JSON.parse(raw.toString('utf8'))).toEqual({ error: expect.any(String) });
        return;
      }
      expect(res.status).toBe(r.status);
      expect(res.headers['content-type']).toBe(r.content_type);
      expect(raw.toString('utf8')).toBe(r.response);
      expect(raw.equals(Buffer.from(r.response, 'utf8'))).toBe(true);
    },
  );
});

describe('download_data request checks', () => {
  let app: Express;
  beforeAll(async () => {
    const logdir = path.join(FIXTURES, 'logdirs', 'tf2');
    const store = new Store();
    await new LogdirLoader(logdir, store).reload();
    app = createApp(store, { logdir, logError: () => {} });
  });
  const ok = JSON.stringify({ allowedStatuses: ['STATUS_UNKNOWN'], sliceSize: 10 });

  it.each([
    ['columnsVisibility not a list', { format: 'csv', columnsVisibility: '{"a":1}', request: ok }],
    ['columnsVisibility a number', { format: 'csv', columnsVisibility: '3', request: ok }],
    ['request not an object', { format: 'csv', columnsVisibility: '[]', request: '[1]' }],
    ['request with an unknown field', { format: 'csv', columnsVisibility: '[]', request: '{"nope":1}' }],
    ['format in another case', { format: 'CSV', columnsVisibility: '[]', request: ok }],
    ['format an inherited property name', { format: 'toString', columnsVisibility: '[]', request: ok }],
  ])('%s: JSON 400', async (_label, query) => {
    const res = await request(app).get('/data/plugin/hparams/download_data').query(query);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({ error: expect.any(String) });
  });
});

describe('Python formatting used by the tables', () => {
  // Each expected string is what CPython 3.11 prints for `'%.3g' % x`.
  it.each([
    [0, '0'],
    [-0, '-0'],
    [1.125, '1.12'], // a tie, rounded to even
    [1.375, '1.38'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123.5, '124'],
    [1234.5, '1.23e+03'],
    [999.5, '1e+03'],
    [0.000123456, '0.000123'],
    [1e16, '1e+16'],
    [2.5e-7, '2.5e-07'],
    [1e300, '1e+300'],
    [5e-324, '4.94e-324'],
    [-1.5, '-1.5'],
    [100, '100'],
    [0.1, '0.1'],
    [1 / 3, '0.333'],
    [NaN, 'nan'],
    [-Infinity, '-inf'],
  ])("'%%.3g' %% %p is %p", (x, expected) => {
    expect(pythonG3(x)).toBe(expected);
  });

  it('writes CSV records as the csv module does', () => {
    expect(tableCsv({ header: [], rows: [[''], [null], ['', null], ['a,b', 'q"x', 'l\nn', ' sp ', 1, true]] })).toBe(
      '\r\n""\r\n""\r\n,\r\n"a,b","q""x","l\nn", sp ,1.0,True\r\n',
    );
  });
});
