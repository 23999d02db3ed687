import fc from 'fast-check';
import { PLUGIN } from '../../src/events/plugins';
import { protoType } from '../../src/protobuf/schema';

/**
 * Arbitraries of Event records for fuzzing: well-formed protobufs (in
 * protobufjs object form, then encoded) whose contents are hostile.
 */
const Event = protoType('Event');

/** int64 fields: small, negative, and beyond 2^53. */
export const int64 = fc.oneof(
  fc.integer({ min: -5, max: 1000 }),
  fc.constantFrom('9007199254740993', '-9223372036854775808', '9223372036854775807', '4294967296'),
);
const dimSize = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -2, max: 6 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2147483648',
      '1099511627776',
      '9007199254740993',
      '9223372036854775807',
      '-9223372036854775808',
      '100000000',
    ),
  },
);
const tensor = fc.record(
  {
    dtype: fc.oneof(fc.integer({ min: 0, max: 24 }), fc.constantFrom(101, 1000)),
    tensorShape: fc.record(
      { dim: fc.array(fc.record({ size: dimSize }), { maxLength: 4 }), unknownRank: fc.boolean() },
      { requiredKeys: [] },
    ),
    tensorContent: fc.uint8Array({ maxLength: 48 }),
    floatVal: fc.array(fc.float(), { maxLength: 6 }),
    doubleVal: fc.array(fc.double(), { maxLength: 6 }),
    intVal: fc.array(fc.integer(), { maxLength: 6 }),
    int64Val: fc.array(int64, { maxLength: 4 }),
    uint64Val: fc.array(fc.constantFrom('0', '18446744073709551615', '9007199254740993'), { maxLength: 3 }),
    boolVal: fc.array(fc.boolean(), { maxLength: 4 }),
    halfVal: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 4 }),
    stringVal: fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 4 }),
  },
  { requiredKeys: [] },
);
const metadata = fc.record(
  {
    pluginData: fc.record(
      {
        pluginName: fc.oneof(fc.constantFrom(...Object.values(PLUGIN)), fc.string({ maxLength: 8 })),
        content: fc.uint8Array({ maxLength: 32 }),
      },
      { requiredKeys: [] },
    ),
    displayName: fc.string({ maxLength: 8 }),
    dataClass: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: [] },
);
const summaryValue = fc
  .record(
    {
      tag: fc.constantFrom('a', 'b', '', 'loss/x', '\u0000'),
      nodeName: fc.constantFrom('n', ''),
      metadata,
      content: fc.oneof(
        fc.record({ simpleValue: fc.float() }),
        fc.record({ tensor }),
        fc.record({
          histo: fc.record(
            {
              min: fc.double(),
              max: fc.double(),
              bucketLimit: fc.array(fc.double(), { maxLength: 6 }),
              bucket: fc.array(fc.double(), { maxLength: 6 }),
            },
            { requiredKeys: [] },
          ),
        }),
        fc.record({
          image: fc.record(
            { width: fc.integer(), height: fc.integer(), encodedImageString: fc.uint8Array({ maxLength: 80 }) },
            { requiredKeys: [] },
          ),
        }),
        fc.record({
          audio: fc.record(
            { sampleRate: fc.float(), encodedAudioString: fc.uint8Array({ maxLength: 80 }) },
            { requiredKeys: [] },
          ),
        }),
        fc.constant({}),
      ),
    },
    { requiredKeys: ['tag', 'content'] },
  )
  .map(({ content, ...rest }) => ({ ...rest, ...content }));
/** A well-formed Event that says absurd things: huge shapes, odd dtypes, int64 extremes, random plugin data. */
export const hostileEvent: fc.Arbitrary<Uint8Array> = fc
  .record({
    wallTime: fc.double(),
    step: int64,
    what: fc.oneof(
      fc.record({
        fileVersion: fc.constantFrom(
          'brain.Event:2',
          'brain.Event:1',
          'brain.Event:',
          'brain.Event:nan',
          'garbage',
          '',
        ),
      }),
      { weight: 4, arbitrary: fc.record({ summary: fc.record({ value: fc.array(summaryValue, { maxLength: 4 }) }) }) },
      fc.record({ sessionLog: fc.record({ status: fc.integer({ min: 0, max: 5 }) }) }),
      fc.record({ graphDef: fc.uint8Array({ maxLength: 100 }) }),
      fc.record({ metaGraphDef: fc.uint8Array({ maxLength: 100 }) }),
      fc.record({
        taggedRunMetadata: fc.record({
          tag: fc.string({ maxLength: 4 }),
          runMetadata: fc.uint8Array({ maxLength: 100 }),
        }),
      }),
    ),
  })
  .map(({ what, ...rest }) => Event.encode(Event.fromObject({ ...rest, ...what })).finish());
