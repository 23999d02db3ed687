import fc from 'fast-check';
import { EventFileDecoder } from '../../src/events/decode-event';
import { protoType } from '../../src/protobuf/schema';
import type { DecodedEvent } from '../../src/events/types';
import { RunData } from '../../src/store/run-data';
import { WARNING_CODES, type DataWarning } from '../../src/warnings';
import { envInt, withinTime } from '../support/fuzz-bounded';
import { fixtureFiles } from '../support/fuzz-damage';
import { hostileEvent, int64 } from '../support/fuzz-events';

/**
 * EventFileDecoder (and the RunData it feeds) on hostile payloads: real
 * records mangled at random, and well-formed protobufs saying absurd things
 * (huge shapes, odd dtypes, int64 extremes). Nothing may throw, hang, or
 * allocate what a few bytes merely declare.
 */
const RUNS = envInt('FB_FUZZ_RUNS', 400);
const CASE_MS = 5000;
const MiB = 1024 * 1024;
const Event = protoType('Event');

const payloads = fixtureFiles().flatMap((f) =>
  f.records.map((r) => ({
    data: f.bytes.subarray(r.offset + 12, r.offset + 12 + r.length),
    dataOffset: r.offset + 12,
  })),
);

/** Decodes every payload with one decoder (as one file) into a run; returns the events and warnings. */
function decodeAll(datas: Uint8Array[]): { events: DecodedEvent[]; warnings: DataWarning[] } {
  const warnings: DataWarning[] = [];
  const decoder = new EventFileDecoder((w) => warnings.push(w), 'f');
  const run = new RunData('r');
  const events: DecodedEvent[] = [];
  let offset = 0;
  for (const data of datas) {
    for (const ev of decoder.decode(data, offset + 12)) {
      run.addEvent(ev, 'f');
      events.push(ev);
    }
    offset += data.length + 16;
  }
  for (const w of warnings) expect(WARNING_CODES).toContain(w.code);
  return { events, warnings };
}

/** Runs `fn` under the time bound and checks it allocated no more than `maxBytes` of buffers. */
function bounded<T>(maxBytes: number, fn: () => T): T {
  const before = process.memoryUsage().arrayBuffers;
  const result = withinTime(CASE_MS, fn);
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(maxBytes);
  return result;
}

describe('EventFileDecoder on mangled real payloads', () => {
  it('never throws on bit flips, cuts and inserted bytes', () => {
    const mangled = fc
      .tuple(
        fc.integer({ min: 0, max: payloads.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.uint8Array({ minLength: 1, maxLength: 8 })), {
          minLength: 1,
          maxLength: 6,
        }),
      )
      .map(([i, edits]) => {
        let data = new Uint8Array((payloads[i] as { data: Uint8Array }).data);
        for (const [at, op, bytes] of edits) {
          const p = data.length === 0 ? 0 : at % data.length;
          if (op === 0 && data.length > 0) data[p] = (data[p] as number) ^ ((bytes[0] as number) || 1);
          else if (op === 1) data = data.subarray(0, p);
          else data = Uint8Array.from([...data.subarray(0, p), ...bytes, ...data.subarray(p)]);
        }
        return data;
      });
    fc.assert(
      fc.property(fc.array(mangled, { minLength: 1, maxLength: 8 }), (datas) => {
        bounded(64 * MiB, () => decodeAll(datas));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('EventFileDecoder on well-formed events that declare absurd things', () => {
  it('never throws, hangs, or allocates a declared shape it was not given', () => {
    fc.assert(
      fc.property(fc.array(hostileEvent, { minLength: 1, maxLength: 12 }), (datas) => {
        bounded(64 * MiB, () => decodeAll(datas));
      }),
      { numRuns: RUNS },
    );
  });
});

// Scalar events in the many wire forms writers use, some of them odd: the
// fast wire path must agree with the general decoder on every one.
const scalarTensor = fc.oneof(
  // What TF2 writes: a rank-0 float or double with one value.
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.record({ dtype: fc.constant(1), floatVal: fc.tuple(fc.float()) }),
      fc.record({ dtype: fc.constant(2), doubleVal: fc.tuple(fc.double()) }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        dtype: fc.constantFrom(1, 2, 3, 19),
        tensorShape: fc.oneof(
          fc.constant({}),
          fc.record({ dim: fc.array(fc.record({ size: fc.integer({ min: 0, max: 2 }) }), { maxLength: 1 }) }),
        ),
        floatVal: fc.array(fc.float(), { maxLength: 2 }),
        doubleVal: fc.array(fc.double(), { maxLength: 2 }),
        tensorContent: fc.uint8Array({ maxLength: 9 }),
      },
      { requiredKeys: ['dtype'] },
    ),
  },
);
const scalarValue = fc
  .record(
    {
      tag: fc.constantFrom('loss', 'acc', 'ü/実'),
      metadata: fc.option(
        fc.record(
          {
            pluginData: fc.record({ pluginName: fc.constantFrom('scalars', 'histograms', '') }),
            dataClass: fc.integer({ min: 0, max: 3 }),
          },
          { requiredKeys: [] },
        ),
        { freq: 4, nil: undefined },
      ),
      v: fc.oneof(fc.record({ simpleValue: fc.float() }), fc.record({ tensor: scalarTensor })),
    },
    { requiredKeys: ['tag', 'v', 'metadata'] },
  )
  .map(({ v, metadata, ...rest }) => ({ ...rest, ...v, ...(metadata === undefined ? {} : { metadata }) }));
const scalarEvent = fc
  .record({
    wallTime: fc.oneof(fc.double(), fc.constant(undefined)),
    step: fc.oneof({ weight: 4, arbitrary: fc.nat(100_000) }, int64, fc.constant(undefined)),
    summary: fc.record({
      value: fc.oneof({ weight: 4, arbitrary: fc.tuple(scalarValue) }, fc.array(scalarValue, { maxLength: 3 })),
    }),
  })
  .map((o) => Event.encode(Event.fromObject(o)).finish());
/** Sometimes a byte flipped or the message cut: odd wire forms the fast path must decline or read exactly. */
const scalarBytes = fc
  .tuple(scalarEvent, fc.nat(), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 255 }))
  .map(([data, at, op, x]) => {
    const out = new Uint8Array(data);
    if (out.length === 0) return out;
    if (op === 0) out[at % out.length] = (out[at % out.length] as number) ^ x;
    if (op === 1) return out.subarray(0, at % out.length);
    return out;
  });

describe('EventFileDecoder fast scalar path', () => {
  it('decodes exactly as the general decoder', () => {
    const decodeWith = (fast: boolean, datas: Uint8Array[]): { events: DecodedEvent[]; warnings: DataWarning[] } => {
      const warnings: DataWarning[] = [];
      const decoder = new EventFileDecoder((w) => warnings.push(w), 'f');
      decoder.fastScalars = fast;
      let offset = 0;
      const events: DecodedEvent[] = [];
      for (const data of datas) {
        events.push(...decoder.decode(data, offset + 12));
        offset += data.length + 16;
      }
      return { events, warnings };
    };
    fc.assert(
      fc.property(fc.array(scalarBytes, { minLength: 4, maxLength: 24 }), (datas) => {
        const [fast, general] = withinTime(CASE_MS, () => [decodeWith(true, datas), decodeWith(false, datas)] as const);
        expect(fast).toEqual(general);
      }),
      { numRuns: RUNS },
    );
  });
});
