import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportLogdir } from '../../src/export/export-logdir';
import { type DataWarning, formatWarning, StrictModeError } from '../../src/warnings';
import { LOGDIRS } from '../support/golden-form';
import { MemoryStream } from '../support/memory-stream';

/** node-tar's strict mode: the first data warning stops the export, as an error carrying it. */
const damaged = path.join(LOGDIRS, 'damaged');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-strict-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function laxWarnings(): Promise<DataWarning[]> {
  const warnings: DataWarning[] = [];
  await exportLogdir({
    logdir: damaged,
    format: 'csv',
    plugins: ['scalars'],
    stdout: new MemoryStream(),
    purgeOrphanedData: true,
    onWarning: (w) => warnings.push(w),
  });
  return warnings;
}

it('rejects with the first warning as a StrictModeError: its code, file and offset', async () => {
  const first = (await laxWarnings())[0] as DataWarning;
  expect(first.offset).toEqual(expect.any(Number));
  const onWarning = jest.fn();
  const out = path.join(tmp, 'scalars.csv');
  const failure = exportLogdir({
    logdir: damaged,
    format: 'csv',
    plugins: ['scalars'],
    out,
    purgeOrphanedData: true,
    strict: true,
    onWarning,
  });
  await expect(failure).rejects.toBeInstanceOf(StrictModeError);
  const err = (await failure.catch((e: unknown) => e)) as StrictModeError;
  expect({ code: err.code, file: err.file, offset: err.offset }).toEqual({
    code: first.code,
    file: first.file,
    offset: first.offset,
  });
  expect(err.warning).toEqual(first);
  expect(err.message).toBe(formatWarning(first));
  expect(onWarning).not.toHaveBeenCalled();
  // No output file, finished or not, is left behind.
  expect(fs.readdirSync(tmp)).toEqual([]);
});

it('reads an intact logdir to the end as without it', async () => {
  const run = async (strict: boolean): Promise<string> => {
    const out = new MemoryStream();
    const keras = path.join(LOGDIRS, 'keras');
    await exportLogdir({
      logdir: keras,
      format: 'jsonl',
      plugins: ['scalars'],
      stdout: out,
      purgeOrphanedData: true,
      strict,
    });
    return out.text();
  };
  const strict = await run(true);
  expect(strict.length).toBeGreaterThan(0);
  expect(strict).toBe(await run(false));
});
