import { toJson } from '../respond';

/** Characters per slice: about 0.5 ms of JSON.stringify. */
const SLICE_CHARS = 64 * 1024;

/**
 * The text of `toJson(value)` for an object whose arrays are large (a
 * model's ops, its layers), a slice at a time: array elements are written
 * one by one, so a server can send tens of MB of JSON without holding its
 * event loop for the whole stringify. Each slice is one string in an array
 * (the form `sendSlices` writes).
 */
export function* jsonSlices(
  value: Record<string, unknown>,
  sliceChars = SLICE_CHARS,
): Generator<string[], void, undefined> {
  let parts: string[] = [];
  let chars = 0;
  const add = (text: string): void => {
    parts.push(text);
    chars += text.length;
  };
  let separator = '{';
  for (const key of Object.keys(value)) {
    const item = value[key];
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
