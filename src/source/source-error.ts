/**
 * Why a file source could not do what it was asked. Each code has one line
 * for the user that names the bucket / key (or path) and what to do; the CLI
 * prints `featherboard: <message>` and never a stack trace.
 */
export const SOURCE_ERROR_CODES = [
  /** No credentials anywhere in the provider chain. */
  'NO_CREDENTIALS',
  /** Credentials were sent and refused (unknown key, bad signature, expired token). */
  'BAD_CREDENTIALS',
  /** The credentials are valid but may not read this bucket / key. */
  'ACCESS_DENIED',
  'NO_SUCH_BUCKET',
  /** The file or object is not there (deleted or renamed since it was listed). */
  'NOT_FOUND',
  /** The file was replaced or rewritten while it was read (another version answered). */
  'CHANGED',
  /** The network failed and kept failing after the retries. */
  'NETWORK',
  /** The store kept answering "slow down" or 5xx after the retries. */
  'UNAVAILABLE',
  /** The text is not a location featherboard can read (`s3://` without a bucket...). */
  'BAD_LOCATION',
  /** The file is larger than the caller allows (readAll). */
  'TOO_LARGE',
  /** Anything else the store or the file system answered. */
  'FAILED',
] as const;

export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

export class SourceError extends Error {
  override name = 'SourceError';

  constructor(
    readonly code: SourceErrorCode,
    /** The bucket / key or path it is about, as the user writes it (`s3://bucket/key`). */
    readonly location: string,
    /** What happened and what to do, one line, without the location. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${location}: ${reason}`, options);
  }
}

export function isSourceError(err: unknown, code?: SourceErrorCode): err is SourceError {
  return err instanceof SourceError && (code === undefined || err.code === code);
}

/** The first line of an error's message (SDK messages can run to several). */
export function firstLine(err: unknown): string {
  // Duck-typed: errors made in another realm (Node's own, under a test runner) are not `instanceof Error` here.
  const message = (err as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(err);
  return (text.split('\n')[0] ?? '').trim();
}
