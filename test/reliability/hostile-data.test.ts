import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { protoType } from '../../src/protobuf/schema';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { createApp } from '../../src/server/create-app';
import { Store } from '../../src/store/store';
import { encodeRecord } from '../../src/tfrecord/encode-record';
import { envInt } from '../support/fuzz-bounded';
import { hostileEvent } from '../support/fuzz-events';

/**
 * Hostile data, served: logdirs of well-formed events that say absurd things
 * (huge shapes, odd dtypes, random plugin data under every plugin's name),
 * loaded and then asked for through every data route. Bad data may be
 * answered with a 4xx or an empty result, never with a 500.
 * FB_FUZZ_RUNS scales the number of logdirs (CI default: 20).
 */
const RUNS = Math.max(5, Math.floor(envInt('FB_FUZZ_RUNS', 400) / 20));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const Event = protoType('Event');
const version = encodeRecord(Event.encode(Event.fromObject({ wallTime: 1, fileVersion: 'brain.Event:2' })).finish());
let caseNo = 0;
/** Answers by status, for the summary line. */
const statuses = new Map<number, number>();
afterAll(() =>
  console.log(
    `hostile data: ${caseNo} logdirs, answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  ),
);

/** Every per-run, per-tag GET route, TensorBoard's and the viewer's. */
function routesFor(run: string, tag: string): string[] {
  const q = `run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`;
  const P = '/data/plugin';
  return [
    `${P}/scalars/scalars?${q}`,
    `${P}/scalars/scalars?${q}&format=csv`,
    `${P}/custom_scalars/scalars?${q}`,
    `${P}/histograms/histograms?${q}`,
    `${P}/distributions/distributions?${q}`,
    `${P}/images/images?${q}`,
    `${P}/audio/audio?${q}`,
    `${P}/text/text?${q}`,
    `${P}/pr_curves/pr_curves?${q}`,
    `${P}/mesh/meshes?${q}`,
    `${P}/mesh/data?${q}&sample=0`,
    `${P}/graphs/graph?run=${encodeURIComponent(run)}`,
    `${P}/graphs/run_metadata?${q}`,
    `${P}/graphs/model?run=${encodeURIComponent(run)}`,
    `${P}/timeseries/timeSeries?requests=${encodeURIComponent(
      JSON.stringify([
        { plugin: 'scalars', tag },
        { plugin: 'histograms', tag, run },
        { plugin: 'images', tag, run, sample: 0 },
      ]),
    )}`,
    `/api/scalars?tag=${encodeURIComponent(tag)}&run=${encodeURIComponent(run)}&smoothing=0.6`,
    `/api/images?${q}`,
    `/api/audio?${q}`,
    `/api/blob?${q}&index=0&sample=0`,
    `/api/histograms?${q}`,
    `/api/pr_curves?${q}`,
  ];
}

const GLOBAL_ROUTES = [
  '/data/runs',
  '/data/plugins_listing',
  '/data/environment',
  '/data/plugin/scalars/tags',
  '/data/plugin/histograms/tags',
  '/data/plugin/distributions/tags',
  '/data/plugin/images/tags',
  '/data/plugin/audio/tags',
  '/data/plugin/text/tags',
  '/data/plugin/pr_curves/tags',
  '/data/plugin/mesh/tags',
  '/data/plugin/timeseries/tags',
  '/data/plugin/custom_scalars/layout',
  '/data/plugin/graphs/info',
  '/data/plugin/hparams/experiment',
  '/api/runs',
  '/api/hparams',
];

describe('the server on hostile event data', () => {
  it('answers every route without a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(hostileEvent, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 2 }),
        async (runs) => {
          const logdir = path.join(tmp, String(caseNo++));
          runs.forEach((events, r) => {
            fs.mkdirSync(path.join(logdir, `run${r}`), { recursive: true });
            fs.writeFileSync(
              path.join(logdir, `run${r}`, 'events.out.tfevents.1.hostile'),
              Buffer.concat([version, ...events.map((e) => encodeRecord(e))]),
            );
          });
          const store = new Store();
          const loader = new LogdirLoader(logdir, store);
          await loader.reload();
          loader.finish();
          const bugs: string[] = [];
          const app = createApp(store, { logdir, logError: (m) => bugs.push(m) });

          const urls = [...GLOBAL_ROUTES];
          for (const name of store.runNames())
            for (const tag of store.run(name)?.series.keys() ?? []) urls.push(...routesFor(name, tag));
          for (const url of urls) {
            const r = await request(app).get(url);
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
            if (r.status >= 500) bugs.push(`${url} → ${r.status} ${r.text.slice(0, 200)}`);
            // Follow the blob links TensorBoard's own front end would follow.
            if (r.status === 200 && /\/(images|audio)\?/.test(url) && url.startsWith('/data')) {
              for (const entry of (r.body as { query?: string }[]).slice(0, 3)) {
                if (entry.query === undefined) continue;
                const blobUrl = url.replace(
                  /\/(images|audio)\?.*/,
                  (_m, p: string) => `/${p === 'images' ? 'individualImage' : 'individualAudio'}?${entry.query}`,
                );
                const b = await request(app).get(blobUrl);
                statuses.set(b.status, (statuses.get(b.status) ?? 0) + 1);
                if (b.status >= 500) bugs.push(`${blobUrl} → ${b.status}`);
              }
            }
          }
          fs.rmSync(logdir, { recursive: true, force: true });
          expect(bugs).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
