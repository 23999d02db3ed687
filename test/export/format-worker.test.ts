import { RowFormatWorker } from '../../src/export/row-format-worker';
import * as rows from '../../src/export/scalar-rows';
import { MemoryStream } from '../support/memory-stream';

/**
 * The row formatting worker (the bundled dist/format-worker.js the shipped
 * CLI runs) writes the same bytes as formatting in-thread, in CSV and JSON
 * Lines, special numbers and odd names included, and reports what it cannot
 * do as an error.
 */
async function inThread(
  shape: rows.RowShape,
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
  const worker = RowFormatWorker.start();
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
