import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Store } from '../../../src/store/store';
import { smooth } from '../../../src/common/smoothing';
import { apiApp, loadFixture, scalarEvent } from '../support/viewer-api';

describe('viewer API on the tf2 fixture', () => {
  let store: Store;
  beforeAll(async () => {
    store = await loadFixture('tf2');
  });

  it('lists runs with tags per plugin, point counts and last steps', async () => {
    const res = await request(apiApp(store)).get('/api/runs').expect(200);
    const names = res.body.runs.map((r: { name: string }) => r.name);
    expect(names).toEqual(store.runNames());
    const scalars = res.body.runs.find((r: { name: string }) => r.name === 'scalars');
    const loss = scalars.plugins.scalars.find((t: { tag: string }) => t.tag === 'loss');
    const series = store.run('scalars')!.series.get('loss')!;
    expect(loss.count).toBe(series.length);
    expect(loss.lastStep).toBe(series.steps.get(series.length - 1));
    const media = res.body.runs.find((r: { name: string }) => r.name === 'media');
    expect(Object.keys(media.plugins).sort()).toEqual(['audio', 'images', 'text']);
    expect(media.graph).toBe(false);
    const pytorch = await request(apiApp(await loadFixture('pytorch')))
      .get('/api/runs')
      .expect(200);
    expect(pytorch.body.runs.find((r: { name: string }) => r.name === '.').graph).toBe(true);
  });

  it('answers scalars columnar, non-finite values as strings', async () => {
    const res = await request(apiApp(store))
      .get('/api/scalars')
      .query({ tag: 'special_values', runs: 'scalars' })
      .expect(200);
    const s = res.body.series[0];
    expect(s.run).toBe('scalars');
    expect(s.steps).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.values.slice(0, 4)).toEqual([1.5, 'NaN', 'Infinity', '-Infinity']);
    expect(s.wallTimes).toHaveLength(6);
    expect(s.reset).toBe(true);
  });

  it('plots a one-element tensor scalar by its value', async () => {
    const res = await request(apiApp(store))
      .get('/api/scalars')
      .query({ tag: 'shape1_scalar', run: 'scalars' })
      .expect(200);
    expect(res.body.series[0].values).toEqual([2.5]);
  });

  it('marks runs without the tag as missing instead of failing', async () => {
    const res = await request(apiApp(store))
      .get('/api/scalars')
      .query({ tag: 'loss', run: ['scalars', 'nope'] })
      .expect(200);
    expect(res.body.series.map((s: { run: string; missing?: boolean }) => [s.run, s.missing ?? false])).toEqual([
      ['scalars', false],
      ['nope', true],
    ]);
  });

  it('serves every image step and the image bytes by point and sample', async () => {
    const app = apiApp(store);
    const res = await request(app).get('/api/images').query({ run: 'media', tag: 'rgb' }).expect(200);
    expect(res.body.steps.map((s: { samples: number }) => s.samples)).toEqual([2, 1, 2]);
    expect(res.body.steps[0]).toMatchObject({ width: 8, height: 8 });
    const png = await request(app)
      .get('/api/blob')
      .query({ run: 'media', tag: 'rgb', index: 2, sample: 1 })
      .buffer(true)
      .expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    await request(app).get('/api/blob').query({ run: 'media', tag: 'rgb', index: 1, sample: 1 }).expect(404);
    await request(app).get('/api/blob').query({ run: 'media', tag: 'rgb', index: 99 }).expect(404);
  });

  it('serves audio clips', async () => {
    const app = apiApp(store);
    const res = await request(app).get('/api/audio').query({ run: 'media', tag: 'tone' }).expect(200);
    expect(res.body.steps[0].samples).toBe(2);
    const wav = await request(app)
      .get('/api/blob')
      .query({ run: 'media', tag: 'tone', index: 0, sample: 1 })
      .buffer(true)
      .expect(200);
    expect(wav.headers['content-type']).toBe('audio/wav');
  });

  it('serves histograms, pr curves and hparams', async () => {
    const app = apiApp(store);
    const h = await request(app).get('/api/histograms').query({ run: 'histograms', tag: 'normal' }).expect(200);
    expect(h.body.points).toHaveLength(5);
    expect(h.body.points[0].buckets[0]).toHaveLength(3);
    const pr = await request(app)
      .get('/api/pr_curves')
      .query({ run: 'pr_curves', tag: 'pr/computed/pr_curves' })
      .expect(200);
    expect(pr.body.points).toHaveLength(3);
    expect(pr.body.points[0].thresholds).toHaveLength(11);
    const hp = await request(app).get('/api/hparams').expect(200);
    expect(hp.body.sessions.map((s: { run: string }) => s.run)).toEqual([
      'hparams/session_0',
      'hparams/session_1',
      'hparams/session_2',
    ]);
    expect(hp.body.hparams.length).toBeGreaterThan(0);
    for (const s of hp.body.sessions) expect(typeof s.metrics['metric/accuracy']).toBe('number');
  });

  it('rejects bad input with 4xx JSON', async () => {
    const app = apiApp(store);
    const bad: Record<string, string | string[]>[] = [
      {},
      { tag: 'loss' },
      { tag: 'loss', runs: 'scalars', width: '0' },
      { tag: 'loss', runs: 'scalars', width: '1e9' },
      { tag: 'loss', runs: 'scalars', width: 'abc' },
      { tag: 'loss', runs: 'scalars', minStep: 'x' },
      { tag: 'loss', runs: 'scalars', minStep: '5', maxStep: '1' },
      { tag: 'loss', runs: 'scalars', since: '1.2' },
      { tag: 'loss', runs: 'scalars', since: '1.2.3,4.5.6' },
      { tag: ['a', 'b'], runs: 'scalars' },
      { tag: 'x'.repeat(5000), runs: 'scalars' },
      { tag: 'loss', runs: Array.from({ length: 600 }, (_, i) => `r${i}`).join(',') },
    ];
    for (const q of bad) {
      const res = await request(app).get('/api/scalars').query(q);
      expect(res.status).toBe(400);
      expect(typeof res.body.error).toBe('string');
    }
    for (const q of [
      { run: '../../etc', tag: 'rgb', index: '0' },
      { run: 'media', tag: 'rgb', index: '-1' },
      { run: 'media', tag: 'loss', index: '0' },
    ]) {
      const res = await request(app).get('/api/blob').query(q);
      expect([400, 404]).toContain(res.status);
      expect(typeof res.body.error).toBe('string');
    }
    const nope = await request(app).get('/api/nothing-here').expect(404);
    expect(nope.body.error).toBeDefined();
  });
});

