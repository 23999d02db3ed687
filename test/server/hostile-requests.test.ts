import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { encodeBlobKey } from '../../src/server/data/blob-key';
import { createApp } from '../../src/server/create-app';
import * as readBlobModule from '../../src/store/read-blob';
import { Store } from '../../src/store/store';
import { LOGDIRS } from '../support/golden-form';

/**
 * Requests an attacker (or a confused script) might send: each gets a 4xx
 * with a JSON message, never a 5xx or a stack trace, and no file outside the
 * logdir and the viewer bundle is ever opened.
 */
const LOGDIR = path.join(LOGDIRS, 'tf2');
let app: Express;
let viewerDir: string;
const opened: string[] = [];

function record(p: unknown): void {
  if (typeof p === 'string') opened.push(path.resolve(p));
}

beforeAll(async () => {
  viewerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherboard-viewer-'));
  fs.writeFileSync(path.join(viewerDir, 'index.html'), '<!doctype html><title>viewer</title>');
  fs.writeFileSync(path.join(viewerDir, 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(viewerDir, '.secret'), 'do not serve');
  const store = new Store();
  const loader = new LogdirLoader(LOGDIR, store);
  await loader.reload();
  loader.finish();
  app = createApp(store, { logdir: LOGDIR, viewerDir, logError: () => {} });
  // Every way the server opens files, watched from here on: the store's blob
  // reads (fs.promises cannot be spied on) and the callback API static files use.
  const readBlobOriginal = readBlobModule.readBlob;
  jest.spyOn(readBlobModule, 'readBlob').mockImplementation((file, ref) => {
    record(file);
    return readBlobOriginal(file, ref);
  });
  // The module object itself (a namespace import is a frozen view of it).
  const nodeFs = jest.requireActual<typeof fs>('fs');
  for (const [obj, name] of [
    [nodeFs, 'open'],
    [nodeFs, 'createReadStream'],
    [nodeFs, 'readFile'],
    [nodeFs, 'stat'],
  ] as const) {
    const original = (obj as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
    jest.spyOn(obj as never, name as never).mockImplementation(((...args: unknown[]) => {
      record(args[0]);
      return original.apply(obj, args);
    }) as never);
  }
});

afterAll(() => {
  jest.restoreAllMocks();
  fs.rmSync(viewerDir, { recursive: true, force: true });
  const inside = (p: string) => [LOGDIR, viewerDir].some((root) => p === root || p.startsWith(root + path.sep));
  expect(opened.filter((p) => !inside(p))).toEqual([]);
});

function expectJsonError(res: request.Response, status?: number): void {
  if (status !== undefined) expect(res.status).toBe(status);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

const key = (run: string, tag: string, step = 0, index = 2) => encodeBlobKey({ run, tag, step, index });
const long = 'x'.repeat(5000);

describe.each([
  // Traversal in the URL itself.
  ['/../../../../etc/passwd'],
  ['/%2e%2e/%2e%2e/%2e%2e/etc/passwd'],
  ['/..%2f..%2f..%2fetc%2fpasswd'],
  ['/app.js/../../package.json'],
  ['/.secret'],
  ['/%2esecret'],
  // Traversal and forged names in run / tag parameters.
  ['/data/plugin/scalars/scalars?run=../../../etc&tag=passwd'],
  ['/data/plugin/scalars/scalars?run=%2Fetc%2Fpasswd&tag=x'],
  ['/data/plugin/scalars/scalars?run=__proto__&tag=constructor'],
  ['/data/plugin/histograms/histograms?run=scalars&tag=..%2F..%2Floss'],
  ['/data/plugin/images/images?run=media&tag=..%2Frgb'],
  // Blob keys that name records the store does not have, or are not keys at all.
  [`/data/plugin/images/individualImage?blob_key=${key('../../etc', 'passwd')}`],
  [`/data/plugin/images/individualImage?blob_key=${key('media', 'rgb', 0, 99)}`],
  [`/data/plugin/images/individualImage?blob_key=${key('media', 'rgb', 123456)}`],
  [`/data/plugin/images/individualImage?blob_key=${key('scalars', 'loss', 0, 0)}`],
  [`/data/plugin/images/individualImage?blob_key=${Buffer.from('["","media","rgb",0,-1]').toString('base64url')}`],
  [`/data/plugin/images/individualImage?blob_key=${Buffer.from('["","media","rgb","0",2]').toString('base64url')}`],
  [`/data/plugin/images/individualImage?blob_key=${Buffer.from('{"run":"media"}').toString('base64url')}`],
  ['/data/plugin/images/individualImage?blob_key=..%2F..%2Fetc%2Fpasswd'],
  [`/data/plugin/images/individualImage?blob_key=${'A'.repeat(9000)}`],
  [`/data/plugin/audio/individualAudio?content_type=audio%2Fwav&blob_key=${key('/etc/passwd', 'tone', 0, 0)}`],
  [`/data/plugin/timeseries/imageData?imageId=${key('media', 'tone', 0, 0)}`],
  // Huge and malformed parameters.
  [`/data/plugin/scalars/scalars?run=scalars&tag=${long}`],
  ['/data/plugin/images/images?run=media&tag=rgb&sample=abc'],
  ['/data/plugin/images/images?run=media&tag=rgb&sample=-1'],
  ['/data/plugin/images/images?run=media&tag=rgb&sample=1e999'],
  ['/data/plugin/images/images?run=media&tag=rgb&sample=99999999999999999999'],
  ['/data/plugin/audio/audio?run=media&tag=tone&sample=2'],
  ['/data/plugin/mesh/data?run=mesh&tag=tetrahedron&content_type=VERTEX&sample=9&step=0'],
  ['/data/plugin/mesh/data?run=mesh&tag=tetrahedron&content_type=EVIL&step=0'],
  ['/data/plugin/mesh/data?run=mesh&tag=tetrahedron&content_type=VERTEX&step=NaN'],
  ['/data/plugin/timeseries/timeSeries?requests=not%20json'],
  ['/data/plugin/timeseries/timeSeries?requests=%7B%7D'],
  ['/data/plugin/timeseries/timeSeries?requests=%5B1%2C2%5D'],
  ['/data/plugin/pr_curves/pr_curves?tag=x'],
  ['/data/no_such_route'],
])('GET %s', (url) => {
  it('answers 4xx JSON and reads nothing outside the logdir', async () => {
    const res = await request(app).get(url);
    expectJsonError(res);
  });
});

it('answers an unknown text run with an empty list, as TensorBoard does', async () => {
  const res = await request(app).get('/data/plugin/text/text').query({ run: '../media', tag: 'markdown' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual([]);
});

it('reads blobs through the store only (the watch on file opens works)', async () => {
  const before = opened.length;
  const listing = await request(app).get('/data/plugin/images/images').query({ run: 'media', tag: 'rgb' });
  const image = await request(app).get(
    `/data/plugin/images/individualImage?${(listing.body as { query: string }[])[0]!.query}`,
  );
  expect(image.status).toBe(200);
  expect(opened.length).toBeGreaterThan(before);
});

it('answers a query string larger than Node accepts with a 4xx', async () => {
  const res = await request(app).get(`/data/plugin/scalars/scalars?run=scalars&tag=${'y'.repeat(70000)}`);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
});

it('rejects a repeated parameter list that is too long', async () => {
  const body = `${Array.from({ length: 10001 }, (_, i) => `runs=r${i}`).join('&')}&tag=loss`;
  expectJsonError(await request(app).post('/data/plugin/scalars/scalars_multirun').type('form').send(body), 400);
});

it.each([
  ['application/x-www-form-urlencoded', 'tag=a&tag=b'],
  ['multipart/form-data', 'no boundary here'],
  ['multipart/form-data; boundary=XYZ', '--XYZ\r\nno header end'],
])('rejects a malformed scalars_multirun body (%s)', async (type, body) => {
  expectJsonError(
    await request(app).post('/data/plugin/scalars/scalars_multirun').set('Content-Type', type).send(body),
    400,
  );
});

it('rejects bodies over the size limit with 413', async () => {
  const res = await request(app)
    .post('/data/plugin/scalars/scalars_multirun')
    .type('form')
    .send(`tag=${'z'.repeat(2 * 1024 * 1024)}`);
  expectJsonError(res, 413);
});

it('rejects a timeSeries body that is not a list of requests', async () => {
  for (const requests of ['[', '"x"', '[null]', JSON.stringify(Array(1001).fill({ plugin: 'scalars', tag: 'loss' }))]) {
    expectJsonError(await request(app).post('/data/plugin/timeseries/timeSeries').type('form').send({ requests }), 400);
  }
});

it('serves the viewer bundle files, and only them, with no CORS grant', async () => {
  const index = await request(app).get('/');
  expect(index.status).toBe(200);
  expect(index.text).toContain('<title>viewer</title>');
  expect((await request(app).get('/app.js')).status).toBe(200);
  expect(opened).toContain(path.join(viewerDir, 'app.js'));
  const preflight = await request(app)
    .options('/data/runs')
    .set('Origin', 'http://evil.example')
    .set('Access-Control-Request-Method', 'GET');
  expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  const cross = await request(app).get('/data/runs').set('Origin', 'http://evil.example');
  expect(cross.headers['access-control-allow-origin']).toBeUndefined();
});

it('says how to build the viewer when the bundle is missing', async () => {
  const bare = createApp(new Store(), { logdir: LOGDIR, viewerDir: path.join(viewerDir, 'missing') });
  const res = await request(bare).get('/');
  expect(res.status).toBe(200);
  expect(res.text).toContain('npm run build:viewer');
});

it('answers a bug with 500 JSON, logged, without a stack trace', async () => {
  class BrokenStore extends Store {
    override runNames(): string[] {
      throw new Error('boom at secret.ts:12');
    }
  }
  const logged: string[] = [];
  const broken = createApp(new BrokenStore(), { logdir: LOGDIR, logError: (m) => logged.push(m) });
  const res = await request(broken).get('/data/plugin/scalars/tags');
  expect(res.status).toBe(500);
  expect(res.body).toEqual({ error: 'internal error' });
  expect(logged.join('\n')).toContain('boom');
});

it('takes a long parameter (an hparams request) and refuses an absurd one', async () => {
  // scalars_multirun reads its form: a 100 kB run name is looked up (and not found), a 300 kB one refused.
  const long = await request(app)
    .post('/data/plugin/scalars/scalars_multirun')
    .type('form')
    .send({ tag: 'loss', runs: 'x'.repeat(100_000) });
  expect(long.status).toBe(200);
  expect(long.body).toEqual({});
  const absurd = await request(app)
    .post('/data/plugin/scalars/scalars_multirun')
    .type('form')
    .send({ tag: 'loss', runs: 'x'.repeat(300 * 1024) });
  expect(absurd.status).toBe(400);
  expect(absurd.body.error).toMatch(/too long/);
});
