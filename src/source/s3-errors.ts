import { isNetworkError, networkErrorText } from './retry';
import { firstLine, SourceError } from './source-error';

/** What an S3 call was about, for the message. */
export interface S3ErrorContext {
  bucket: string;
  /** The object key, or the key prefix that was listed. */
  key: string;
  op: 'list' | 'object';
  endpoint: string | undefined;
}

const REFUSED_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'TokenRefreshRequired',
  'InvalidClientTokenId',
  'AuthorizationHeaderMalformed',
]);

const THROTTLED = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'ServiceUnavailable',
  'InternalError',
]);

const CREDENTIALS_HELP =
  'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (after `aws configure` or `aws sso login`)';

/**
 * One line for an error of the AWS SDK, read from its `name` (the S3 error
 * code), `$metadata.httpStatusCode` and attempt count; the SDK's own text
 * only for what is not known here.
 */
export function s3ErrorToSourceError(err: unknown, ctx: S3ErrorContext): SourceError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number; attempts?: number };
  };
  const name = e.Code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const bucketUrl = `s3://${ctx.bucket}`;
  const where = ctx.key === '' ? bucketUrl : `${bucketUrl}/${ctx.key}${ctx.op === 'list' ? '/' : ''}`;
  const make = (code: SourceError['code'], location: string, reason: string) =>
    new SourceError(code, location, reason, { cause: err });
  const tries = attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : ' after retries';

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(firstLine(err)))
    return make('NO_CREDENTIALS', bucketUrl, `no AWS credentials found; ${CREDENTIALS_HELP}`);
  if (REFUSED_CREDENTIALS.has(name))
    return make(
      'BAD_CREDENTIALS',
      bucketUrl,
      `the credentials were refused (${name}); check them: ${CREDENTIALS_HELP}`,
    );
  if (name === 'NoSuchBucket')
    return make(
      'NO_SUCH_BUCKET',
      bucketUrl,
      'no such bucket; check its name, and AWS_REGION or the endpoint (AWS_ENDPOINT_URL_S3, S3_ENDPOINT)',
    );
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403)
    return make(
      'ACCESS_DENIED',
      where,
      `access denied (${name || 'HTTP 403'}); the credentials in use need ` +
        (ctx.op === 'list' ? 's3:ListBucket on the bucket' : 's3:GetObject on the key'),
    );
  if (name === 'NoSuchKey' || (ctx.op === 'object' && (name === 'NotFound' || status === 404)))
    return make('NOT_FOUND', where, 'the object is gone (deleted or renamed since it was listed)');
  if (name === 'PreconditionFailed' || name === 'InvalidRange' || status === 412 || status === 416)
    return make('CHANGED', where, 'the object was rewritten while it was read; it is read again');
  if (name === 'PermanentRedirect' || status === 301)
    return make('FAILED', bucketUrl, 'the bucket is in another region: set AWS_REGION to it');
  if (isNetworkError(err))
    return make(
      'NETWORK',
      where,
      `cannot reach ${ctx.endpoint ?? 'S3'} (${networkErrorText(err)})${tries}; check the network and the endpoint`,
    );
  if (THROTTLED.has(name) || (status !== undefined && (status === 429 || status >= 500)))
    return make('UNAVAILABLE', where, `the store kept failing (${name || `HTTP ${status}`})${tries}; try again later`);
  const what = [name, status !== undefined ? `HTTP ${status}` : ''].filter((s) => s !== '').join(', ');
  return make('FAILED', where, `${what === '' ? '' : `${what}: `}${firstLine(err)}`);
}