describe('incremental scalar reads', () => {
  it('returns only appended points, and everything again after a purge', async () => {
    const store = new Store();
    const run = store.ensureRun('live');
    for (let s = 0; s < 5; s++) run.addEvent(scalarEvent(s, 'loss', s), 'f');
    const app = apiApp(store);
    const first = (await request(app).get('/api/scalars').query({ tag: 'loss', run: 'live' })).body.series[0];
    expect(first.steps).toEqual([0, 1, 2, 3, 4]);

    for (let s = 5; s < 8; s++) run.addEvent(scalarEvent(s, 'loss', s * 2), 'f');
    const next = (await request(app).get('/api/scalars').query({ tag: 'loss', run: 'live', since: first.cursor })).body
      .series[0];
    expect(next).toMatchObject({ reset: false, steps: [5, 6, 7], values: [10, 12, 14] });

    const none = (await request(app).get('/api/scalars').query({ tag: 'loss', run: 'live', since: next.cursor })).body
      .series[0];
    expect(none).toMatchObject({ reset: false, steps: [] });

    run.series.get('loss')!.dropWhere((s) => s >= 6);
    run.addEvent(scalarEvent(6, 'loss', -1), 'f');
    const after = (await request(app).get('/api/scalars').query({ tag: 'loss', run: 'live', since: next.cursor })).body
      .series[0];
    expect(after.reset).toBe(true);
    expect(after.steps).toEqual([0, 1, 2, 3, 4, 5, 6]);

    // A run read again from scratch is a new series: its cursor never resumes the old one.
    store.resetRun('live');
    const fresh = store.run('live')!;
    for (let s = 0; s < 8; s++) fresh.addEvent(scalarEvent(s, 'loss', 1), 'f');
    const again = (await request(app).get('/api/scalars').query({ tag: 'loss', run: 'live', since: after.cursor })).body
      .series[0];
    expect(again.reset).toBe(true);
    expect(again.steps).toHaveLength(8);
  });

  it('downsamples large series to about the requested width and keeps spikes', async () => {
    const store = new Store();
    const run = store.ensureRun('big');
    for (let s = 0; s < 20000; s++) run.addEvent(scalarEvent(s, 'loss', s === 12345 ? 999 : Math.cos(s)), 'f');
    const app = apiApp(store);
    const res = (await request(app).get('/api/scalars').query({ tag: 'loss', run: 'big', width: 100 })).body.series[0];
    expect(res.downsampled).toBe(true);
    expect(res.total).toBe(20000);
    expect(res.steps.length).toBeLessThanOrEqual(500);
    expect(res.values).toContain(999);
    const zoomed = (
      await request(app)
        .get('/api/scalars')
        .query({ tag: 'loss', run: 'big', width: 100, minStep: 12300, maxStep: 12390 })
    ).body.series[0];
    expect(zoomed.downsampled).toBe(false);
    expect(zoomed.steps).toHaveLength(91);
  });
});

