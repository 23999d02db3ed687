import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type * as Library from '../src';
import { LOGDIRS } from './support/golden-form';
import { MemoryStream } from './support/memory-stream';
import { ROOT } from './support/run-cli';

/**
 * The library entry as a user gets it: package.json's `main` (the built dist/src/index.js) exports what src/index.ts
 * does, and a user's whole round trip — write, load, watch, export, inspect, serve — runs through it alone.
 */
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
const fb = require(path.join(ROOT, manifest.main)) as typeof Library;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-library-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('exports from the built entry everything src/index.ts exports', async () => {
  const sources = (await import('../src')) as Record<string, unknown>;
  expect(Object.keys(fb).sort()).toEqual(Object.keys(sources).sort());
  for (const name of ['LogdirLoader', 'Store', 'watchLogdir', 'exportLogdir', 'inspectLogdir', 'createApp'])
    expect(typeof (fb as unknown as Record<string, unknown>)[name]).toBe('function');
});

it('writes, loads, watches, exports, inspects and serves a logdir', async () => {
  const logdir = path.join(tmp, 'logdir');
  const w = new fb.EventWriter(path.join(logdir, 'train'), { scalarStyle: 'simple_value' });
  for (let step = 0; step < 5; step++) w.addScalar('loss', 1 / (step + 1), step);
  w.close();

  const store = new fb.Store();
  const loader = new fb.LogdirLoader(logdir, store);
  await loader.reload();
  expect(store.runNames()).toEqual(['train']);
  expect(Array.from(store.run('train')?.series.get('loss')?.steps.view() ?? [])).toEqual([0, 1, 2, 3, 4]);

  const watch = fb.watchLogdir(loader, { reloadIntervalSec: 0, fileEvents: false });
  const more = new fb.EventWriter(path.join(logdir, 'eval'), { scalarStyle: 'simple_value' });
  more.addScalar('loss', 0.5, 4);
  more.close();
  await watch.reloadNow();
  await watch.close();
  expect(store.runNames()).toEqual(['eval', 'train']);

  const out = new MemoryStream();
  const summary = await fb.exportLogdir({
    logdir,
    format: 'csv',
    plugins: ['scalars'],
    stdout: out,
    purgeOrphanedData: true,
  });
  expect(summary.rows).toEqual({ scalars: 6 });
  expect(out.text().split('\n')[0]).toBe('run,tag,step,wall_time,value');

  const report = await fb.inspectLogdir({ logdir });
  expect(report.runs.map((r) => [r.name, r.plugins.scalars?.[0]?.count])).toEqual([
    ['eval', 1],
    ['train', 5],
  ]);
  expect(fb.formatReport(report)).toMatch(/no damage found\n$/);

  const res = await request(fb.createApp(store, { logdir })).get('/data/runs');
  expect(res.status).toBe(200);
  expect([...(res.body as string[])].sort()).toEqual(['eval', 'train']);
});

it('stops a strict export with the warning as an error', async () => {
  const failure = fb.exportLogdir({
    logdir: path.join(LOGDIRS, 'damaged'),
    format: 'jsonl',
    plugins: ['scalars'],
    stdout: new MemoryStream(),
    purgeOrphanedData: true,
    strict: true,
  });
  await expect(failure).rejects.toBeInstanceOf(fb.StrictModeError);
  await expect(failure).rejects.toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/), offset: expect.any(Number) });
});
