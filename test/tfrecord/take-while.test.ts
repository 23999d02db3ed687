import fc from 'fast-check';
import { encodeRecord } from '../../src/tfrecord/encode-record';
import { RecordReader, type RecordConsumer } from '../../src/tfrecord/record-reader';
import { ScalarScanner, type ScanLimits } from '../../src/events/scalar-scanner';
import type { DataWarning } from '../../src/warnings';
import { scalarRecord } from '../server/support/event-writer';
import { applyDamages, chunkPattern, damagesFor, fixtureFiles, splitBy } from '../support/fuzz-damage';

/**
 * The loader's tight loop (RecordReader.takeWhile with the scalar scanner of
 * events/) takes plain scalar records straight from the reader's buffer,
 * scanned in WebAssembly and grouped by tag, and leaves the rest to next(). Together they must read exactly what next()
 * alone reads — each tag's points in the same order, every other record in
 * the same order, the same warnings, the same state left — on damaged files
 * in any chunking, whichever tags the consumer takes, watching steps or not.
 */
const files = fixtureFiles();
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

interface Read {
  /** Plain scalar points by tag, in order: [step, wall time, value, dtype]. */
  points: Record<string, [number, number, number, number][]>;
  /** Every other record, in order. */
  others: string[];
  warnings: DataWarning[];
  offset: number;
  buffered: number;
}

const scanner = ScalarScanner.shared();

it('finds the WebAssembly scanner (npm run build makes it)', () => {
  expect(scanner).toBeDefined();
});

function read(chunks: Uint8Array[], takes: ((tag: string) => boolean) | undefined, watchSteps: boolean): Read {
  const warnings: DataWarning[] = [];
  const reader = new RecordReader({ file: 'f', onWarning: (w) => warnings.push(w) });
  const out: Read = { points: {}, others: [], warnings, offset: 0, buffered: 0 };
  let lastStep = -1;
  const add = (tag: string, point: [number, number, number, number]): void => {
    (out.points[tag] ??= []).push(point);
    lastStep = point[0];
  };
  const limits: ScanLimits = { token: scanner.newToken(), stepFloor: -1, watchSteps };
  const acceptTag = (id: number): boolean => {
    const tag = scanner.tagText(id);
    if (takes === undefined || tag === undefined || !takes(tag)) return false;
    scanner.accept(limits.token, id);
    return true;
  };
  // As the loader's tailer does: scan, hand over the batch, go on while it stopped for room or a tag was just taken.
  const take: RecordConsumer = {
    takeRecords(buf, from, maxRecordBytes) {
      limits.stepFloor = lastStep;
      const batch = scanner.scan(buf, from, maxRecordBytes, limits);
      for (let g = 0; g < batch.groupCount; g++) {
        const tag = scanner.tagText(batch.groupTags[g] as number) as string;
        const start = batch.groupStarts[g] as number;
        for (let i = start; i < start + (batch.groupLengths[g] as number); i++) {
          (out.points[tag] ??= []).push([
            batch.steps[i] as number,
            batch.wallTimes[i] as number,
            batch.values[i] as number,
            batch.dtypes[i] as number,
          ]);
        }
      }
      if (batch.count > 0) lastStep = batch.lastStep;
      const again = batch.more || (batch.stoppedAtTag >= 0 && acceptTag(batch.stoppedAtTag));
      return { end: batch.count > 0 ? batch.end : from, again };
    },
  };
  for (const chunk of chunks) {
    reader.append(chunk);
    for (;;) {
      if (takes !== undefined) reader.takeWhile(take);
      const r = reader.next();
      if (r === undefined) break;
      const plain = scanner.readRecord(r.data);
      if (plain?.kind === 'scalar') add(plain.tag, [plain.step, plain.wallTime, plain.value, plain.dtype]);
      else out.others.push(latin1(r.data));
    }
  }
  reader.finish();
  out.offset = reader.offset;
  out.buffered = reader.bufferedBytes;
  return out;
}

it('takeWhile + next reads damaged files in any chunking exactly as next alone', () => {
  const fileIndex = fc.integer({ min: 0, max: files.length - 1 });
  const scenario = fileIndex.chain((i) =>
    fc.tuple(
      fc.constant(i),
      damagesFor(files[i] as (typeof files)[number]),
      chunkPattern,
      fc.integer({ min: 1, max: 5 }),
      fc.boolean(),
    ),
  );
  fc.assert(
    fc.property(scenario, ([i, damages, pattern, modulus, watchSteps]) => {
      const damaged = applyDamages(files[i] as (typeof files)[number], damages);
      const chunks = splitBy(damaged.bytes, pattern);
      // The consumer takes some tags only (as the loader takes scalars series only).
      const takes = (tag: string): boolean => tag.length % modulus !== 0;
      expect(read(chunks, takes, watchSteps)).toEqual(read([damaged.bytes], undefined, false));
    }),
    { numRuns: 300 },
  );
});

it('stops at a step going back when asked, and only then', () => {
  const bytes = Buffer.concat([0, 1, 2, 3, 1, 2].map((step) => scalarRecord('x', step, step)));
  for (const watchSteps of [true, false]) {
    const reader = new RecordReader();
    reader.append(bytes);
    const taken: number[][] = [];
    const limits: ScanLimits = { token: scanner.newToken(), stepFloor: -1, watchSteps };
    reader.takeWhile({
      takeRecords(buf, from, maxRecordBytes) {
        const batch = scanner.scan(buf, from, maxRecordBytes, limits);
        if (batch.count > 0) {
          taken.push(Array.from(batch.steps.subarray(0, batch.count)));
          limits.stepFloor = batch.lastStep;
        }
        const again = batch.stoppedAtTag >= 0;
        if (again) scanner.accept(limits.token, batch.stoppedAtTag);
        return { end: batch.count > 0 ? batch.end : from, again };
      },
    });
    expect(taken).toEqual(watchSteps ? [[0, 1, 2, 3]] : [[0, 1, 2, 3, 1, 2]]);
  }
});

it('scans a buffer longer than its window in several passes, and leaves a huge record to next()', () => {
  const scalars = Buffer.concat(Array.from({ length: 60_000 }, (_, i) => scalarRecord('x', i, i)));
  expect(scalars.length).toBeGreaterThan(2 * 1024 * 1024);
  // A 2 MB record that is not a plain scalar (its payload is no Event): next() reports it.
  const huge = encodeRecord(new Uint8Array(2 * 1024 * 1024).fill(7));
  const reader = new RecordReader();
  reader.append(Buffer.concat([scalars, huge, scalars]));
  const limits: ScanLimits = { token: scanner.newToken(), stepFloor: -1, watchSteps: false };
  let taken = 0;
  const consumer: RecordConsumer = {
    takeRecords(buf, from, maxRecordBytes) {
      const batch = scanner.scan(buf, from, maxRecordBytes, limits);
      taken += batch.count;
      let again = batch.more;
      if (!again && batch.stoppedAtTag >= 0) {
        scanner.accept(limits.token, batch.stoppedAtTag);
        again = true;
      }
      return { end: batch.count > 0 ? batch.end : from, again };
    },
  };
  const others: number[] = [];
  for (;;) {
    reader.takeWhile(consumer);
    const r = reader.next();
    if (r === undefined) break;
    others.push(r.data.length);
  }
  expect(taken).toBe(120_000);
  expect(others).toEqual([2 * 1024 * 1024]);
});
