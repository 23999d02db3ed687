import { badRequest } from '../../http/http-error';

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
