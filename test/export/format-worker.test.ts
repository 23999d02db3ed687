import * as path from 'node:path';
import { MemoryStream } from '../support/memory-stream';

/**
 * The row formatting worker (built: dist/src/export/format-worker.js) writes
 * the same bytes as formatting in-thread, in CSV and JSON Lines, special
 * numbers and odd names included, and reports what it cannot do as an error.
 */
const dist = path.join(__dirname, '..', '..', 'dist', 'src', 'export');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RowFormatWorker } = require(
  path.join(dist, 'row-format-worker'),
) as typeof import('../../src/export/row-format-worker');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rows = require(path.join(dist, 'scalar-rows')) as typeof import('../../src/export/scalar-rows');

async function inThread(
  shape: import('../../src/export/scalar-rows').RowShape,
  steps: Float64Array,
  walls: Float64Array,
  values: Float64Array,
): Promise<string> {
  const out = new MemoryStream();
  const writer = new rows.ScalarRowWriter(async (block) => {
    out.write(block);
  });
  await writer.rows(shape, steps, walls, values);
  await writer.flush();
  return out.text();
}

it('formats series exactly as in-thread', async () => {
  const worker = RowFormatWorker.start() as import('../../src/export/row-format-worker').RowFormatWorker;
  expect(worker).toBeDefined();
  try {
    const n = 20_000;
    const steps = Float64Array.from({ length: n }, (_, i) => (i % 1000 === 7 ? -i : i % 997 === 3 ? i + 0.5 : i));
    const walls = Float64Array.from({ length: n }, (_, i) => 1_700_000_000 + i * 0.05);
    const values = Float64Array.from(
      { length: n },
      (_, i) => [NaN, Infinity, -Infinity, -0, 0][i % 50] ?? Math.fround(Math.sin(i)) * 10 ** ((i % 40) - 20),
    );
    for (const shape of [rows.csvRowShape('"run, 1"', 'tag/ü'), rows.jsonlRowShape('run "1"', 'tag\n2')]) {
      const json = shape.numberText === rows.jsonNumberText;
      const bytes = await worker.format(shape, json, steps, walls, values);
      expect(Buffer.from(bytes).toString('utf8')).toBe(await inThread(shape, steps, walls, values));
    }
  } finally {
    await worker.close();
  }
  await expect(
    worker.format(rows.csvRowShape('r', 't'), false, new Float64Array(1), new Float64Array(1), new Float64Array(1)),
  ).rejects.toThrow(/closed/);
});
