import { badRequest } from '../../http-error';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * `metadata.tsv` as TensorBoard serves it: the text with carriage returns
 * dropped (TensorFlow's line reader drops them), cut after `numRows` data
 * rows; a first line holding a tab is a header and does not count.
 */
export function metadataText(bytes: Uint8Array, numRows: number | undefined, what: string): string {
  let text: string;
  try {
    text = utf8Strict.decode(bytes);
  } catch {
    throw badRequest(`${what} is not UTF-8 text`);
  }
  text = text.replace(/\r/g, '');
  if (numRows === undefined) return text;
  const firstEnd = text.indexOf('\n');
  const firstLine = firstEnd === -1 ? text : text.slice(0, firstEnd);
  const keep = numRows + (firstLine.includes('\t') ? 1 : 0);
  let end = 0;
  for (let n = 0; n < keep && end < text.length; n++) {
    const nl = text.indexOf('\n', end);
    end = nl === -1 ? text.length : nl + 1;
  }
  return text.slice(0, end);
}

/** The image types TensorBoard recognises in a sprite (by content, as PIL does). */
export function spriteMimeType(b: Uint8Array): string {
  const starts = (...sig: number[]): boolean => sig.every((x, i) => b[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'image/gif';
  if (starts(0x42, 0x4d) && b.length >= 26) return 'image/bmp';
  return 'application/octet-stream';
}
