import { badRequest } from '../http/http-error';
import { LIMITS } from '../http/params';

/**
 * Opaque blob keys in the form TensorBoard's data server uses: URL-safe
 * base64 (no padding) of the JSON array `[experiment, run, tag, step, index]`.
 * A key only names a record; the store resolves it, no path is ever built from it.
 */
export interface BlobKey {
  run: string;
  tag: string;
  step: number;
  index: number;
}

export function encodeBlobKey(key: BlobKey): string {
  return Buffer.from(JSON.stringify(['', key.run, key.tag, key.step, key.index]), 'utf8').toString('base64url');
}

export function decodeBlobKey(text: string): BlobKey {
  if (text.length > LIMITS.blobKeyChars || !/^[A-Za-z0-9_-]+$/.test(text)) throw badRequest('failed to parse blob key');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('failed to parse blob key');
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) throw badRequest('failed to parse blob key');
  const [eid, run, tag, step, index] = parsed as unknown[];
  if (typeof eid !== 'string' || typeof run !== 'string' || typeof tag !== 'string')
    throw badRequest('failed to parse blob key');
  if (!Number.isSafeInteger(step) || !Number.isSafeInteger(index) || (index as number) < 0)
    throw badRequest('failed to parse blob key');
  return { run, tag, step: step as number, index: index as number };
}
