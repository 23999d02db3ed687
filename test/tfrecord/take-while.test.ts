import fc from 'fast-check';
import { RecordReader, type RecordConsumer } from '../../src/tfrecord/record-reader';
import type { DataWarning } from '../../src/warnings';
import { applyDamages, chunkPattern, damagesFor, fixtureFiles, splitBy } from '../support/fuzz-damage';

/**
 * The loader's tight loop (takeWhile) takes plain scalar records straight
 * from the reader's buffer, scanned in WebAssembly, and leaves the rest to
 * next(): together they must read exactly what next() alone reads — same
 * records in the same order, same warnings, same state left — on damaged
 * files in any chunking.
 */
const files = fixtureFiles();
/** The buffer the reader scans (batch positions index it). */
const bufferOf = (reader: RecordReader): Uint8Array => (reader as unknown as { buf: Uint8Array }).buf;
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

interface Read {
  records: string[];
  warnings: DataWarning[];
  offset: number;
  buffered: number;
}

function read(chunks: Uint8Array[], consumer: ((data: Uint8Array) => boolean) | undefined): Read {
  const warnings: DataWarning[] = [];
  const reader = new RecordReader({ file: 'f', onWarning: (w) => warnings.push(w) });
  const records: string[] = [];
  const take: RecordConsumer = {
    takeScalars(batch) {
      const buf = bufferOf(reader);
      for (let i = 0; i < batch.count; i++) {
        const data = buf.subarray(batch.start(i) + 12, batch.end(i) - 4);
        if (consumer === undefined || !consumer(data)) return i;
        records.push(latin1(data));
      }
      return batch.count;
    },
  };
  for (const chunk of chunks) {
    reader.append(chunk);
    for (;;) {
      if (consumer !== undefined) reader.takeWhile(take);
      const r = reader.next();
      if (r === undefined) break;
      records.push(latin1(r.data));
    }
  }
  reader.finish();
  return { records, warnings, offset: reader.offset, buffered: reader.bufferedBytes };
}

it('takeWhile + next reads damaged files in any chunking exactly as next alone', () => {
  const fileIndex = fc.integer({ min: 0, max: files.length - 1 });
  const scenario = fileIndex.chain((i) => fc.tuple(fc.constant(i), damagesFor(files[i] as (typeof files)[number]), chunkPattern, fc.integer({ min: 1, max: 5 })));
  fc.assert(
    fc.property(scenario, ([i, damages, pattern, modulus]) => {
      const damaged = applyDamages(files[i] as (typeof files)[number], damages);
      const chunks = splitBy(damaged.bytes, pattern);
      // The consumer declines some records (as the loader declines non-scalar ones).
      const accepts = (data: Uint8Array): boolean => data.length % modulus !== 0;
      expect(read(chunks, accepts)).toEqual(read([damaged.bytes], undefined));
    }),
    { numRuns: 300 },
  );
});
