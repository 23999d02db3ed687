import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventWriter } from '../../src/writer';
import { LOGDIRS } from '../support/golden-form';
import { runCli } from '../support/run-cli';
import { readParquet } from './parquet-read';

/** `featherboard export --format parquet` and `--wide` as users run them: the built CLI. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-parquet-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function dirBytes(dir: string): number {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
}

describe('a logdir large enough to encode on the worker thread', () => {
  const logdir = path.join(tmp, 'large');
  beforeAll(() => {
    // 2 runs × 5 tags × 22,000 steps: 220,000 points, over one row group, PyTorch-style and TF2-style.
    for (const [run, style] of [
      ['pt', 'simple_value'],
      ['tf', 'tensor'],
    ] as const) {
      const w = new EventWriter(path.join(logdir, run, `events.out.tfevents.1.${run}`), {
        maxQueue: 4096,
        scalarStyle: style,
      });
      for (let step = 0; step < 22_000; step++)
        for (const tag of ['a', 'b', 'c', 'd', 'e'])
          w.addScalar(tag, step === 7 ? Number.NaN : Math.sin(step) * 1e-7, step, { wallTime: 1.7e9 + step / 3 });
      w.close();
    }
  });

  it('writes the rows of the JSON Lines export, in several row groups', async () => {
    // Export encodes on a worker from 8 MiB of event files on (FORMAT_WORKER_MIN_BYTES).
    expect(dirBytes(logdir)).toBeGreaterThan(8 * 1024 * 1024);
    const out = path.join(tmp, 'large.parquet');
    const parquet = runCli(['export', '--logdir', logdir, '--format', 'parquet', '--out', out]);
    expect(parquet.stderr).toBe('');
    expect(parquet.status).toBe(0);
    const jsonlFile = path.join(tmp, 'large.jsonl');
    expect(runCli(['export', '--logdir', logdir, '--format', 'jsonl', '--out', jsonlFile]).status).toBe(0);
    const expected = fs
      .readFileSync(jsonlFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => {
        const r = JSON.parse(l) as Record<string, unknown>;
        return { ...r, value: r.value === 'NaN' ? Number.NaN : r.value };
      });
    const { rows, metadata } = await readParquet(out);
    expect(metadata.row_groups.length).toBeGreaterThan(1);
    expect(rows.map((r) => ({ ...r, step: Number(r.step) }))).toEqual(expected);
  });
});

describe('the command line', () => {
  it('writes one Parquet file per plugin into --out DIR', async () => {
    const out = path.join(tmp, 'all');
    const r = runCli([
      'export',
      '--logdir',
      path.join(LOGDIRS, 'pytorch'),
      '--format',
      'parquet',
      '--plugins',
      'scalars,histograms,images',
      '--out',
      out,
    ]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['histograms.parquet', 'images', 'images.parquet', 'scalars.parquet']);
    expect((await readParquet(path.join(out, 'histograms.parquet'))).rows.length).toBeGreaterThan(0);
  });

  it('writes wide CSV with --wide: a column per tag of the long CSV', () => {
    const logdir = path.join(LOGDIRS, 'keras');
    const r = runCli(['export', '--logdir', logdir, '--format', 'csv', '--wide']);
    expect(r.status).toBe(0);
    const long = runCli(['export', '--logdir', logdir, '--format', 'csv']).stdout.trimEnd().split('\n').slice(1);
    const tags = [...new Set(long.map((l) => l.split(',')[1]))];
    expect(r.stdout.split('\n')[0]).toBe(['run', 'step', 'wall_time', ...tags].join(','));
  });

  it.each([
    [['--format', 'jsonl', '--wide'], /--wide needs --format csv/],
    [['--format', 'xml'], /--format must be one of csv, jsonl, json, parquet/],
  ])('usage error %j: one clear line, exit 2', (args, message) => {
    const r = runCli(['export', '--logdir', LOGDIRS, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
