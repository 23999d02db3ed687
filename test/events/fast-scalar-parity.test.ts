import fc from 'fast-check';
import { EventFileDecoder } from '../../src/events/decode-event';
import { protoType } from '../../src/protobuf/schema';
import type { DecodedEvent } from '../../src/events/types';
import type { DataWarning } from '../../src/warnings';
import { fixtureFiles } from '../support/fuzz-damage';

/**
 * The scalar fast path (the scanner's readRecord, used by EventFileDecoder) must give
 * exactly what the general protobuf path gives, record for record, on every
 * fixture file, on hand-made edge cases and on mangled scalar records.
 */
const Event = protoType('Event');

function decodeAll(datas: Uint8Array[], fast: boolean): { events: DecodedEvent[]; warnings: DataWarning[] } {
  const warnings: DataWarning[] = [];
  const decoder = new EventFileDecoder((w) => warnings.push(w), 'f');
  decoder.fastScalars = fast;
  const events: DecodedEvent[] = [];
  let offset = 0;
  for (const data of datas) {
    events.push(...decoder.decode(data, offset + 12));
    offset += data.length + 16;
  }
  return { events, warnings };
}

function expectParity(datas: Uint8Array[]): void {
  expect(decodeAll(datas, true)).toEqual(decodeAll(datas, false));
}

const encode = (e: Record<string, unknown>): Uint8Array => Event.encode(e).finish();
const scalarShape = { dim: [] };
const simple = (tag: string, step: number, simpleValue: number, wallTime = 1 + step) =>
  encode({ wallTime, step, summary: { value: [{ tag, simpleValue }] } });
const tensor = (tag: string, step: number, t: Record<string, unknown>, metadata?: Record<string, unknown>) =>
  encode({ wallTime: 2 + step, step, summary: { value: [{ tag, tensor: t, ...(metadata ? { metadata } : {}) }] } });
const scalarsMd = { pluginData: { pluginName: 'scalars' }, dataClass: 1 };

it('agrees on every record of every fixture file', () => {
  for (const file of fixtureFiles()) {
    expectParity(file.records.map((r) => file.bytes.subarray(r.offset + 12, r.offset + 12 + r.length)));
  }
});

it('agrees on edge cases: steps, dtypes, shapes, metadata, several values, odd tags', () => {
  const f32 = new Uint8Array(new Float32Array([1.5]).buffer);
  const f64 = new Uint8Array(new Float64Array([0.1]).buffer);
  const badUtf8Tag = simple('xx', 3, 1);
  badUtf8Tag[badUtf8Tag.indexOf(0x78)] = 0xff;
  expectParity([
    encode({ wallTime: 1, fileVersion: 'brain.Event:2' }),
    simple('a', 0, 1),
    simple('a', 1, NaN),
    simple('a', 2, -0),
    simple('a', 2 ** 31 + 5, Infinity),
    simple('a', 2 ** 49 + 1, 1),
    simple('a', 2 ** 60, 2),
    simple('a', -5, 3),
    simple('a', 7, 4, 0),
    simple('a', 8, 1e39),
    encode({
      step: 9,
      summary: {
        value: [
          { tag: 'a', simpleValue: 1 },
          { tag: 'b', simpleValue: 2 },
        ],
      },
    }),
    simple('b', 10, 3),
    encode({
      wallTime: 3,
      step: 11,
      summary: { value: [{ tag: 'a', simpleValue: 5, metadata: { displayName: 'late' } }] },
    }),
    encode({ wallTime: 3, step: 12, summary: { value: [{ nodeName: 'n', simpleValue: 5 }] } }),
    badUtf8Tag,
    badUtf8Tag,
    simple('ünï/実験', 1, 1),
    simple('ünï/実験', 2, 2),
    tensor('t', 0, { dtype: 1, tensorShape: scalarShape, floatVal: [1] }, scalarsMd),
    tensor('t', 1, { dtype: 1, tensorShape: scalarShape, floatVal: [2.5] }),
    tensor('t', 2, { dtype: 1, tensorShape: scalarShape, tensorContent: f32 }),
    tensor('t', 3, { dtype: 1, tensorShape: { dim: [{ size: 1 }] }, floatVal: [3] }),
    tensor('t', 4, { dtype: 2, tensorShape: scalarShape, doubleVal: [0.1] }),
    tensor('t', 5, { dtype: 2, tensorShape: scalarShape, tensorContent: f64 }),
    tensor('t', 6, { dtype: 3, tensorShape: scalarShape, intVal: [7] }),
    tensor('t', 7, { dtype: 1, tensorShape: scalarShape, floatVal: [1, 2] }),
    tensor('t', 8, { dtype: 1, tensorShape: scalarShape }),
    tensor('t', 9, { dtype: 2, tensorShape: scalarShape, floatVal: [1] }),
    tensor('t', 10, { dtype: 1, floatVal: [4] }),
    tensor(
      'd',
      0,
      { dtype: 2, tensorShape: scalarShape, doubleVal: [1e300] },
      { pluginData: { pluginName: 'scalars' } },
    ),
    tensor('d', 1, { dtype: 2, tensorShape: scalarShape, doubleVal: [-1e-310] }),
    simple('d', 2, 1),
    tensor(
      'h',
      0,
      { dtype: 2, tensorShape: { dim: [{ size: 1 }, { size: 3 }] }, doubleVal: [0, 1, 2] },
      { pluginData: { pluginName: 'histograms' }, dataClass: 2 },
    ),
    simple('h', 1, 1),
    tensor('h', 2, { dtype: 1, tensorShape: scalarShape, floatVal: [1] }),
    tensor(
      'g',
      0,
      { dtype: 7, tensorShape: scalarShape, stringVal: [new Uint8Array([1])] },
      { pluginData: { pluginName: 'graph_run_metadata' } },
    ),
    tensor('g', 1, { dtype: 1, tensorShape: scalarShape, floatVal: [1] }),
    encode({ wallTime: 5, step: 3, sessionLog: { status: 1 } }),
  ]);
});

