import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportLogdir } from '../../src/export/export-logdir';
import { EventWriter } from '../../src/writer';
import { FIXTURES, LOGDIRS } from '../support/golden-form';
import { MemoryStream } from '../support/memory-stream';
import { parseCsv } from './csv-parse';

/**
 * Wide CSV equals pandas' pivot of TensorBoard's scalars
 * (fixtures/wide-csv/pivot.py), with numbers spelled as the long CSV spells
 * them.
 */
const GOLDENS = ['tf2', 'keras', 'pytorch', 'tensorboardx', 'tf1_restart', 'tf1_restart.no-purge', 'js_writer'];

interface WideGolden {
  columns: string[];
  rows: (string | number | null)[][];
}

async function exportCsv(golden: string, wide: boolean): Promise<string[][]> {
  const out = new MemoryStream();
  await exportLogdir({
    logdir: path.join(LOGDIRS, golden.replace('.no-purge', '')),
    format: 'csv',
    wide,
    plugins: ['scalars'],
    stdout: out,
    purgeOrphanedData: !golden.endsWith('.no-purge'),
    onWarning: () => {},
  });
  return parseCsv(out.text());
}

const number = (s: string | number): number =>
  typeof s === 'number'
    ? s
    : s === 'NaN'
      ? Number.NaN
      : s === 'Infinity'
        ? Infinity
        : s === '-Infinity'
          ? -Infinity
          : Number(s);

describe.each(GOLDENS)('%s', (name) => {
  let wide: string[][];
  let long: string[][];
  const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'wide-csv', `${name}.json`), 'utf8')) as WideGolden;
  beforeAll(async () => {
    wide = await exportCsv(name, true);
    long = await exportCsv(name, false);
  });

  it('has a row per run and step and a column per tag, each cell as pandas pivots it', () => {
    const [header, ...rows] = wide as [string[], ...string[][]];
    expect(header.slice(0, 3)).toEqual(['run', 'step', 'wall_time']);
    expect([...header].sort()).toEqual([...golden.columns].sort());
    expect(rows).toHaveLength(golden.rows.length);
    const byKey = new Map(rows.map((r) => [`${r[0]}\u0000${r[1]}`, r]));
    for (const g of golden.rows) {
      const row = byKey.get(`${g[0]}\u0000${g[1]}`) as string[];
      expect(row).toBeDefined();
      const cells = golden.columns.map((c, k) => {
        const cell = row[header.indexOf(c)] as string;
        return k === 0 ? cell : cell === '' ? null : number(cell);
      });
      expect(cells).toEqual(g.map((v, k) => (k === 0 || v === null ? v : number(v))));
    }
  });

  it('spells numbers as the long CSV does; orders runs as it does, steps ascending, tags as first met', () => {
    const [header, ...rows] = wide as [string[], ...string[][]];
    const [, ...longRows] = long as [string[], ...string[][]];
    const value = new Map<string, string>();
    const wallTimes = new Map<string, Set<string>>();
    for (const [run, tag, step, wallTime, v] of longRows as string[][]) {
      value.set(`${run}\u0000${tag}\u0000${step}`, v as string);
      const key = `${run}\u0000${step}`;
      wallTimes.set(key, (wallTimes.get(key) ?? new Set()).add(wallTime as string));
    }
    for (const row of rows) {
      expect(wallTimes.get(`${row[0]}\u0000${row[1]}`)?.has(row[2] as string)).toBe(true);
      for (let c = 3; c < header.length; c++)
        if (row[c] !== '') expect(row[c]).toBe(value.get(`${row[0]}\u0000${header[c]}\u0000${row[1]}`));
    }
    const runOrder = [...new Set(longRows.map((r) => r[0]))];
    expect([...new Set(rows.map((r) => r[0]))]).toEqual(runOrder);
    for (let i = 1; i < rows.length; i++)
      if (rows[i]?.[0] === rows[i - 1]?.[0])
        expect(number(rows[i]?.[1] as string)).toBeGreaterThan(number(rows[i - 1]?.[1] as string));
    expect(header.slice(3)).toEqual([...new Set(longRows.map((r) => r[1]))]);
  });
});

it('widens rows of runs read before a tag was first met (tf2: the first run has 3 of 17 tags)', async () => {
  const [header, first] = (await exportCsv('tf2', true)) as [string[], string[]];
  expect(first[0]).toBe('custom_scalars');
  expect(first).toHaveLength(header.length);
  expect(first.slice(6).every((c) => c === '')).toBe(true);
});

it('leaves no temporary file behind', async () => {
  const mine = (): string[] =>
    fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`featherboard-wide-${process.pid}-`));
  await exportCsv('tf2', true);
  expect(mine()).toEqual([]);
});

it('widens rows whose run name needs quoting, a newline in it included', async () => {
  const logdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-wide-'));
  try {
    const odd = 'a "quoted", odd\nrun';
    const write = (run: string, tags: string[]): void => {
      const w = new EventWriter(path.join(logdir, run, 'events.out.tfevents.1.test'), { scalarStyle: 'simple_value' });
      for (let step = 0; step < 3; step++)
        for (const tag of tags) w.addScalar(tag, step / 4, step, { wallTime: 10 + step });
      w.close();
    };
    write(odd, ['x']);
    write('b', ['x', 'y']);
    const out = new MemoryStream();
    await exportLogdir({
      logdir,
      format: 'csv',
      wide: true,
      plugins: ['scalars'],
      stdout: out,
      purgeOrphanedData: true,
      onWarning: () => {},
    });
    expect(parseCsv(out.text())).toEqual([
      ['run', 'step', 'wall_time', 'x', 'y'],
      [odd, '0', '10', '0', ''],
      [odd, '1', '11', '0.25', ''],
      [odd, '2', '12', '0.5', ''],
      ['b', '0', '10', '0', '0'],
      ['b', '1', '11', '0.25', '0.25'],
      ['b', '2', '12', '0.5', '0.5'],
    ]);
  } finally {
    fs.rmSync(logdir, { recursive: true, force: true });
  }
});
