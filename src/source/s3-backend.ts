import * as http from 'node:http';
import * as https from 'node:https';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { FileStat } from './file-source';
import type { ObjectBackend, ObjectInfo, RangeResponse } from './object-store-source';
import { MAX_GETS_IN_FLIGHT } from './object-store-source';
import { s3ErrorToSourceError } from './s3-errors';
import type { S3Settings } from './s3-settings';

type Sdk = typeof import('@aws-sdk/client-s3');

/** Tries per request in the SDK's standard retry mode (exponential backoff with jitter). */
const SDK_MAX_ATTEMPTS = 4;

/**
 * S3 and S3-compatible stores through `@aws-sdk/client-s3`: ListObjectsV2
 * pages, HeadObject, ranged GetObject. Credentials come from the SDK's
 * default chain (environment, shared config and credentials files with
 * profiles and SSO, web identity, container and instance roles).
 */
export class S3Backend implements ObjectBackend {
  readonly scheme = 's3';
  private client: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  constructor(
    readonly bucket: string,
    private readonly settings: S3Settings,
    /** Tries per request (the SDK's retries); tests lower it. */
    private readonly maxAttempts: number = SDK_MAX_ATTEMPTS,
  ) {}

  async listPage(
    keyPrefix: string,
    token: string | undefined,
  ): Promise<{ objects: ObjectInfo[]; next: string | undefined }> {
    const { sdk, client } = await this.connect();
    const out = await client.send(
      new sdk.ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: keyPrefix,
        ...(token !== undefined ? { ContinuationToken: token } : {}),
      }),
    );
    const objects: ObjectInfo[] = (out.Contents ?? []).flatMap((o) =>
      o.Key === undefined
        ? []
        : [{ key: o.Key, stat: { size: o.Size ?? 0, mtimeMs: o.LastModified?.getTime() ?? 0, version: etag(o.ETag) } }],
    );
    return { objects, next: out.IsTruncated === true ? out.NextContinuationToken : undefined };
  }

  async head(key: string): Promise<FileStat> {
    const { sdk, client } = await this.connect();
    const out = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
    return { size: out.ContentLength ?? 0, mtimeMs: out.LastModified?.getTime() ?? 0, version: etag(out.ETag) };
  }

  async getRange(key: string, start: number, end: number): Promise<RangeResponse> {
    const { sdk, client } = await this.connect();
    const abort = new AbortController();
    const out = await client.send(
      new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
      { abortSignal: abort.signal },
    );
    const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    return {
      version: etag(out.ETag),
      body: body ?? emptyBody(),
      abort: () => {
        body?.destroy?.();
        abort.abort();
      },
    };
  }

  toSourceError(err: unknown, key: string, op: 'list' | 'object') {
    return s3ErrorToSourceError(err, { bucket: this.bucket, key, op, endpoint: this.settings.endpoint });
  }

  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    // The SDK loads only when an s3:// logdir is read (it takes a while to load).
    this.client ??= import('@aws-sdk/client-s3').then(async (sdk) => ({
      sdk,
      client: await createClient(sdk, this.settings, this.maxAttempts),
    }));
    return this.client;
  }
}

async function createClient(sdk: Sdk, settings: S3Settings, maxAttempts: number): Promise<S3Client> {
  // The SDK warns on Node 20 about its releases of 2027 on; the version pinned here supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const agent = { keepAlive: true, maxSockets: MAX_GETS_IN_FLIGHT * 2 };
  const config: S3ClientConfig = {
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    // A bucket in another region than the one configured answers with a redirect: follow it.
    followRegionRedirects: true,
    // Read-only: no request checksums, and ranged reads carry none to check (older stores reject the headers).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts,
    requestHandler: {
      httpAgent: new http.Agent(agent),
      httpsAgent: new https.Agent({ ...agent, rejectUnauthorized: settings.verifyTls }),
      connectionTimeout: 10_000,
      // Idle socket time; a stalled body fails and is resumed where it stopped.
      requestTimeout: 60_000,
    },
  };
  if (settings.region !== undefined) return new sdk.S3Client({ ...config, region: settings.region });
  // No region in the environment: the profile's, else us-east-1 (redirects find the bucket's own).
  const probe = new sdk.S3Client(config);
  try {
    await probe.config.region();
    return probe;
  } catch {
    probe.destroy();
    return new sdk.S3Client({ ...config, region: 'us-east-1' });
  }
}

/** An ETag without its quotes (listings and GETs of some stores differ there). */
function etag(value: string | undefined): string {
  return (value ?? '').replace(/^W\//, '').replace(/"/g, '');
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