it('agrees on mangled scalar records', () => {
  const base = [
    simple('loss', 0, 1),
    tensor('acc', 0, { dtype: 1, tensorShape: scalarShape, floatVal: [0.5] }, scalarsMd),
  ];
  const later = [
    simple('loss', 123456, 0.25),
    tensor('acc', 99, { dtype: 1, tensorShape: scalarShape, floatVal: [0.75] }),
  ];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.uint8Array({ minLength: 1, maxLength: 4 })), {
        minLength: 1,
        maxLength: 4,
      }),
      (which, edits) => {
        let data = new Uint8Array(later[which] as Uint8Array);
        for (const [at, op, bytes] of edits) {
          const p = data.length === 0 ? 0 : at % data.length;
          if (op === 0 && data.length > 0) data[p] = (data[p] as number) ^ ((bytes[0] as number) || 1);
          else if (op === 1) data = data.subarray(0, p);
          else data = Uint8Array.from([...data.subarray(0, p), ...bytes, ...data.subarray(p)]);
        }
        expectParity([...base, data, data]);
      },
    ),
    { numRuns: 2000 },
  );
});

it('agrees on mangled first values (with metadata) and file_version events', () => {
  const firsts = [
    tensor(
      'acc',
      0,
      { dtype: 1, tensorShape: scalarShape, floatVal: [0.5] },
      {
        pluginData: { pluginName: 'scalars', content: Uint8Array.of(8, 1) },
        displayName: 'Acc',
        summaryDescription: 'd',
        dataClass: 1,
      },
    ),
    encode({
      wallTime: 1,
      step: 0,
      summary: {
        value: [{ tag: 'loss', simpleValue: 1, metadata: { displayName: 'Loss', pluginData: { pluginName: 'x' } } }],
      },
    }),
    encode({ wallTime: 1.5, fileVersion: 'brain.Event:2' }),
  ];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: firsts.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.uint8Array({ minLength: 1, maxLength: 4 })), {
        minLength: 1,
        maxLength: 3,
      }),
      (which, edits) => {
        let data = new Uint8Array(firsts[which] as Uint8Array);
        for (const [at, op, bytes] of edits) {
          const p = data.length === 0 ? 0 : at % data.length;
          if (op === 0 && data.length > 0) data[p] = (data[p] as number) ^ ((bytes[0] as number) || 1);
          else if (op === 1) data = data.subarray(0, p);
          else data = Uint8Array.from([...data.subarray(0, p), ...bytes, ...data.subarray(p)]);
        }
        expectParity([
          data,
          data,
          simple('loss', 1, 2),
          tensor('acc', 1, { dtype: 1, tensorShape: scalarShape, floatVal: [0.25] }),
        ]);
      },
    ),
    { numRuns: 3000 },
  );
});
