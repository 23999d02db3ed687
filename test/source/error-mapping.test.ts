/**
 * The error mappings for answers the test servers cannot give (s3rver and
 * the GCS emulator have no throttling, expiring tokens or region redirects;
 * the emulator no permissions at all), on errors built with the SDKs' own
 * classes as they throw them. What the servers can answer is tested against
 * them (s3-source.test.ts, gcs-source.test.ts).
 */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { ApiError } from '@google-cloud/storage';
import { gcsErrorToSourceError } from '../../src/source/gcs-errors';
import { s3ErrorToSourceError } from '../../src/source/s3-errors';

function s3Error(name: string, status: number, attempts = 1): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts },
    message: `${name} message`,
  });
}

const S3_OBJECT = { bucket: 'bkt', key: 'logs/run/events.out.tfevents.1', op: 'object', endpoint: undefined } as const;

describe('S3', () => {
  test.each([
    [s3Error('SlowDown', 503, 4), 'UNAVAILABLE', 'the store kept failing (SlowDown) after 4 attempts; try again later'],
    [s3Error('InternalError', 500, 4), 'UNAVAILABLE', 'the store kept failing (InternalError) after 4 attempts'],
    [s3Error('ExpiredToken', 400), 'BAD_CREDENTIALS', 'the credentials were refused (ExpiredToken)'],
    [s3Error('SignatureDoesNotMatch', 403), 'BAD_CREDENTIALS', 'the credentials were refused (SignatureDoesNotMatch)'],
    [s3Error('PermanentRedirect', 301), 'FAILED', 'the bucket is in another region: set AWS_REGION to it'],
    [s3Error('PreconditionFailed', 412), 'CHANGED', 'the object was rewritten while it was read'],
    [s3Error('Forbidden', 403), 'ACCESS_DENIED', 'access denied (Forbidden); the credentials in use need s3:GetObject'],
    [s3Error('NotFound', 404), 'NOT_FOUND', 'the object is gone'],
    [s3Error('Weird', 400), 'FAILED', 'Weird, HTTP 400: Weird message'],
  ])('%s → %s', (err, code, text) => {
    const mapped = s3ErrorToSourceError(err, S3_OBJECT);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toContain(text);
    expect(mapped.message).not.toContain('\n');
  });

  test('an error of the HTTP client names the endpoint', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9000'), {
      code: 'ECONNREFUSED',
      $metadata: { attempts: 4 },
    });
    expect(s3ErrorToSourceError(err, { ...S3_OBJECT, endpoint: 'http://minio:9000' }).message).toBe(
      's3://bkt/logs/run/events.out.tfevents.1: cannot reach http://minio:9000 (ECONNREFUSED) after 4 attempts; ' +
        'check the network and the endpoint',
    );
  });
});

const GCS_LIST = { bucket: 'bkt', key: 'logs', op: 'list' } as const;
const GCS_OBJECT = { bucket: 'bkt', key: 'logs/events.out.tfevents.1', op: 'object' } as const;

function apiError(code: number, message: string, reason: string): ApiError {
  // As the library fills one from an error response of the JSON API.
  return Object.assign(new ApiError(message), { code, errors: [{ reason, message }] });
}

describe('GCS', () => {
  test.each([
    [
      apiError(401, 'Anonymous caller does not have storage.objects.list access', 'required'),
      GCS_LIST,
      'BAD_CREDENTIALS',
    ],
    [apiError(403, 'x does not have storage.objects.list access', 'forbidden'), GCS_LIST, 'ACCESS_DENIED'],
    [apiError(404, 'The specified bucket does not exist.', 'notFound'), GCS_LIST, 'NO_SUCH_BUCKET'],
    [apiError(404, 'No such object: bkt/logs/events.out.tfevents.1', 'notFound'), GCS_OBJECT, 'NOT_FOUND'],
    [apiError(429, 'rate limited', 'rateLimitExceeded'), GCS_OBJECT, 'UNAVAILABLE'],
    [apiError(503, 'backend error', 'backendError'), GCS_OBJECT, 'UNAVAILABLE'],
  ])('%s → %s', (err, ctx, code) => {
    expect(gcsErrorToSourceError(err, ctx).code).toBe(code);
  });

  test('messages name the bucket or key and what to do', () => {
    expect(gcsErrorToSourceError(apiError(403, 'denied', 'forbidden'), GCS_LIST).message).toBe(
      'gs://bkt/logs/: access denied (forbidden); the account in use needs storage.objects.list on the bucket',
    );
    expect(
      gcsErrorToSourceError(apiError(404, 'The specified bucket does not exist.', 'notFound'), GCS_LIST).message,
    ).toBe('gs://bkt: no such bucket; check its name (and the project it is in)');
    // What google-auth-library throws when Application Default Credentials find nothing.
    const noAdc = new Error(
      'Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started',
    );
    const mapped = gcsErrorToSourceError(noAdc, GCS_OBJECT);
    expect(mapped.code).toBe('NO_CREDENTIALS');
    expect(mapped.message).toBe(
      'gs://bkt: no Google credentials found; run `gcloud auth application-default login`, ' +
        'or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file',
    );
  });
});
