import fc from 'fast-check';
import { maskedCrc32c } from '../../src/tfrecord/masked-crc';
import { RecordReader } from '../../src/tfrecord/record-reader';
import { WARNING_CODES, type DataWarning } from '../../src/warnings';
import { envInt, withinTime } from '../support/fuzz-bounded';
import { applyDamages, chunkPattern, damagesFor, fixtureFiles, splitBy } from '../support/fuzz-damage';

/**
 * Real event files, damaged at random, read whole and in random chunks.
 * FB_FUZZ_RUNS sets the number of cases per property (CI default below).
 */
const RUNS = envInt('FB_FUZZ_RUNS', 400);
/** A case that takes longer than this is a hang. */
const CASE_MS = 5000;

const files = fixtureFiles();
const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
/** Every payload of every fixture: a returned record must be one of these, never a forgery. */
const realPayloads = new Set(
  files.flatMap((f) => f.records.map((r) => latin1(f.bytes.subarray(r.offset + 12, r.offset + 12 + r.length)))),
);

interface ReadResult {
  records: { offset: number; data: string }[];
  warnings: DataWarning[];
}

/**
 * Feeds `chunks` to a reader, draining after each, and checks after every
 * step that it holds no more than it was given: a declared length is never
 * allocated ahead of the bytes.
 */
function read(chunks: Uint8Array[], handOver: (i: number) => boolean = () => false): ReadResult {
  const warnings: DataWarning[] = [];
  const onWarning = (w: DataWarning): number => warnings.push(w);
  let reader = new RecordReader({ file: 'f', onWarning });
  const records: ReadResult['records'] = [];
  let appended = 0;
  for (const [i, chunk] of chunks.entries()) {
    // Carry the read over to a fresh reader, as a worker thread hands a file back.
    if (handOver(i)) reader = new RecordReader({ file: 'f', onWarning, resume: reader.resumeState() });
    reader.append(chunk);
    appended += chunk.length;
    for (let r = reader.next(); r !== undefined; r = reader.next())
      records.push({ offset: r.offset, data: latin1(r.data) });
    if (reader.bufferedBytes > appended || reader.bufferedBytes !== appended - reader.offset) {
      throw new Error(
        `reader holds ${reader.bufferedBytes} bytes at offset ${reader.offset} after ${appended} appended`,
      );
    }
  }
  reader.finish();
  return { records, warnings };
}

const tally = { cases: 0, intact: 0, recovered: 0, mustSurvive: 0 };

afterAll(() => {
  const rate = tally.intact === 0 ? 1 : tally.recovered / tally.intact;
  console.log(
    `reader fuzz: ${tally.cases} damaged files, ` +
      `${tally.recovered}/${tally.intact} intact records recovered (${(rate * 100).toFixed(2)}%); ` +
      `${tally.mustSurvive} of them guaranteed by the framing, all kept`,
  );
});

describe('RecordReader on damaged real event files', () => {
  it('never throws or hangs, keeps what precedes the damage, resynchronises after it, reads chunked as whole', () => {
    const fileIndex = fc.integer({ min: 0, max: files.length - 1 });
    const scenario = fileIndex.chain((i) =>
      fc.tuple(fc.constant(i), damagesFor(files[i] as (typeof files)[number]), chunkPattern),
    );
    fc.assert(
      fc.property(scenario, ([i, damages, pattern]) => {
        const file = files[i] as (typeof files)[number];
        const damaged = applyDamages(file, damages);
        const [whole, chunked] = withinTime(
          CASE_MS,
          () => [read([damaged.bytes]), read(splitBy(damaged.bytes, pattern))] as const,
        );

        expect(chunked).toEqual(whole);
        const got = new Map(whole.records.map((r) => [r.offset, r.data]));
        for (const r of whole.records) expect(realPayloads.has(r.data)).toBe(true);
        for (const offset of damaged.mustSurvive) expect(got.has(offset)).toBe(true);
        let recovered = 0;
        for (const rec of damaged.intact) if (got.get(rec.offset) === latin1(rec.data)) recovered++;

        // Damage is never silent, and intact input never warns.
        let tiled = true;
        let at = 0;
        for (const r of whole.records) {
          tiled &&= r.offset === at;
          at = r.offset + 16 + r.data.length;
        }
        tiled &&= at === damaged.bytes.length;
        expect(whole.warnings.length > 0).toBe(!tiled);
        for (const w of whole.warnings) {
          expect(WARNING_CODES).toContain(w.code);
          expect(w.offset).toBeGreaterThanOrEqual(0);
          expect(w.offset).toBeLessThanOrEqual(damaged.bytes.length);
        }

        tally.cases++;
        tally.intact += damaged.intact.length;
        tally.recovered += recovered;
        tally.mustSurvive += damaged.mustSurvive.size;
      }),
      { numRuns: RUNS },
    );
  });

  it('reads the same when the read is handed over to a fresh reader at random points', () => {
    const fileIndex = fc.integer({ min: 0, max: files.length - 1 });
    const scenario = fileIndex.chain((i) =>
      fc.tuple(
        fc.constant(i),
        damagesFor(files[i] as (typeof files)[number]),
        chunkPattern,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
      ),
    );
    fc.assert(
      fc.property(scenario, ([i, damages, pattern, handOvers]) => {
        const damaged = applyDamages(files[i] as (typeof files)[number], damages);
        const chunks = splitBy(damaged.bytes, pattern);
        const [whole, handedOver] = withinTime(
          CASE_MS,
          () => [read([damaged.bytes]), read(chunks, (k) => handOvers[k % handOvers.length] === true)] as const,
        );
        expect(handedOver).toEqual(whole);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads pure noise without throwing, hanging or inventing records', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 8192 }), chunkPattern, (noise, pattern) => {
        const [whole, chunked] = withinTime(CASE_MS, () => [read([noise]), read(splitBy(noise, pattern))] as const);
        expect(chunked).toEqual(whole);
        expect(whole.records).toEqual([]);
        if (noise.length > 0) expect(whole.warnings.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });
});

/** A header whose length CRC verifies, declaring `length` bytes. */
function header(length: bigint): Uint8Array {
  const h = new Uint8Array(12);
  const view = new DataView(h.buffer);
  view.setBigUint64(0, length, true);
  view.setUint32(8, maskedCrc32c(h.subarray(0, 8)), true);
  return h;
}

describe('RecordReader and absurd declared lengths', () => {
  const MiB = 1024 * 1024;
  const real = files.reduce((a, b) => (a.bytes.length >= b.bytes.length ? a : b));

  it.each([
    ['900 MiB (under the 1 GiB limit: waits for bytes that never come)', 900n * 1024n * 1024n],
    ['2^40 (over the limit: skipped unread)', 2n ** 40n],
    ['2^64 - 1', 2n ** 64n - 1n],
  ])('a valid header declaring %s allocates only the bytes that arrive', (_label, length) => {
    const warnings: DataWarning[] = [];
    const reader = new RecordReader({ onWarning: (w) => warnings.push(w) });
    const before = process.memoryUsage().arrayBuffers;
    reader.append(header(length));
    let appended = 12;
    // A few MiB of real records behind it, in uneven chunks.
    for (let i = 0; i < 8; i++) {
      for (const chunk of splitBy(real.bytes, [1, 7, 4096, 13, 65536])) {
        reader.append(chunk);
        appended += chunk.length;
        expect(reader.next()).toBeUndefined();
        expect(reader.bufferedBytes).toBeLessThanOrEqual(appended);
      }
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(64 * MiB);
    reader.finish();
    expect(warnings.map((w) => w.code).pop()).toBe('TRUNCATED_TAIL');
  });
});
