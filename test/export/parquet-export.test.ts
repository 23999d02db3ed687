import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXPORT_PLUGINS, exportLogdir, type ExportOptions } from '../../src/export/export-logdir';
import { EventWriter } from '../../src/writer';
import { LOGDIRS } from '../support/golden-form';
import { columnInfo, readParquet } from './parquet-read';

/**
 * Parquet export read back with hyparquet equals the JSON Lines export of
 * the same logdir, plugin by plugin: JSON Lines rows flattened as the
 * README says Parquet has them (one per bucket, text element, threshold;
 * hparams one per session, `hparams.<name>` columns).
 */
const LOGDIR_NAMES = ['tf2', 'keras', 'pytorch', 'tensorboardx', 'tf1_restart', 'js_writer'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-parquet-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Rec = Record<string, unknown>;

async function exportTo(
  logdir: string,
  format: ExportOptions['format'],
  out: string,
  extra: Partial<ExportOptions> = {},
) {
  return exportLogdir({
    logdir,
    format,
    plugins: [...EXPORT_PLUGINS],
    out,
    purgeOrphanedData: true,
    onWarning: () => {},
    ...extra,
  });
}

function readJsonl(file: string): Rec[] {
  const text = fs.readFileSync(file, 'utf8').trimEnd();
  return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as Rec);
}

const point = (r: Rec): Rec => ({ run: r.run, tag: r.tag, step: r.step, wall_time: r.wall_time });

function flattenText(v: unknown): string[] {
  return Array.isArray(v) ? v.flatMap(flattenText) : [v as string];
}

/** JSON Lines rows of a plugin in Parquet's shape. */
function flatten(plugin: string, rows: Rec[]): Rec[] {
  if (plugin === 'histograms')
    return rows.flatMap((r) =>
      (r.buckets as number[][]).map(([left, right, count]) => ({ ...point(r), left, right, count })),
    );
  if (plugin === 'text')
    return rows.flatMap((r) => flattenText(r.text).map((text, index) => ({ ...point(r), index, text })));
  if (plugin === 'pr_curves')
    return rows.flatMap((r) =>
      (r.thresholds as number[]).map((threshold, k) => ({
        ...point(r),
        threshold,
        ...Object.fromEntries(
          ['precision', 'recall', 'true_positives', 'false_positives', 'true_negatives', 'false_negatives'].map((c) => [
            c,
            (r[c] as number[])[k],
          ]),
        ),
      })),
    );
  if (plugin === 'hparams') {
    const names = [...new Set(rows.flatMap((r) => Object.keys(r.hparams as Rec)))];
    return rows.map((r) => ({
      run: r.run,
      group_name: r.group_name,
      start_time_secs: r.start_time_secs,
      ...Object.fromEntries(names.map((k) => [`hparams.${k}`, (r.hparams as Rec)[k] ?? null])),
    }));
  }
  return rows;
}

/** JSON's spelling of non-finite numbers as numbers; Parquet's int64 (bigint) as numbers. */
function comparable(rows: Rec[]): Rec[] {
  const special: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        typeof v === 'bigint' ? Number(v) : typeof v === 'string' && k !== 'text' && v in special ? special[v] : v,
      ]),
    ),
  );
}

describe('Parquet export equals the JSON Lines export', () => {
  const rowsSeen: Record<string, number> = {};

  describe.each(LOGDIR_NAMES)('%s', (name) => {
    const jsonlDir = path.join(tmp, name, 'jsonl');
    const parquetDir = path.join(tmp, name, 'parquet');
    beforeAll(async () => {
      await exportTo(path.join(LOGDIRS, name), 'jsonl', jsonlDir);
      await exportTo(path.join(LOGDIRS, name), 'parquet', parquetDir);
    });

    it.each([...EXPORT_PLUGINS])('%s', async (plugin) => {
      const expected = comparable(flatten(plugin, readJsonl(path.join(jsonlDir, `${plugin}.jsonl`))));
      const { rows } = await readParquet(path.join(parquetDir, `${plugin}.parquet`));
      expect(comparable(rows)).toEqual(expected);
      rowsSeen[plugin] = (rowsSeen[plugin] ?? 0) + rows.length;
    });
  });

  it('covered rows of every plugin', () => {
    for (const plugin of EXPORT_PLUGINS) expect(rowsSeen[plugin] ?? 0).toBeGreaterThan(0);
  });
});

