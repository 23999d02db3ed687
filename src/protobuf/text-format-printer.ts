import * as protobuf from 'protobufjs';

/**
 * Protobuf text format ("pbtxt") exactly as TensorBoard 2.21 sends a graph:
 * Python's `str(message)`, which with the upb backend is upb's text encoder.
 * Its rules, all checked against TensorBoard's answers:
 * - fields in field-number order; implicit (proto3) scalars only when not
 *   zero; message, oneof and `optional` fields when present;
 * - map entries print key and value always, entries sorted the upb way
 *   (string keys: see `compareMapKeys`);
 * - floats as C's `%.6g` (or `%.9g` when that does not round-trip), doubles
 *   `%.15g` / `%.17g`; `inf`, `-inf`, `nan`;
 * - strings keep UTF-8 as is, bytes escape everything outside printable
 *   ASCII as 3-digit octal; both escape \n \r \t " ' and backslash.
 *
 * Messages are protobufjs-decoded objects or plain objects of the same
 * shape: presence means "own property, not null".
 */
export function toPbtxt(type: protobuf.Type, message: object): string {
  return pbtxtChunks(type, message).join('');
}

/** Text pieces are gathered into chunks of about this many characters. */
const CHUNK_CHARS = 1 << 16;

/**
 * The same text as `toPbtxt`, in chunks of about 64 KiB: a huge graph
 * becomes a few hundred flat strings, not millions of small ones, and can be
 * written out chunk by chunk.
 */
export function pbtxtChunks(type: protobuf.Type, message: object): string[] {
  const chunks: string[] = [];
  for (const slice of pbtxtSlices(type, message)) chunks.push(...slice);
  return chunks;
}

export interface SliceOptions {
  /** Characters per chunk, and so at least per slice (default 64 Ki; tests use tiny ones). */
  chunkChars?: number;
}

/**
 * The same text printed a slice at a time, so that a server can print a huge
 * graph without holding its event loop for a second: each step prints until
 * at least one chunk is complete and hands over the complete chunks. Slices
 * end between elements of repeated message fields (graph nodes, functions,
 * their nodes), never inside a node, so one slice costs about one chunk of
 * text. Stopping early (`return()`) prints nothing more.
 */
export function* pbtxtSlices(
  type: protobuf.Type,
  message: object,
  options: SliceOptions = {},
): Generator<string[], void, undefined> {
  const out = new TextSink(options.chunkChars ?? CHUNK_CHARS);
  for (const _ of printMessageInSlices(type, message as Record<string, unknown>, '', out, 0)) yield out.take();
  const last = out.finish();
  if (last.length > 0) yield last;
}

class TextSink {
  private parts: string[] = [];
  private size = 0;
  private chunks: string[] = [];

  constructor(private readonly chunkChars: number) {}

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.chunkChars) this.flush();
  }

  /** Whether a chunk is complete and waiting to be taken. */
  get ready(): boolean {
    return this.chunks.length > 0;
  }

  /** The complete chunks so far; the sink forgets them. */
  take(): string[] {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks;
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  finish(): string[] {
    this.flush();
    return this.take();
  }
}

const fieldOrder = new WeakMap<protobuf.Type, protobuf.Field[]>();

function fieldsByNumber(type: protobuf.Type): protobuf.Field[] {
  let fields = fieldOrder.get(type);
  if (fields === undefined) {
    fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
    for (const f of fields) f.resolve();
    fieldOrder.set(type, fields);
  }
  return fields;
}

const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

/**
 * How deep slices may end between sub-messages: deep enough to end between
 * the nodes of GraphDef.node, GraphDef.library.function[].node_def and
 * RunMetadata.function_graphs[].partition_graphs[].node. Deeper messages,
 * and maps (a node's attributes), are printed in one go.
 */
const SLICED_DEPTH = 4;

/** Prints a message, pausing (yielding) whenever the sink has a complete chunk and it is between two sub-messages. */
function* printMessageInSlices(
  type: protobuf.Type,
  msg: Record<string, unknown>,
  indent: string,
  out: TextSink,
  depth: number,
): Generator<void, void, undefined> {
  for (const field of fieldsByNumber(type)) {
    const value = printedValue(field, msg);
    if (value === undefined) continue;
    const sub = field.resolvedType;
    if (field instanceof protobuf.MapField || !(sub instanceof protobuf.Type)) {
      printValue(field, value, indent, out);
      continue;
    }
    for (const element of field.repeated ? (value as unknown[]) : [value]) {
      if (depth < SLICED_DEPTH) {
        out.push(`${indent}${protoName(field)} {\n`);
        yield* printMessageInSlices(sub, element as Record<string, unknown>, `${indent}  `, out, depth + 1);
        out.push(`${indent}}\n`);
      } else {
        printField(field, element, indent, out);
      }
      if (out.ready) yield;
    }
  }
}

