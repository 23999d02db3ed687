/**
 * A parser for the protobuf text format ("pbtxt"), the reading side of
 * text-format-printer.ts: enough for `projector_config.pbtxt`:
 * `field: value`, `field { ... }` / `field: < ... >`, `field: [a, b]`,
 * `#` comments, optional `,`/`;` separators, single- or double-quoted
 * strings with C escapes (adjacent ones joined), decimal/hex/octal integers.
 * Strict like protobuf's `text_format.Parse`: an unknown field, a repeated
 * singular field or a string that is not UTF-8 is an error. The schema is a
 * small spec of the message (MessageSpec), not protobufjs: the configs it
 * reads are not part of proto/.
 */
export class TextProtoError extends Error {
  override name = 'TextProtoError';
}

/** A field of the schema, as the text format names it. */
export interface FieldSpec {
  key: string;
  type: 'string' | 'uint32' | 'message';
  repeated: boolean;
  message?: MessageSpec;
}

/** A message of the schema: its fields by text-format name, and a fresh message with every default set. */
export interface MessageSpec {
  typeName: string;
  fields: Record<string, FieldSpec>;
  create(): Record<string, unknown>;
}

type Token =
  | { kind: 'ident' | 'number' | 'punct'; text: string; line: number }
  | { kind: 'string'; bytes: number[]; line: number };

const PUNCT = new Set(['{', '}', '<', '>', ':', '[', ']', ',', ';']);
const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  "'": 39,
  '"': 34,
  '?': 63,
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const fail = (msg: string): never => {
    throw new TextProtoError(`line ${line}: ${msg}`);
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f') i++;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      const bytes: number[] = [];
      i++;
      for (;;) {
        if (i >= text.length || text[i] === '\n') fail('unterminated string');
        const ch = text[i] as string;
        if (ch === c) {
          i++;
          break;
        }
        if (ch !== '\\') {
          const cp = text.codePointAt(i) as number;
          bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
          i += cp > 0xffff ? 2 : 1;
          continue;
        }
        const e = text[i + 1] ?? '';
        let m: RegExpExecArray | null;
        if (SIMPLE_ESCAPES[e] !== undefined) {
          bytes.push(SIMPLE_ESCAPES[e]);
          i += 2;
        } else if ((m = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))) !== null) {
          bytes.push(parseInt(m[0], 8) & 0xff);
          i += 1 + m[0].length;
        } else if ((e === 'x' || e === 'X') && (m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2, i + 4))) !== null) {
          bytes.push(parseInt(m[0], 16));
          i += 2 + m[0].length;
        } else if (
          (e === 'u' && (m = /^[0-9a-fA-F]{4}/.exec(text.slice(i + 2, i + 6))) !== null) ||
          (e === 'U' && (m = /^[0-9a-fA-F]{8}/.exec(text.slice(i + 2, i + 10))) !== null)
        ) {
          const cp = parseInt(m[0], 16);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('invalid unicode escape');
          bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
          i += 2 + m[0].length;
        } else fail(`invalid escape \\${e}`);
      }
      tokens.push({ kind: 'string', bytes, line });
    } else {
      const m = /^[A-Za-z0-9_.+-]+/.exec(text.slice(i, i + 256));
      if (m === null) fail(`unexpected character ${JSON.stringify(c)}`);
      const word = (m as RegExpExecArray)[0];
      tokens.push({ kind: /^[A-Za-z_]/.test(word) ? 'ident' : 'number', text: word, line });
      i += word.length;
    }
  }
  return tokens;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private fail(msg: string, t = this.peek()): never {
    throw new TextProtoError(t === undefined ? `at end of input: ${msg}` : `line ${t.line}: ${msg}`);
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isPunct(text)) this.fail(`expected "${text}"`);
    this.pos++;
  }

  /** Fields until `end` (a closing bracket, or the end of input when undefined). */
  parseMessage(spec: MessageSpec, end: string | undefined): Record<string, unknown> {
    const msg = spec.create();
    const seen = new Set<string>();
    for (;;) {
      const t = this.peek();
      if (t === undefined) {
        if (end !== undefined) this.fail(`expected "${end}"`);
        return msg;
      }
      if (end !== undefined && t.kind === 'punct' && t.text === end) {
        this.pos++;
        return msg;
      }
      if (t.kind !== 'ident') this.fail('expected a field name');
      const field = spec.fields[t.text];
      if (field === undefined) this.fail(`message type "${spec.typeName}" has no field named "${t.text}"`);
      this.pos++;
      if (!field.repeated && seen.has(t.text))
        this.fail(`message type "${spec.typeName}" should not have multiple "${t.text}" fields`, t);
      seen.add(t.text);
      if (field.type === 'message') {
        const colon = this.isPunct(':');
        if (colon) this.pos++;
        const readOne = (): Record<string, unknown> => {
          const open = this.peek();
          if (open?.kind !== 'punct' || (open.text !== '{' && open.text !== '<')) this.fail('expected "{" or "<"');
          this.pos++;
          return this.parseMessage(field.message as MessageSpec, open.text === '{' ? '}' : '>');
        };
        if (field.repeated && colon && this.isPunct('['))
          this.list(() => (msg[field.key] as unknown[]).push(readOne()));
        else if (field.repeated) (msg[field.key] as unknown[]).push(readOne());
        else msg[field.key] = readOne();
      } else {
        this.expect(':');
        const readOne = (): string | number => (field.type === 'string' ? this.string() : this.uint32());
        if (field.repeated && this.isPunct('[')) this.list(() => (msg[field.key] as unknown[]).push(readOne()));
        else if (field.repeated) (msg[field.key] as unknown[]).push(readOne());
        else msg[field.key] = readOne();
      }
      if (this.isPunct(',') || this.isPunct(';')) this.pos++;
    }
  }

  private list(readOne: () => void): void {
    this.expect('[');
    if (this.isPunct(']')) {
      this.pos++;
      return;
    }
    for (;;) {
      readOne();
      if (this.isPunct(']')) {
        this.pos++;
        return;
      }
      this.expect(',');
    }
  }

  private string(): string {
    const bytes: number[] = [];
    let t = this.peek();
    if (t?.kind !== 'string') this.fail('expected a string');
    while (t?.kind === 'string') {
      bytes.push(...t.bytes);
      this.pos++;
      t = this.peek();
    }
    try {
      return utf8Strict.decode(new Uint8Array(bytes));
    } catch {
      return this.fail('string field is not valid UTF-8');
    }
  }

  private uint32(): number {
    const t = this.peek();
    if (t?.kind !== 'number' && t?.kind !== 'ident') this.fail('expected an integer');
    const text = t.text;
    let n: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
    else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
    else if (/^\+?(0|[1-9][0-9]*)$/.test(text)) n = Number(text);
    else this.fail(`expected an unsigned 32-bit integer, got "${text}"`);
    if (!(n <= 0xffffffff)) this.fail(`integer out of range for uint32: ${text}`);
    this.pos++;
    return n;
  }
}

/** Text-format `text` as a message of `spec`, or a TextProtoError naming the line. */
export function parseTextFormat(text: string, spec: MessageSpec): Record<string, unknown> {
  return new Parser(tokenize(text)).parseMessage(spec, undefined);
}