describe('Parquet columns', () => {
  const dir = path.join(tmp, 'types');
  beforeAll(() => exportTo(path.join(LOGDIRS, 'tf2'), 'parquet', dir));

  it('types run and tag as dictionary-encoded UTF-8, step as int64, wall_time and value as float64', async () => {
    const { rows, metadata } = await readParquet(path.join(dir, 'scalars.parquet'));
    for (const c of ['run', 'tag']) {
      const { element, chunk } = columnInfo(metadata, c);
      expect(element).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' });
      expect(chunk?.encodings).toContain('RLE_DICTIONARY');
      expect(chunk?.codec).toBe('SNAPPY');
    }
    expect(columnInfo(metadata, 'step').element?.type).toBe('INT64');
    expect(columnInfo(metadata, 'wall_time').element?.type).toBe('DOUBLE');
    expect(columnInfo(metadata, 'value').element?.type).toBe('DOUBLE');
    expect(typeof rows[0]?.step).toBe('bigint');
    expect(metadata.created_by).toBe('featherboard');
  });

  it('keeps non-finite values and float32 values as their exact widened doubles', async () => {
    const { rows } = await readParquet(path.join(dir, 'scalars.parquet'));
    const values = rows.map((r) => r.value as number);
    expect(values).toContainEqual(Number.NaN);
    expect(values).toContain(Infinity);
    expect(values).toContain(-Infinity);
    expect(values).toContain(3.3999999521443642e38);
  });

  it('types hparams by their values, null where a session lacks one', async () => {
    const { metadata } = await readParquet(path.join(dir, 'hparams.parquet'));
    const hparams = metadata.schema.filter((e) => e.name.startsWith('hparams.'));
    expect(hparams.length).toBeGreaterThan(0);
    for (const e of hparams) {
      expect(e.repetition_type).toBe('OPTIONAL');
      expect(['DOUBLE', 'BOOLEAN', 'BYTE_ARRAY']).toContain(e.type);
    }
  });
});

describe('Parquet edge cases', () => {
  it('writes valid files with a schema and no rows for an empty logdir', async () => {
    const logdir = fs.mkdtempSync(path.join(tmp, 'empty-'));
    const out = path.join(tmp, 'empty-out');
    await exportTo(logdir, 'parquet', out);
    const scalars = await readParquet(path.join(out, 'scalars.parquet'));
    expect(scalars.rows).toEqual([]);
    expect(scalars.metadata.schema.map((e) => e.name)).toEqual(['root', 'run', 'tag', 'step', 'wall_time', 'value']);
    const hparams = await readParquet(path.join(out, 'hparams.parquet'));
    expect(hparams.metadata.schema.map((e) => e.name)).toEqual(['root', 'run', 'group_name', 'start_time_secs']);
  });

  describe('a run larger than a row group', () => {
    const logdir = path.join(tmp, 'large');
    beforeAll(() => {
      // 150,000 points: more than one row group (~105,000 scalar rows).
      const w = new EventWriter(path.join(logdir, 'a', 'events.out.tfevents.1.test'), { maxQueue: 4096 });
      for (let step = 0; step < 30_000; step++)
        for (const tag of ['a', 'b', 'c', 'd', 'e']) w.addScalar(tag, step / 7, step, { wallTime: 1e9 + step });
      w.close();
      // Then a damaged run, whose warning an export told to stop at any warning stops at.
      fs.cpSync(path.join(LOGDIRS, 'damaged', 'garbage_tail'), path.join(logdir, 'z'), { recursive: true });
    });

    it('writes several row groups, every row kept in order', async () => {
      const out = path.join(tmp, 'large.parquet');
      await exportLogdir({
        logdir,
        format: 'parquet',
        plugins: ['scalars'],
        out,
        runs: /^a$/,
        purgeOrphanedData: true,
        onWarning: () => {},
      });
      const { rows, metadata } = await readParquet(out);
      expect(metadata.row_groups.length).toBeGreaterThan(1);
      expect(rows).toHaveLength(150_000);
      // TF2-style float32 tensors: the value is the float32 nearest, widened.
      const expected = { run: 'a', tag: 'e', step: 3_456n, wall_time: 1e9 + 3_456, value: Math.fround(3_456 / 7) };
      expect(rows[4 * 30_000 + 3_456]).toEqual(expected);
    });

    it('leaves nothing behind when the export stops part way', async () => {
      const out = path.join(tmp, 'stopped');
      fs.mkdirSync(out);
      const stop = exportLogdir({
        logdir,
        format: 'parquet',
        plugins: ['scalars'],
        out: path.join(out, 'scalars.parquet'),
        purgeOrphanedData: true,
        onWarning: (w) => {
          throw new Error(`stopped at ${w.code}`);
        },
      });
      await expect(stop).rejects.toThrow(/stopped at/);
      expect(fs.readdirSync(out)).toEqual([]);
    });
  });
});
