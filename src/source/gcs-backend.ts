import type { Bucket, StorageOptions } from '@google-cloud/storage';
import type { FileStat } from './file-source';
import { gcsErrorToSourceError } from './gcs-errors';
import type { ObjectBackend, ObjectInfo, RangeResponse } from './object-store-source';

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
  private handle: Promise<Bucket> | undefined;

  constructor(
    readonly bucket: string,
    private readonly storageOptions: StorageOptions = {},
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

  async getRange(key: string, start: number, end: number): Promise<RangeResponse> {
    const bucket = await this.connect();
    // Ranged reads carry no whole-object hash to check; stored bytes as they are (no gunzip).
    const stream = bucket.file(key).createReadStream({ start, end: end - 1, validation: false, decompress: false });
    let generation = '';
    stream.on('response', (res: { headers?: Record<string, string | string[] | undefined> }) => {
      generation = String(res.headers?.['x-goog-generation'] ?? '');
    });
    const it = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    // The request starts when the stream is first read; its first chunk (or error) says it was answered.
    const first = await it.next();
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        if (first.done === true) return;
        yield first.value;
        for (;;) {
          const r = await it.next();
          if (r.done === true) return;
          yield r.value;
        }
      } finally {
        await it.return?.();
      }
    }
    return { version: generation, body: body(), abort: () => stream.destroy() };
  }

  toSourceError(err: unknown, key: string, op: 'list' | 'object') {
    return gcsErrorToSourceError(err, { bucket: this.bucket, key, op });
  }

  private connect(): Promise<Bucket> {
    // The library loads only when a gs:// logdir is read.
    this.handle ??= import('@google-cloud/storage').then(({ Storage }) =>
      new Storage({ retryOptions: GCS_RETRY, ...this.storageOptions }).bucket(this.bucket),
    );
    return this.handle;
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
