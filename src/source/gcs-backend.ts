import type { Bucket, Storage, StorageOptions } from '@google-cloud/storage';
import type { FileStat } from './file-source';
import { gcsErrorToSourceError } from './gcs-errors';
import type { ObjectBackend, ObjectInfo, RangeResponse } from './object-store-source';
import { backoffMs, DEFAULT_RETRY, isNetworkError, type RetryPolicy, sleep } from './retry';

/** Keys per listing page (the JSON API's most). */
const PAGE_SIZE = 1000;

/** The library's retries: a few, backing off from 1 s, never longer than 8 s apart. */
export const GCS_RETRY: NonNullable<StorageOptions['retryOptions']> = {
  autoRetry: true,
  maxRetries: 3,
  retryDelayMultiplier: 2,
  maxRetryDelay: 8,
  totalTimeout: 120,
};

interface ObjectMetadata {
  size?: string | number;
  updated?: string;
  generation?: string | number;
}

/**
 * Google Cloud Storage through `@google-cloud/storage` (JSON API) with
 * Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`,
 * `gcloud auth application-default login`, the metadata server on Google
 * Cloud). `STORAGE_EMULATOR_HOST` points it at an emulator, as the library does.
 * The version of an object is its generation: a new one on every write.
 */
export class GcsBackend implements ObjectBackend {
  readonly scheme = 'gs';
  private client: Promise<Storage> | undefined;

  constructor(
    readonly bucket: string,
    private readonly storageOptions: StorageOptions = {},
    /** Tries of one ranged GET that fails before its body (the library retries the other calls itself). */
    private readonly rangeRetry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async listPage(
    keyPrefix: string,
    token: string | undefined,
  ): Promise<{ objects: ObjectInfo[]; next: string | undefined }> {
    const bucket = await this.connect();
    const [files, nextQuery] = await bucket.getFiles({
      prefix: keyPrefix,
      autoPaginate: false,
      maxResults: PAGE_SIZE,
      ...(token !== undefined ? { pageToken: token } : {}),
    });
    const next = (nextQuery as { pageToken?: string } | null | undefined)?.pageToken;
    return {
      objects: files.map((f) => ({ key: f.name, stat: statOf(f.metadata as ObjectMetadata) })),
      next: next === undefined || next === '' ? undefined : next,
    };
  }

  async head(key: string): Promise<FileStat> {
    const bucket = await this.connect();
    const [metadata] = await bucket.file(key).getMetadata();
    return statOf(metadata as ObjectMetadata);
  }

  /**
   * A ranged media GET made with Node's own fetch, not the library's read
   * stream: that one neither ends nor fails when the connection drops
   * halfway (it waits forever), where fetch fails and the read is resumed.
   */
  async getRange(key: string, start: number, end: number): Promise<RangeResponse> {
    const storage = await this.storage();
    const url =
      `${storage.apiEndpoint}/storage/v1/b/${encodeURIComponent(this.bucket)}` +
      `/o/${encodeURIComponent(key)}?alt=media`;
    const auth = await this.authHeaders(storage, url);
    for (let attempt = 1; ; attempt++) {
      const abort = new AbortController();
      try {
        const res = await fetch(url, {
          headers: { ...auth.headers, Range: `bytes=${start}-${end - 1}`, 'Accept-Encoding': 'identity' },
          signal: abort.signal,
        });
        if (res.status === 200 || res.status === 206) {
          const body = res.body;
          return {
            version: res.headers.get('x-goog-generation') ?? '',
            body: body === null ? emptyBody() : (body as AsyncIterable<Uint8Array>),
            abort: () => abort.abort(),
          };
        }
        const text = await res.text().catch(() => '');
        // Sent without credentials because none were found, and refused for it: say that.
        if (res.status === 401 && auth.missing !== undefined) throw auth.missing;
        throw Object.assign(new Error(firstLineOf(text) || `HTTP ${res.status}`), { code: res.status });
      } catch (err) {
        abort.abort();
        const status = (err as { code?: unknown }).code;
        const transient = isNetworkError(err) || (typeof status === 'number' && (status === 429 || status >= 500));
        if (!transient || attempt >= this.rangeRetry.attempts) throw err;
        await sleep(backoffMs(this.rangeRetry, attempt + 1));
      }
    }
  }

  /** The library's credentials for `url`, as it would send them; none for an emulator, or when none exist. */
  private async authHeaders(
    storage: Storage,
    url: string,
  ): Promise<{ headers: Record<string, string>; missing: Error | undefined }> {
    if (storage.customEndpoint && this.storageOptions.useAuthWithCustomEndpoint !== true)
      return { headers: {}, missing: undefined };
    try {
      const headers: unknown = await storage.authClient.getRequestHeaders(url);
      const entries =
        headers instanceof Map || (typeof headers === 'object' && headers !== null && 'entries' in headers)
          ? [...(headers as Map<string, string>).entries()]
          : Object.entries(headers as Record<string, string>);
      return { headers: Object.fromEntries(entries), missing: undefined };
    } catch (err) {
      // As the library does: without credentials a public bucket still answers.
      if (/could not load the default credentials/i.test(firstLineOf((err as Error).message ?? '')))
        return { headers: {}, missing: err as Error };
      throw err;
    }
  }

  toSourceError(err: unknown, key: string, op: 'list' | 'object') {
    return gcsErrorToSourceError(err, { bucket: this.bucket, key, op });
  }

  private async connect(): Promise<Bucket> {
    return (await this.storage()).bucket(this.bucket);
  }

  private storage(): Promise<Storage> {
    // The library loads only when a gs:// logdir is read.
    this.client ??= import('@google-cloud/storage').then(
      ({ Storage }) => new Storage({ retryOptions: GCS_RETRY, ...this.storageOptions }),
    );
    return this.client;
  }
}

function statOf(md: ObjectMetadata): FileStat {
  const updated = md.updated === undefined ? Number.NaN : Date.parse(md.updated);
  return {
    size: Number(md.size ?? 0),
    mtimeMs: Number.isFinite(updated) ? updated : 0,
    version: String(md.generation ?? ''),
  };
}

function firstLineOf(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
