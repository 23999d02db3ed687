import { type JsonNumber, jsonNumber } from '../../common/format-number';

/**
 * JSON as TensorBoard sends it: numbers that are not finite travel as the
 * strings "NaN", "Infinity" and "-Infinity" (JSON has no literal for them).
 * Most answers hold none: a walk over the value proves it (a tenth of the
 * time of JSON.stringify) and the plain JSON.stringify is used, about half
 * the time of one with a replacer. Columns built by `numbersAt` and
 * `spelledAt` were checked as they were filled and are not walked again.
 */
export function toJson(value: unknown): string {
  return onlyFiniteNumbers(value) ? JSON.stringify(value) : JSON.stringify(value, finiteReplacer);
}

function finiteReplacer(_key: string, v: unknown): unknown {
  return typeof v === 'number' ? jsonNumber(v) : v;
}

/**
 * Whether JSON.stringify would meet no non-finite number in `value`: plain
 * arrays and objects are walked; anything else that is an object (a class
 * instance, a typed array, something with toJSON) answers false, and the
 * replacer sees it as JSON.stringify does.
 */
function onlyFiniteNumbers(value: unknown): boolean {
  if (typeof value === 'number') return value - value === 0;
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    if (checkedColumns.has(value)) return true;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (v - v !== 0) return false;
      } else if (typeof v === 'object' && v !== null && !onlyFiniteNumbers(v)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) return false;
  for (const key in value) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (typeof v === 'number') {
      if (v - v !== 0) return false;
    } else if (typeof v === 'object' && v !== null && !onlyFiniteNumbers(v)) return false;
  }
  return true;
}

/** Arrays whose numbers are known to be finite (or spelled as strings): the bulk of the viewer's answers. */
const checkedColumns = new WeakSet<unknown[]>();

/**
 * The numbers of `column` at `indices`, as an array for a JSON answer. Filled
 * by push (a packed array, which JSON.stringify writes faster than a
 * preallocated one); when every number is finite, toJson does not walk it.
 */
export function numbersAt(column: ArrayLike<number>, indices: Iterable<number>): number[] {
  const out: number[] = [];
  // x - x is 0 for finite x, NaN otherwise: the sum stays 0 only if all are finite.
  let nonFinite = 0;
  for (const i of indices) {
    const v = column[i] as number;
    nonFinite += v - v;
    out.push(v);
  }
  if (nonFinite === 0) checkedColumns.add(out);
  return out;
}

/** numbersAt with non-finite numbers spelled ("NaN", "Infinity", "-Infinity"): never walked. */
export function spelledAt(column: ArrayLike<number>, indices: Iterable<number>): JsonNumber[] {
  const out: JsonNumber[] = [];
  for (const i of indices) out.push(jsonNumber(column[i] as number));
  checkedColumns.add(out);
  return out;
}

/** Characters per slice: about 0.5 ms of JSON.stringify. */
const SLICE_CHARS = 64 * 1024;

/**
 * The text of `toJson(value)` for an object whose arrays are large (a
 * model's ops, its layers), a slice at a time: array elements are written
 * one by one, so a server can send tens of MB of JSON without holding its
 * event loop for the whole stringify. Each slice is one string in an array
 * (the form `sendSlices` in send.ts writes).
 */
export function* jsonSlices(value: object, sliceChars = SLICE_CHARS): Generator<string[], void, undefined> {
  let parts: string[] = [];
  let chars = 0;
  const add = (text: string): void => {
    parts.push(text);
    chars += text.length;
  };
  let separator = '{';
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (!Array.isArray(item)) {
      // JSON.stringify leaves out members without a JSON form (undefined, functions).
      const text = toJson(item) as string | undefined;
      if (text === undefined) continue;
      add(`${separator}${JSON.stringify(key)}:${text}`);
    } else {
      add(`${separator}${JSON.stringify(key)}:[`);
      for (let i = 0; i < item.length; i++) {
        // In an array they become null.
        const text = (toJson(item[i]) as string | undefined) ?? 'null';
        add(i === 0 ? text : `,${text}`);
        if (chars >= sliceChars) {
          yield [parts.join('')];
          parts = [];
          chars = 0;
        }
      }
      add(']');
    }
    separator = ',';
  }
  add(separator === '{' ? '{}' : '}');
  yield [parts.join('')];
}