function printMessage(type: protobuf.Type, msg: Record<string, unknown>, indent: string, out: TextSink): void {
  for (const field of fieldsByNumber(type)) {
    const value = printedValue(field, msg);
    if (value !== undefined) printValue(field, value, indent, out);
  }
}

/** A field's value when the text shows the field, else undefined. */
function printedValue(field: protobuf.Field, msg: Record<string, unknown>): unknown {
  const value = has(msg, field.name) ? msg[field.name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (field instanceof protobuf.MapField || field.repeated) return value;
  if (field.resolvedType instanceof protobuf.Type || field.partOf !== null || hasExplicitPresence(field)) return value;
  return isZero(value) ? undefined : value;
}

/** A present field: a map's entries, a repeated field's elements, or the one value. */
function printValue(field: protobuf.Field, value: unknown, indent: string, out: TextSink): void {
  if (field instanceof protobuf.MapField) {
    printMap(field, value as Record<string, unknown>, indent, out);
  } else if (field.repeated) {
    for (const element of value as unknown[]) printField(field, element, indent, out);
  } else {
    printField(field, value, indent, out);
  }
}

/**
 * proto3 `optional` fields become synthetic oneofs in protobufjs (caught by `partOf`); proto2 fields have presence too.
 */
function hasExplicitPresence(field: protobuf.Field): boolean {
  return field.options?.proto3_optional === true;
}

function isZero(value: unknown): boolean {
  if (typeof value === 'number') return value === 0 && !Object.is(value, -0);
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return value.length === 0;
  if (value instanceof Uint8Array) return value.length === 0;
  if (isLong(value)) return value.low === 0 && value.high === 0;
  return false;
}

interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
  toString(): string;
}

function isLong(v: unknown): v is LongLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as LongLike).low === 'number' &&
    typeof (v as LongLike).high === 'number'
  );
}

/** The .proto name of a field: protobufjs camel-cases them, and proto field names are lower snake case. */
const protoNames = new WeakMap<protobuf.FieldBase, string>();

function protoName(field: protobuf.FieldBase): string {
  let name = protoNames.get(field);
  if (name === undefined) {
    name = field.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    protoNames.set(field, name);
  }
  return name;
}

function printField(field: protobuf.Field, value: unknown, indent: string, out: TextSink): void {
  const sub = field.resolvedType;
  if (sub instanceof protobuf.Type) {
    out.push(`${indent}${protoName(field)} {\n`);
    printMessage(sub, value as Record<string, unknown>, `${indent}  `, out);
    out.push(`${indent}}\n`);
    return;
  }
  out.push(`${indent}${protoName(field)}: ${scalarText(field.type, sub, value)}\n`);
}

function scalarText(type: string, resolved: protobuf.ReflectionObject | null, value: unknown): string {
  if (resolved instanceof protobuf.Enum) {
    const name = resolved.valuesById[value as number];
    return name ?? String(value);
  }
  switch (type) {
    case 'string':
      return `"${escapeText(value as string)}"`;
    case 'bytes':
      return `"${escapeBytes(value as Uint8Array)}"`;
    case 'bool':
      return value ? 'true' : 'false';
    case 'float':
      return formatFloat32(value as number);
    case 'double':
      return formatDouble(value as number);
    default:
      return integerText(value);
  }
}

function integerText(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (isLong(value)) return value.toString();
  return String(value);
}

function printMap(field: protobuf.MapField, map: Record<string, unknown>, indent: string, out: TextSink): void {
  const keys = Object.keys(map);
  if (keys.length === 0) return;
  const keyValues = keys.map((k) => ({ raw: k, key: mapKey(field.keyType, k) }));
  keyValues.sort((a, b) => compareMapKeys(field.keyType, a.key, b.key));
  const valueType = field.resolvedType;
  const inner = `${indent}  `;
  for (const { raw, key } of keyValues) {
    out.push(`${indent}${protoName(field)} {\n`);
    out.push(`${inner}key: ${field.keyType === 'string' ? `"${escapeText(key as string)}"` : String(key)}\n`);
    const value = map[raw];
    if (valueType instanceof protobuf.Type) {
      out.push(`${inner}value {\n`);
      printMessage(valueType, (value ?? {}) as Record<string, unknown>, `${inner}  `, out);
      out.push(`${inner}}\n`);
    } else {
      out.push(`${inner}value: ${scalarText(field.type, valueType, value ?? zeroOf(field.type))}\n`);
    }
    out.push(`${indent}}\n`);
  }
}

