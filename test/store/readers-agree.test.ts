import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventFileDecoder } from '../../src/events/decode-event';
import { discoverRuns } from '../../src/logdir/discover-runs';
import { EventFileTailer } from '../../src/logdir/event-file-tailer';
import { RunData, type RunState } from '../../src/store/run-data';
import { RecordReader } from '../../src/tfrecord/record-reader';
import { RecordBuilder, scalarEvent } from '../support/record-builder';
import { LOGDIRS } from '../support/golden-form';

/**
 * RunData's three entry points apply TensorBoard's rules alike: a run read
 * by the loader's tailer (scanned batches, single records, general decoder)
 * ends exactly as one read record by record through the single-record path
 * (addScalar) or through the general decoder alone (addEvent) — restart
 * purges, first metadata, tags and their order, every point.
 */

type Read = (files: string[], purge: boolean) => Promise<RunData>;

/** The loader's way: the tailer with the run as its scalar sink. */
const tailed: Read = async (files, purge) => {
  const run = new RunData('r', { purgeOrphanedData: purge });
  for (const file of files) {
    const tailer = new EventFileTailer(
      file,
      file,
      (ev) => run.addEvent(ev, file),
      () => {},
      { scalars: run },
    );
    await tailer.readNew();
  }
  return run;
};

/** Record by record: plain scalars through addScalar, everything else through addEvent (fast = false: all of it). */
const recordByRecord =
  (fast: boolean): Read =>
  async (files, purge) => {
    const run = new RunData('r', { purgeOrphanedData: purge });
    for (const file of files) {
      const reader = new RecordReader();
      const decoder = new EventFileDecoder();
      decoder.fastScalars = fast;
      reader.append(fs.readFileSync(file));
      for (let r = reader.next(); r !== undefined; r = reader.next()) {
        const scalar = decoder.scalarRecord(r.data);
        if (scalar !== undefined) run.addScalar(scalar);
        else for (const ev of decoder.decode(r.data, r.offset + 12)) run.addEvent(ev, file);
      }
    }
    return run;
  };

/** How many records the scanner's batches took while `read` ran. */
async function scannedRecords(read: () => Promise<unknown>): Promise<number> {
  const original = RunData.prototype.addScannedScalars;
  let count = 0;
  const spy = jest.spyOn(RunData.prototype, 'addScannedScalars').mockImplementation(function (
    this: RunData,
    batch,
    tags,
  ) {
    count += batch.count;
    original.call(this, batch, tags);
  });
  try {
    await read();
  } finally {
    spy.mockRestore();
  }
  return count;
}

/** The run's state, less the series' change counters (bumped per batch or per point). */
function state(run: RunData): Omit<RunState, 'series'> & { series: unknown[]; touched: string[] } {
  const s = run.toState();
  return { ...s, series: s.series.map(({ version: _, ...rest }) => rest), touched: [...run.touched] };
}

async function expectAgree(files: string[]): Promise<void> {
  for (const purge of [true, false]) {
    const expected = state(await recordByRecord(false)(files, purge));
    expect(state(await recordByRecord(true)(files, purge))).toEqual(expected);
    expect(state(await tailed(files, purge))).toEqual(expected);
  }
}

it('on every run of the fixture logdirs', async () => {
  let runs = 0;
  for (const logdir of fs.readdirSync(LOGDIRS)) {
    for (const run of await discoverRuns(path.join(LOGDIRS, logdir))) {
      await expectAgree(run.files);
      runs++;
    }
  }
  expect(runs).toBeGreaterThan(10);
});

describe('on restarts in runs of plain scalars', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherboard-readers-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, build: (b: RecordBuilder) => RecordBuilder): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, build(new RecordBuilder()).build());
    return file;
  };
  const steps = (from: number, to: number, b: RecordBuilder, tags = ['a', 'b']): RecordBuilder => {
    for (let s = from; s < to; s++) for (const tag of tags) b.event(scalarEvent(tag, s, s / 3));
    return b;
  };
  const START = { sessionLog: { status: 1 } };

  it('pre-v2: a step going back, in the middle of a scanned run', async () => {
    const file = write('v1', (b) => steps(3000, 3100, steps(0, 5000, b), ['a']));
    await expectAgree([file]);
    expect((await tailed([file], true)).purgedPoints).toBe(2000);
    expect(await scannedRecords(() => tailed([file], true))).toBeGreaterThan(5000);
  });

  it('v2: SessionLog.START between scanned runs, in two files', async () => {
    const first = write('v2a', (b) => steps(0, 4000, b.event({ fileVersion: 'brain.Event:2' }).event(START)));
    const second = write('v2b', (b) =>
      steps(2000, 2500, b.event({ fileVersion: 'brain.Event:2' }).event({ ...START, step: 2000 })),
    );
    await expectAgree([first, second]);
    expect((await tailed([first, second], true)).purgedPoints).toBe(2 * 2000);
    expect(await scannedRecords(() => tailed([first, second], true))).toBeGreaterThan(2 * 4000);
  });

  it('metadata on every value (PyTorch new_style), with a later plugin name ignored', async () => {
    const md = (pluginName: string) => ({ pluginData: { pluginName }, displayName: pluginName });
    const file = write('new-style', (b) => {
      for (let s = 0; s < 3000; s++) {
        const tensor = { dtype: 1, tensorShape: { dim: [] }, floatVal: [s / 7] };
        const metadata = md(s === 0 ? 'scalars' : s % 2 === 0 ? 'scalars' : 'histograms');
        b.event({ wallTime: 1 + s, step: s, summary: { value: [{ tag: 'loss', tensor, metadata }] } });
      }
      return b;
    });
    await expectAgree([file]);
    // The scanner's batches take the values after the first, their metadata passed over.
    expect(await scannedRecords(() => tailed([file], true))).toBe(2999);
    const run = await tailed([file], true);
    expect(run.series.get('loss')?.length).toBe(3000);
    expect(run.metadata.get('loss')?.pluginName).toBe('scalars');
  });
});
