import { isNetworkError, networkErrorText } from './retry';
import { firstLine, SourceError } from './source-error';

export interface GcsErrorContext {
  bucket: string;
  /** The object key, or the key prefix that was listed. */
  key: string;
  op: 'list' | 'object';
}

const CREDENTIALS_HELP =
  'run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file';

/**
 * One line for an error of `@google-cloud/storage`: its `code` is the HTTP
 * status for answers of the JSON API (with `errors[].reason`), an errno
 * string for a failed connection; missing credentials come from
 * google-auth-library as a plain Error.
 */
export function gcsErrorToSourceError(err: unknown, ctx: GcsErrorContext): SourceError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    errors?: { reason?: string }[];
  };
  const status = typeof e.code === 'number' ? e.code : undefined;
  const reason = e.errors?.[0]?.reason ?? '';
  const text = firstLine(err);
  const bucketUrl = `gs://${ctx.bucket}`;
  const where = ctx.key === '' ? bucketUrl : `${bucketUrl}/${ctx.key}${ctx.op === 'list' ? '/' : ''}`;
  const make = (code: SourceError['code'], location: string, why: string) =>
    new SourceError(code, location, why, { cause: err });

  if (/could not load the default credentials|unable to detect a project id/i.test(text))
    return make('NO_CREDENTIALS', bucketUrl, `no Google credentials found; ${CREDENTIALS_HELP}`);
  if (status === 401 || /invalid_grant|invalid_client|invalid_rapt/i.test(text))
    return make('BAD_CREDENTIALS', bucketUrl, `the credentials were refused (${text}); ${CREDENTIALS_HELP}`);
  if (status === 403)
    return make(
      'ACCESS_DENIED',
      where,
      `access denied (${reason || 'HTTP 403'}); the account in use needs ` +
        (ctx.op === 'list' ? 'storage.objects.list on the bucket' : 'storage.objects.get on the object'),
    );
  if (status === 404 && (ctx.op === 'list' || /bucket/i.test(text)))
    return make('NO_SUCH_BUCKET', bucketUrl, 'no such bucket; check its name (and the project it is in)');
  if (status === 404) return make('NOT_FOUND', where, 'the object is gone (deleted or renamed since it was listed)');
  if (status === 412 || status === 416)
    return make('CHANGED', where, 'the object was rewritten while it was read; it is read again');
  if (isNetworkError(err))
    return make(
      'NETWORK',
      where,
      `cannot reach Cloud Storage (${networkErrorText(err)}) after retries; ` +
        'check the network (and STORAGE_EMULATOR_HOST)',
    );
  if (status !== undefined && (status === 429 || status >= 500))
    return make('UNAVAILABLE', where, `the store kept failing (HTTP ${status}) after retries; try again later`);
  return make('FAILED', where, `${status !== undefined ? `HTTP ${status}: ` : ''}${text}`);
}
