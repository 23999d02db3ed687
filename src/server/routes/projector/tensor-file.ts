import { badRequest } from '../../http/http-error';

/** A 2-D float32 tensor, row-major. */
export interface Tensor2d {
  rows: number;
  cols: number;
  data: Float32Array;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Whitespace Python's float() strips: ASCII space and \t\n\v\f\r, the
 * separators \x1c-\x1f, \x85 and the Unicode spaces (not the BOM).
 */
const PY_SPACE = '[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');
/** Python's float literal: `1`, `1.`, `.5`, `1_000.25e-3`, `inf`, `-Infinity`, `nan`. */
const DIGITS = '\\d(?:_?\\d)*';
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf|infinity|nan)$`,
  'i',
);

const PLAIN_DECIMAL = /^-?\d+(?:\.\d*)?(?:e[+-]?\d+)?$/i;

/**
 * One TSV cell as TensorBoard reads it (Python `float()` then numpy's cast to
 * float32), written into `view` at `offset`; false when it is not a number.
 */
function writeCell(cell: string, view: DataView, offset: number): boolean {
  // The common form (what the writers print) reads the same in both languages.
  if (PLAIN_DECIMAL.test(cell)) {
    view.setFloat32(offset, Number(cell), true);
    return true;
  }
  const s = cell.replace(PY_STRIP, '');
  if (!PY_FLOAT.test(s)) return false;
  const lower = s.toLowerCase();
  if (lower.endsWith('nan')) {
    // numpy keeps the sign of Python's -nan; JavaScript has only one NaN.
    view.setUint32(offset, lower.startsWith('-') ? 0xffc00000 : 0x7fc00000, true);
    return true;
  }
  const x =
    lower.endsWith('inf') || lower.endsWith('infinity')
      ? lower.startsWith('-')
        ? -Infinity
        : Infinity
      : Number(s.replace(/_/g, ''));
  view.setFloat32(offset, x, true);
  return true;
}

/**
 * `tensors.tsv` → float32 (TensorBoard's `_read_tensor_tsv_file`): one row a
 * line, cells split by tabs, empty lines skipped, carriage returns dropped
 * (TensorFlow's line reader drops them). Rows must be equally long and every
 * cell a number; else a 400 naming the line.
 */
export function parseTensorTsv(text: string, what: string): Tensor2d {
  if (text.includes('\r')) text = text.replace(/\r/g, '');
  let cols = -1;
  let rows = 0;
  let buf = new ArrayBuffer(1024);
  let view = new DataView(buf);
  let at = 0;
  // Line by line with indexOf, not split(): a big file is not copied into an array of lines.
  for (let start = 0, lineNo = 1; start < text.length; lineNo++) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    const cells = line.split('\t');
    if (cols === -1) cols = cells.length;
    else if (cells.length !== cols)
      throw badRequest(`${what}: line ${lineNo} has ${cells.length} values, the first row has ${cols}`);
    if (at + 4 * cols > buf.byteLength) {
      const bigger = new ArrayBuffer(Math.max(buf.byteLength * 2, at + 4 * cols));
      new Uint8Array(bigger).set(new Uint8Array(buf, 0, at));
      buf = bigger;
      view = new DataView(buf);
    }
    for (let c = 0; c < cols; c++) {
      if (!writeCell(cells[c] as string, view, at))
        throw badRequest(
          `${what}: line ${lineNo}, column ${c + 1} is not a number: ` +
            JSON.stringify((cells[c] as string).slice(0, 40)),
        );
      at += 4;
    }
    rows++;
  }
  if (rows === 0) throw badRequest(`${what}: no rows`);
  return { rows, cols, data: new Float32Array(buf.slice(0, at)) };
}

/**
 * A tensor file's bytes: TSV when they are UTF-8 text, else (as TensorBoard)
 * raw little-endian float32 of the config's 2-D `tensor_shape`.
 */
export function parseTensorFile(bytes: Uint8Array, tensorShape: readonly number[], what: string): Tensor2d {
  let text: string | undefined;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined) return parseTensorTsv(text, what);
  if (tensorShape.length !== 2)
    throw badRequest(
      `${what}: not UTF-8 text, and a binary tensor needs a 2-D tensor_shape in the config ` +
        `(got [${tensorShape.join(', ')}])`,
    );
  const [rows, cols] = tensorShape as [number, number];
  if (rows * cols * 4 !== bytes.byteLength)
    throw badRequest(`${what}: ${bytes.byteLength} bytes do not hold a float32 tensor of shape [${rows}, ${cols}]`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return { rows, cols, data: new Float32Array(copy.buffer) };
}
