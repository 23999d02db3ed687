import { ScalarScanner } from '../../src/events/scalar-scanner';
import { DT } from '../../src/events/types';
import { protoType } from '../../src/protobuf/schema';

/**
 * The scanner's single-record reader: what it reads of a plain scalar or
 * file_version event, and what it leaves to the general decoder. (Its parity
 * with the general decoder is fuzzed in fast-scalar-parity.test.ts and
 * reliability/event-decoder-fuzz.test.ts; its batches in
 * tfrecord/take-while.test.ts.)
 */
const scanner = ScalarScanner.shared();
const Event = protoType('Event');
const encode = (e: Record<string, unknown>): Uint8Array => Event.encode(Event.fromObject(e)).finish();

it('reads a tensor scalar with its metadata, copying what it keeps', () => {
  const data = encode({
    wallTime: 12.5,
    step: 7,
    summary: {
      value: [
        {
          tag: 'train/loss',
          tensor: { dtype: DT.DOUBLE, tensorShape: {}, doubleVal: [0.1] },
          metadata: {
            pluginData: { pluginName: 'scalars', content: Uint8Array.of(8, 1) },
            displayName: 'Loss',
            summaryDescription: '**d**',
            dataClass: 1,
          },
        },
      ],
    },
  });
  const plain = scanner.readRecord(data);
  expect(plain).toEqual({
    kind: 'scalar',
    wallTime: 12.5,
    step: 7,
    tag: 'train/loss',
    simple: false,
    dtype: DT.DOUBLE,
    value: 0.1,
    metadata: {
      pluginName: 'scalars',
      pluginContent: Uint8Array.of(8, 1),
      displayName: 'Loss',
      description: '**d**',
      dataClass: 1,
    },
    version: expect.any(String),
  });
  const content = plain?.metadata?.pluginContent as Uint8Array;
  scanner.readRecord(encode({ step: 1, summary: { value: [{ tag: 'x', simpleValue: 2 }] } }));
  expect(Array.from(content)).toEqual([8, 1]);
});

it('reads simple_value and file_version events', () => {
  expect(scanner.readRecord(encode({ step: 3, summary: { value: [{ tag: 'a', simpleValue: 0.5 }] } }))).toMatchObject({
    kind: 'scalar',
    tag: 'a',
    simple: true,
    dtype: DT.FLOAT,
    value: 0.5,
    metadata: undefined,
  });
  expect(scanner.readRecord(encode({ wallTime: 1.5, fileVersion: 'brain.Event:2' }))).toMatchObject({
    kind: 'file_version',
    wallTime: 1.5,
    step: 0,
    version: 'brain.Event:2',
  });
});

it.each([
  [
    'two values',
    {
      summary: {
        value: [
          { tag: 'a', simpleValue: 1 },
          { tag: 'b', simpleValue: 2 },
        ],
      },
    },
  ],
  ['a histogram', { summary: { value: [{ tag: 'h', histo: { min: 0 } }] } }],
  [
    'a rank-1 tensor',
    { summary: { value: [{ tag: 't', tensor: { dtype: 1, tensorShape: { dim: [{ size: 1 }] } } }] } },
  ],
  ['an int tensor', { summary: { value: [{ tag: 't', tensor: { dtype: 3, tensorShape: {}, intVal: [1] } }] } }],
  ['a step beyond 2^49', { step: 2 ** 50, summary: { value: [{ tag: 'a', simpleValue: 1 }] } }],
  ['an empty tag', { summary: { value: [{ tag: '', simpleValue: 1 }] } }],
  ['a session log', { sessionLog: { status: 1 } }],
  ['a graph', { graphDef: Uint8Array.of(1, 2, 3) }],
  [
    'an Event field besides them',
    { sourceMetadata: { writer: 'w' }, summary: { value: [{ tag: 'a', simpleValue: 1 }] } },
  ],
])('leaves %s to the general decoder', (_what, event) => {
  expect(scanner.readRecord(encode(event))).toBeUndefined();
});

it('leaves text that is not UTF-8, and payloads over 64 KiB, to the general decoder', () => {
  const badTag = encode({ summary: { value: [{ tag: 'xy', simpleValue: 1 }] } });
  badTag[badTag.indexOf(0x78)] = 0xff;
  expect(scanner.readRecord(badTag)).toBeUndefined();
  const big = encode({
    summary: {
      value: [
        {
          tag: 'a',
          simpleValue: 1,
          metadata: { pluginData: { pluginName: 'scalars', content: new Uint8Array(70_000) } },
        },
      ],
    },
  });
  expect(scanner.readRecord(big)).toBeUndefined();
  expect(scanner.readRecord(big.subarray(0, 0))).toBeUndefined();
});
