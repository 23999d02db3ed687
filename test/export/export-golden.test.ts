import * as path from 'node:path';
import { exportLogdir } from '../../src/export/export-logdir';
import { RowFormatWorker } from '../../src/export/row-format-worker';
import type { ExportFormat } from '../../src/export/row-sink';
import { bootedFormatThread } from '../support/format-thread';
import { LOGDIRS, readGolden } from '../support/golden-form';
import { MemoryStream } from '../support/memory-stream';

/**
 * Scalar export of each fixture equals TensorBoard's loader, point for point, formatted in-thread (what export does
 * for small logdirs) and on the formatting worker (what it does for large ones).
 */
const LOGDIR_NAMES = ['tf2', 'keras', 'pytorch', 'tensorboardx', 'tf1_restart'];

async function exportScalars(name: string, format: ExportFormat, purge = true, onWorker = false): Promise<string> {
  const out = new MemoryStream();
  const sent = jest.spyOn(RowFormatWorker.prototype, 'format');
  try {
    await exportLogdir({
      logdir: path.join(LOGDIRS, name),
      format,
      plugins: ['scalars'],
      stdout: out,
      purgeOrphanedData: purge,
      onWarning: () => {},
      formatOnWorker: onWorker,
      ...(onWorker ? { formatThread: await bootedFormatThread() } : {}),
    });
    // The path asked for is the path taken (a JSON array's first row is always text).
    if (onWorker && format !== 'json') expect(sent).toHaveBeenCalled();
    if (!onWorker) expect(sent).not.toHaveBeenCalled();
  } finally {
    sent.mockRestore();
  }
  return out.text();
}

/** TensorBoard's scalar points as export rows: the tensor's one value, non-finite as strings. */
function goldenScalarRows(name: string): unknown[] {
  const rows: unknown[] = [];
  const golden = readGolden(name);
  for (const run of Object.keys(golden.runs).sort()) {
    const r = golden.runs[run];
    for (const [tag, series] of Object.entries(r?.tags ?? {})) {
      if ((series.metadata as { plugin_name?: string } | null)?.plugin_name !== 'scalars') continue;
      for (const p of series.points) {
        const value = Array.isArray(p.value) ? (p.value.flat(Infinity)[0] as unknown) : p.value;
        rows.push({ run, tag, step: p.step, wall_time: p.wall_time, value });
      }
    }
  }
  return rows;
}

const sortRows = (rows: unknown[]): unknown[] =>
  [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe.each([
  ['in-thread', false],
  ['on the formatting worker', true],
])('formatted %s', (_way, onWorker) => {
  describe.each(LOGDIR_NAMES)('%s', (name) => {
    it('exports as JSON Lines exactly the scalars TensorBoard loads', async () => {
      const lines = (await exportScalars(name, 'jsonl', true, onWorker)).trimEnd().split('\n');
      const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const expected = goldenScalarRows(name);
      expect(expected.length).toBeGreaterThan(0);
      expect(rows.every((r) => Object.keys(r).join() === 'run,tag,step,wall_time,value')).toBe(true);
      expect(sortRows(rows)).toEqual(sortRows(expected));
    });

    it('exports the same rows as CSV and as one JSON document', async () => {
      const jsonl = (await exportScalars(name, 'jsonl', true, onWorker))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const json = JSON.parse(await exportScalars(name, 'json', true, onWorker)) as unknown[];
      expect(json).toEqual(jsonl);
      const csv = (await exportScalars(name, 'csv', true, onWorker)).trimEnd().split('\n');
      expect(csv[0]).toBe('run,tag,step,wall_time,value');
      expect(csv.length - 1).toBe(jsonl.length);
    });
  });
});

it.each(['csv', 'jsonl', 'json'] as const)(
  'writes the same %s bytes on the formatting worker as in-thread',
  async (f) => {
    for (const name of LOGDIR_NAMES)
      expect(await exportScalars(name, f, true, true)).toBe(await exportScalars(name, f, true, false));
  },
);

it('keeps every point of a restarted run with purging off', async () => {
  const purged = (await exportScalars('tf1_restart', 'jsonl')).trimEnd().split('\n').length;
  const all = (await exportScalars('tf1_restart', 'jsonl', false)).trimEnd().split('\n').length;
  expect(all).toBeGreaterThan(purged);
});

it('writes non-finite values as strings and floats as their exact doubles', async () => {
  const text = await exportScalars('tf2', 'jsonl');
  expect(text).toContain('"value":"NaN"');
  expect(text).toContain('"value":"Infinity"');
  expect(text).toContain('"value":"-Infinity"');
  // A float32 written by TensorFlow shows as its exact widened double, as in TensorBoard's JSON.
  expect(text).toContain('"value":3.3999999521443642e+38');
  const csv = await exportScalars('tf2', 'csv');
  expect(csv).toMatch(/,NaN\n/);
  expect(csv).toMatch(/,-Infinity\n/);
});
