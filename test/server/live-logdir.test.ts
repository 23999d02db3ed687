import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { watchLogdir, type LogdirWatch, type WatchOptions } from '../../src/logdir/watch-logdir';
import { createApp } from '../../src/server/create-app';
import { Store } from '../../src/store/store';
import { appendFlushed, fileVersionRecord, scalarRecord } from './support/event-writer';

/** A logdir written to while the server runs: every flushed point is served once, never twice. */
let dir: string;
let watch: LogdirWatch | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherboard-live-'));
});

afterEach(async () => {
  await watch?.close();
  watch = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function serve(options: Partial<WatchOptions> = {}): Promise<Express> {
  const store = new Store();
  const loader = new LogdirLoader(dir, store);
  await loader.reload();
  watch = watchLogdir(loader, { reloadIntervalSec: 0, ...options });
  await watch.ready;
  return createApp(store, { logdir: dir });
}

async function servedSteps(app: Express, run: string, tag: string): Promise<number[]> {
  const res = await request(app).get('/data/plugin/scalars/scalars').query({ run, tag });
  if (res.status === 404) return [];
  expect(res.status).toBe(200);
  return (res.body as [number, number, number][]).map((row) => row[1]);
}

async function until(probe: () => Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out waiting for the server to catch up');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('serves every point once, in order, as it is flushed, including a run that appears mid-way', async () => {
  fs.mkdirSync(path.join(dir, 'a'));
  const fileA = path.join(dir, 'a', 'events.out.tfevents.1700000000.host');
  appendFlushed(fileA, fileVersionRecord(1_700_000_000));
  const app = await serve();
  const fileB = path.join(dir, 'b', 'events.out.tfevents.1700000100.host');
  const seen: Record<string, number[][]> = { a: [], b: [] };
  let stepB = 0;
  const N = 60;
  for (let step = 0; step < N; step++) {
    const rec = scalarRecord('loss', step, step / 10);
    if (step % 7 === 3) {
      // A record flushed in two halves: the first half must wait, not error or duplicate.
      appendFlushed(fileA, rec.subarray(0, 9));
      await sleep(15);
      appendFlushed(fileA, rec.subarray(9));
    } else {
      appendFlushed(fileA, rec);
    }
    if (step === 20) {
      fs.mkdirSync(path.dirname(fileB));
      appendFlushed(fileB, fileVersionRecord(1_700_000_100));
    }
    if (step >= 20) appendFlushed(fileB, scalarRecord('acc', stepB++, 0.5));
    if (step % 5 === 0) {
      seen.a!.push(await servedSteps(app, 'a', 'loss'));
      seen.b!.push(await servedSteps(app, 'b', 'acc'));
    }
  }
  await until(
    async () =>
      (await servedSteps(app, 'a', 'loss')).length === N && (await servedSteps(app, 'b', 'acc')).length === stepB,
  );
  expect(await servedSteps(app, 'a', 'loss')).toEqual(range(N));
  expect(await servedSteps(app, 'b', 'acc')).toEqual(range(stepB));
  // At every moment the server answered a prefix of what was written: nothing twice, nothing out of order.
  for (const observed of seen.a!) expect(observed).toEqual(range(observed.length));
  for (const observed of seen.b!) expect(observed).toEqual(range(observed.length));
  expect((await request(app).get('/data/runs')).body).toEqual(['a', 'b']);
});

it('drops a deleted run and re-reads a file replaced by a shorter one', async () => {
  for (const run of ['keep', 'gone']) {
    fs.mkdirSync(path.join(dir, run));
    const f = path.join(dir, run, 'events.out.tfevents.1.host');
    appendFlushed(f, fileVersionRecord(1_700_000_000));
    for (let s = 0; s < 5; s++) appendFlushed(f, scalarRecord('x', s, s));
  }
  const app = await serve();
  expect((await request(app).get('/data/runs')).body).toEqual(['gone', 'keep']);

  fs.rmSync(path.join(dir, 'gone'), { recursive: true });
  await until(async () => JSON.stringify((await request(app).get('/data/runs')).body) === '["keep"]');

  // A writer restarted over the same file name: fewer bytes than were read.
  const f = path.join(dir, 'keep', 'events.out.tfevents.1.host');
  fs.writeFileSync(f, Buffer.concat([fileVersionRecord(1_700_000_000), scalarRecord('x', 100, 1)]));
  await until(async () => JSON.stringify(await servedSteps(app, 'keep', 'x')) === '[100]');
});

it('falls back to polling every --reload_interval when file events do not arrive', async () => {
  fs.mkdirSync(path.join(dir, 'run'));
  const f = path.join(dir, 'run', 'events.out.tfevents.1.host');
  appendFlushed(f, fileVersionRecord(1_700_000_000));
  const app = await serve({ fileEvents: false, reloadIntervalSec: 0.1 });
  for (let s = 0; s < 3; s++) appendFlushed(f, scalarRecord('x', s, s));
  await until(async () => (await servedSteps(app, 'run', 'x')).length === 3);
  expect(await servedSteps(app, 'run', 'x')).toEqual([0, 1, 2]);
});

it('serves a flushed point within 250 ms at the median', async () => {
  fs.mkdirSync(path.join(dir, 'run'));
  const f = path.join(dir, 'run', 'events.out.tfevents.1.host');
  appendFlushed(f, fileVersionRecord(1_700_000_000));
  const app = await serve();
  const latencies: number[] = [];
  for (let s = 0; s < 15; s++) {
    const t0 = performance.now();
    appendFlushed(f, scalarRecord('x', s, s));
    await until(async () => (await servedSteps(app, 'run', 'x')).length === s + 1, 5000);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((x, y) => x - y);
  const median = latencies[Math.floor(latencies.length / 2)]!;
  expect(median).toBeLessThan(250);
});
