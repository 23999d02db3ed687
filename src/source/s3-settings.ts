/**
 * How to reach S3 (or an S3-compatible store) from the environment, with
 * the variables its users already set: the AWS SDK's own (`AWS_REGION`,
 * `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, profiles and credentials, read
 * by the SDK itself) and TensorBoard's (`S3_ENDPOINT`, `S3_USE_HTTPS`,
 * `S3_VERIFY_SSL`).
 */
export interface S3Settings {
  /** A custom endpoint URL (MinIO, Ceph RGW, R2...); absent for AWS itself. */
  endpoint: string | undefined;
  /** The region when the environment names one; else the SDK's profile lookup, then us-east-1. */
  region: string | undefined;
  /** Bucket in the path (`http://host/bucket/key`): what custom endpoints need. */
  forcePathStyle: boolean;
  /** Check the server's TLS certificate (`S3_VERIFY_SSL=0` turns it off for self-signed stores). */
  verifyTls: boolean;
}

type Env = Record<string, string | undefined>;

export function s3Settings(env: Env = process.env): S3Settings {
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL) ?? tensorBoardEndpoint(env);
  return {
    endpoint,
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    forcePathStyle: endpoint !== undefined,
    verifyTls: !isOff(env.S3_VERIFY_SSL),
  };
}

/** TensorBoard's `S3_ENDPOINT` is a host[:port] (or a URL); `S3_USE_HTTPS=0` means http. */
function tensorBoardEndpoint(env: Env): string | undefined {
  const host = nonEmpty(env.S3_ENDPOINT);
  if (host === undefined) return undefined;
  if (/^https?:\/\//i.test(host)) return host;
  return `${isOff(env.S3_USE_HTTPS) ? 'http' : 'https'}://${host}`;
}

/** `0`, `false`, `no`, `off` (TensorBoard's own test is "starts with 0"). */
function isOff(value: string | undefined): boolean {
  return value !== undefined && /^\s*(0|false|no|off)\s*$/i.test(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}