function zeroOf(type: string): unknown {
  if (type === 'string') return '';
  if (type === 'bytes') return new Uint8Array(0);
  if (type === 'bool') return false;
  return 0;
}

const LONG_KEY_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const UNSIGNED_KEY_TYPES = new Set(['uint32', 'fixed32', 'uint64', 'fixed64']);

/** A decoded map key as a value: protobufjs keeps 64-bit keys as 8-char hashes. */
function mapKey(keyType: string, raw: string): string | bigint | boolean {
  if (keyType === 'string') return raw;
  if (keyType === 'bool') return raw === 'true';
  if (LONG_KEY_TYPES.has(keyType) && raw.length === 8 && !/^-?\d+$/.test(raw)) {
    const bits = protobuf.util.LongBits.fromHash(raw);
    const unsigned = (BigInt(bits.hi >>> 0) << 32n) | BigInt(bits.lo >>> 0);
    return UNSIGNED_KEY_TYPES.has(keyType) ? unsigned : BigInt.asIntN(64, unsigned);
  }
  return BigInt(raw);
}

/**
 * upb's map-key order. Integers ascend. Strings compare by their UTF-8
 * bytes *descending* over the common prefix, and a prefix comes before its
 * extensions ("" first, then "z", "zz", "b", "a", "ab", "aa", "B").
 */
export function compareMapKeys(keyType: string, a: string | bigint | boolean, b: string | bigint | boolean): number {
  if (keyType === 'string') {
    const fast = compareAsciiKeys(a as string, b as string);
    if (fast !== undefined) return fast;
    const x = Buffer.from(a as string, 'utf8');
    const y = Buffer.from(b as string, 'utf8');
    const n = Math.min(x.length, y.length);
    const c = Buffer.compare(x.subarray(0, n), y.subarray(0, n));
    if (c !== 0) return -c;
    return x.length - y.length;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same order for keys whose characters are all below U+D800 (UTF-16 and UTF-8 then agree); undefined otherwise. */
function compareAsciiKeys(a: string, b: string): number | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x >= 0xd800 || y >= 0xd800) return undefined;
    if (x !== y) return y - x;
  }
  for (let i = n; i < a.length; i++) if (a.charCodeAt(i) >= 0xd800) return undefined;
  for (let i = n; i < b.length; i++) if (b.charCodeAt(i) >= 0xd800) return undefined;
  return a.length - b.length;
}

const ESCAPES: Record<number, string> = {
  10: '\\n',
  13: '\\r',
  9: '\\t',
  34: '\\"',
  39: "\\'",
  92: '\\\\',
};

function octal(byte: number): string {
  return `\\${byte.toString(8).padStart(3, '0')}`;
}

/** How each byte appears inside a bytes field. */
const BYTE_TEXT: string[] = Array.from(
  { length: 256 },
  (_, b) => ESCAPES[b] ?? (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : octal(b)),
);

/** A bytes field: printable ASCII as is, everything else as octal. */
export function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += BYTE_TEXT[bytes[i] as number];
  return s;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what gets escaped
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f"'\\]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what gets escaped
const ESCAPE_ALL = /[\u0000-\u001f\u007f"'\\]/g;

/** A string field: non-ASCII characters stay as they are. */
export function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPE_ALL, (c) => BYTE_TEXT[c.charCodeAt(0)] as string);
}

/** C's `%.<precision>g`. */
export function formatG(x: number, precision: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Number(x.toExponential(precision - 1).split('e')[1]);
  if (exp < -4 || exp >= precision) {
    const [mantissa, e] = x.toExponential(precision - 1).split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '');
    return `${stripZeros(mantissa)}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
  }
  return stripZeros(x.toFixed(precision - 1 - exp));
}

function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** A float field (already widened to double): shortest of %.6g / %.9g that reads back as the same float32. */
export function formatFloat32(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const short = formatG(x, 6);
  return Math.fround(Number(short)) === x ? short : formatG(x, 9);
}

/** A double field: %.15g, or %.17g when that does not read back. */
export function formatDouble(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const short = formatG(x, 15);
  return Number(short) === x ? short : formatG(x, 17);
}