describe('event stream', () => {
  it('announces changes, sends heartbeats and unsubscribes on disconnect', async () => {
    const store = new Store();
    const server = http.createServer(apiApp(store, 50)).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const listeners = (): number => store.listenerCount;
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/api/events' }, (res) => {
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            if (buf.includes(': connected') && !buf.includes('run-added')) {
              store.ensureRun('new-run').addEvent(scalarEvent(0, 'loss', 1), 'f');
              store.emit({ type: 'data', run: 'new-run', tags: ['loss'] });
              store.addWarning({
                code: 'DATA_CRC_MISMATCH',
                file: 'new-run/events.out.tfevents.1',
                offset: 812,
                message: 'record skipped',
              });
            }
            if (buf.includes('event: data') && buf.includes(': heartbeat')) {
              req.destroy();
              resolve(buf);
            }
          });
        });
        req.on('error', (e) =>
          e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : reject(e),
        );
      });
      expect(text).toContain('event: run-added\ndata: {"run":"new-run"}\n\n');
      expect(text).toContain('event: data\ndata: {"run":"new-run","tags":["loss"]}\n\n');
      expect(text).toContain(
        'event: warning\ndata: {"code":"DATA_CRC_MISMATCH","message":"record skipped",' +
          '"file":"new-run/events.out.tfevents.1","offset":812}\n\n',
      );
      for (let i = 0; i < 50 && listeners() > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(listeners()).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('server-side smoothing', () => {
  it('smooths over every point, even when only some are sent', async () => {
    const store = new Store();
    const run = store.ensureRun('noisy');
    const values: number[] = [];
    for (let s = 0; s < 5000; s++) {
      const v = Math.exp(-s / 1000) + (s % 7 === 0 ? 0.5 : 0) + (s === 4000 ? NaN : 0);
      values.push(v);
      run.addEvent(scalarEvent(s, 'loss', v), 'f');
    }
    const res = (
      await request(apiApp(store)).get('/api/scalars').query({ tag: 'loss', run: 'noisy', width: 200, smoothing: 0.9 })
    ).body.series[0];
    expect(res.downsampled).toBe(true);
    const full = smooth(values, 0.9);
    res.steps.forEach((step: number, j: number) => {
      const want = full[step] as number;
      if (Number.isNaN(want)) expect(res.smoothed[j]).toBe('NaN');
      else expect(res.smoothed[j]).toBeCloseTo(want, 12);
    });
    await request(apiApp(store)).get('/api/scalars').query({ tag: 'loss', run: 'noisy', smoothing: '1.5' }).expect(400);
  });
});
