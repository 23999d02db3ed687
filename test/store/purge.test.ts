import { EventFileDecoder } from '../../src/events/decode-event';
import { RunData } from '../../src/store/run-data';
import { parseFileVersion } from '../../src/store/restart-purge';
import { RecordReader } from '../../src/tfrecord/record-reader';
import { RecordBuilder, scalarEvent } from '../support/record-builder';

/** Feed hand-made events through the real reader and decoder into one run. */
function runOf(build: (b: RecordBuilder) => RecordBuilder, purge = true): RunData {
  const bytes = build(new RecordBuilder()).build();
  const reader = new RecordReader();
  const decoder = new EventFileDecoder();
  const run = new RunData('r', { purgeOrphanedData: purge });
  reader.append(bytes);
  for (let r = reader.next(); r !== undefined; r = reader.next())
    for (const ev of decoder.decode(r.data, r.offset + 12)) run.addEvent(ev, 'f');
  return run;
}

const steps = (run: RunData, tag: string): number[] => Array.from(run.series.get(tag)?.steps.view() ?? []);
const START = { sessionLog: { status: 1 } };

describe('restart purging (file_version 2 and later)', () => {
  const restarted = (b: RecordBuilder): RecordBuilder => {
    b.event({ wallTime: 1, fileVersion: 'brain.Event:2' }).event({ ...START, step: 0 });
    for (let s = 0; s < 6; s++) b.event(scalarEvent('a', s, s)).event(scalarEvent('b', s, s));
    return b.event({ ...START, step: 3 }).event(scalarEvent('a', 3, 30));
  };

  it('ignores the first START and drops every tag at steps ≥ a later START', () => {
    const run = runOf(restarted);
    expect(steps(run, 'a')).toEqual([0, 1, 2, 3]);
    expect(steps(run, 'b')).toEqual([0, 1, 2]);
    expect(run.series.get('a')?.values.get(3)).toBe(30);
    expect(run.purgedPoints).toBe(6);
  });

  it('keeps everything with purging off', () => {
    expect(steps(runOf(restarted, false), 'a')).toEqual([0, 1, 2, 3, 4, 5, 3]);
  });

  it('does not purge on out-of-order steps when the file has a version', () => {
    const run = runOf((b) =>
      b
        .event({ fileVersion: 'brain.Event:2' })
        .event(scalarEvent('a', 5, 1))
        .event(scalarEvent('a', 2, 1)),
    );
    expect(steps(run, 'a')).toEqual([5, 2]);
  });
});

describe('out-of-order purging (no file version)', () => {
  it("drops only the out-of-order event's tags at steps ≥ its step", () => {
    const run = runOf((b) => {
      for (let s = 0; s < 5; s++) b.event(scalarEvent('a', s, s)).event(scalarEvent('b', s, s));
      return b.event(scalarEvent('a', 2, 20));
    });
    expect(steps(run, 'a')).toEqual([0, 1, 2]);
    expect(run.series.get('a')?.values.get(2)).toBe(20);
    expect(steps(run, 'b')).toEqual([0, 1, 2, 3, 4]);
  });

  it('treats a version before 2 like no version', () => {
    const run = runOf((b) =>
      b
        .event({ fileVersion: 'brain.Event:1' })
        .event(scalarEvent('a', 5, 1))
        .event(scalarEvent('a', 2, 1)),
    );
    expect(steps(run, 'a')).toEqual([2]);
  });
});

describe('parseFileVersion', () => {
  it.each([
    ['brain.Event:2', 2],
    ['brain.Event:1', 1],
    ['brain.Event:2.5', 2.5],
    ['garbage', -1],
    ['brain.Event:', -1],
  ])('%s → %p', (text, version) => {
    expect(parseFileVersion(text)).toBe(version);
  });
});

describe('steps', () => {
  it('keeps int64 steps beyond 2^31 exactly, and warns once past 2^53', () => {
    const warnings: string[] = [];
    const reader = new RecordReader();
    const decoder = new EventFileDecoder((w) => warnings.push(w.code));
    reader.append(
      new RecordBuilder()
        .event(scalarEvent('a', 2 ** 31 + 5, 1))
        .event(scalarEvent('a', 2 ** 40, 1))
        .event({ step: '18014398509481985', summary: { value: [{ tag: 'a', simpleValue: 1 }] } })
        .event({ step: '18014398509481987', summary: {} })
        .build(),
    );
    const out: number[] = [];
    for (let r = reader.next(); r !== undefined; r = reader.next())
      for (const ev of decoder.decode(r.data, r.offset + 12)) out.push(ev.step);
    expect(out.slice(0, 2)).toEqual([2 ** 31 + 5, 2 ** 40]);
    expect(out[2]).toBe(2 ** 54);
    expect(warnings).toEqual(['STEP_PRECISION_LOSS']);
  });
});
