import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { readJsonNumber } from '../../src/common/format-number';
import type { ScalarRowJson } from '../../src/common/responses/tensorboard';
import { csvText, scalarCsv } from '../../src/common/scalar-csv';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { createApp } from '../../src/server/create-app';
import { Store } from '../../src/store/store';
import { EventWriter } from '../../src/writer/event-writer';
import { LOGDIRS } from '../support/golden-form';
import { runCli } from '../support/run-cli';

/**
 * The viewer's per-chart CSV download is scalarCsv over what the chart reads
 * (`/data/plugin/scalars/scalars` of each run, JSON-parsed as the browser
 * does): it must be `featherboard export --format csv` of the same runs and
 * tag, byte for byte. The browser test checks the download itself.
 */

async function loaded(logdir: string): Promise<Store> {
  const store = new Store();
  const loader = new LogdirLoader(logdir, store);
  await loader.reload();
  loader.finish();
  return store;
}

async function viewerCsv(logdir: string, runs: string[], tag: string): Promise<string> {
  const app = createApp(await loaded(logdir), { logdir, logError: () => {} });
  const series = [];
  for (const run of runs) {
    const res = await request(app).get('/data/plugin/scalars/scalars').query({ run, tag }).expect(200);
    const rows = JSON.parse(res.text) as ScalarRowJson[];
    series.push({
      run,
      tag,
      steps: rows.map((r) => r[1]),
      wallTimes: rows.map((r) => r[0]),
      values: rows.map((r) => readJsonNumber(r[2])),
    });
  }
  return scalarCsv(series);
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function exportCsv(logdir: string, runs: string[], tag: string): string {
  const result = runCli([
    'export',
    '--logdir',
    logdir,
    '--format',
    'csv',
    '--out',
    '-',
    '--runs',
    `^(${runs.map(escapeRegex).join('|')})$`,
    '--tags',
    `^${escapeRegex(tag)}$`,
  ]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

it.each([
  ['tf2', ['scalars'], 'special_values'],
  ['tf2', ['scalars'], 'float64_scalar'],
  ['tf2', ['scalars'], 'huge_step'],
  ['tf2', ['scalars'], 'shape1_scalar'],
  ['keras', ['train', 'validation'], 'epoch_loss'],
  ['pytorch', ['.'], 'big_step'],
  ['pytorch', ['.'], 'double_precision'],
  ['pytorch', ['run_group_cos', 'run_group_sin'], 'run_group'],
])('writes the CSV export writes (%s %j %s)', async (fixture, runs, tag) => {
  const logdir = path.join(LOGDIRS, fixture);
  const viewer = await viewerCsv(logdir, runs, tag);
  expect(viewer.split('\n').length).toBeGreaterThanOrEqual(3);
  expect(viewer).toBe(exportCsv(logdir, runs, tag));
});

it('spells NaN and the infinities as export does', async () => {
  const csv = await viewerCsv(path.join(LOGDIRS, 'tf2'), ['scalars'], 'special_values');
  expect(csv.split('\n').slice(2, 5)).toEqual([
    'scalars,special_values,1,1795792629.319791,NaN',
    'scalars,special_values,2,1795792629.319914,Infinity',
    'scalars,special_values,3,1795792629.32007,-Infinity',
  ]);
});

it('quotes run and tag names as export does', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherboard-csv-'));
  try {
    const runs = ['a,b', 'say "hi"', 'plain'];
    const tag = 'loss, total';
    for (const [k, run] of runs.entries()) {
      const w = new EventWriter(path.join(dir, run), { clock: () => 1_700_000_000 + k, maxQueue: 1000 });
      for (let step = 0; step < 5; step++)
        w.addScalar(tag, step === 2 ? -Infinity : 1e-7 * (step + 1) * (k + 1), step * 1000 + k, {
          wallTime: 1_700_000_000.125 + step,
        });
      w.close();
    }
    const order = (await loaded(dir)).runNames();
    expect([...order].sort()).toEqual([...runs].sort());
    const viewer = await viewerCsv(dir, order, tag);
    expect(viewer).toContain('"a,b","loss, total",');
    expect(viewer).toContain('"say ""hi""","loss, total",');
    expect(viewer).toBe(exportCsv(dir, order, tag));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('quotes only what needs it', () => {
  expect(csvText('plain/run')).toBe('plain/run');
  expect(csvText('a,b')).toBe('"a,b"');
  expect(csvText('line\nbreak')).toBe('"line\nbreak"');
  expect(csvText('cr\rhere')).toBe('"cr\rhere"');
  expect(csvText('say "x"')).toBe('"say ""x"""');
});
