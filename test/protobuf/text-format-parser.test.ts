import { parseTextFormat, TextProtoError, type MessageSpec } from '../../src/protobuf/text-format-parser';

/** The text-format parser on a small schema of its own: syntax, escapes, and its strictness. */
const INNER: MessageSpec = {
  typeName: 'test.Inner',
  fields: { name: { key: 'name', type: 'string', repeated: false } },
  create: () => ({ name: '' }),
};
const OUTER: MessageSpec = {
  typeName: 'test.Outer',
  fields: {
    title: { key: 'title', type: 'string', repeated: false },
    size: { key: 'size', type: 'uint32', repeated: true },
    inner: { key: 'inner', type: 'message', repeated: true, message: INNER },
    only: { key: 'only', type: 'message', repeated: false, message: INNER },
  },
  create: () => ({ title: '', size: [], inner: [] }),
};

const parse = (text: string): Record<string, unknown> => parseTextFormat(text, OUTER);

it('reads fields, nested messages in either bracket, lists, comments and separators', () => {
  expect(
    parse(
      [
        '# a comment',
        'title: "t" ; size: 3, size: [0x10, 010, 7]',
        'inner { name: "a" }',
        'inner: < name: "b" >',
        'inner: [{ name: "c" }, { name: \'d\' }]',
        'only { }',
      ].join('\n'),
    ),
  ).toEqual({
    title: 't',
    size: [3, 16, 8, 7],
    inner: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
    only: { name: '' },
  });
});

it('reads C escapes and joins adjacent strings', () => {
  expect(parse(String.raw`title: "\101\x42\u00e9\U0001F600\n\t\"" '\'' "x"`).title).toBe('ABé😀\n\t"\'x');
  expect(parse('title: "ünï"').title).toBe('ünï');
});

it.each([
  ['colour: 3', /line 1: message type "test.Outer" has no field named "colour"/],
  ['title: "a"\ntitle: "b"', /line 2: .*should not have multiple "title" fields/],
  ['only {} only {}', /should not have multiple "only" fields/],
  [String.raw`title: "\377"`, /not valid UTF-8/],
  ['title: "open', /line 1: unterminated string/],
  ['size: 4294967296', /out of range for uint32/],
  ['size: -1', /expected an unsigned 32-bit integer/],
  ['inner { name: "a"', /at end of input: expected "}"/],
  [String.raw`title: "\q"`, /invalid escape/],
  [String.raw`title: "\uD800"`, /invalid unicode escape/],
])('refuses %j, saying where', (text, message) => {
  expect(() => parse(text)).toThrow(TextProtoError);
  expect(() => parse(text)).toThrow(message);
});
