import type { FileEntry, FileSource, FileStat, ReadOptions } from './file-source';
import { Limiter } from './limiter';
import type { ObjectScheme } from './location';
import { backoffMs, DEFAULT_RETRY, isNetworkError, type RetryPolicy, sleep } from './retry';
import { isSourceError, SourceError } from './source-error';

/** One object as a listing or a HEAD describes it. */
export interface ObjectInfo {
  key: string;
  stat: FileStat;
}

/** A ranged GET whose response has begun: its version and its body, as it arrives. */
export interface RangeResponse {
  /** The ETag / generation of the object that answered. */
  version: string;
  body: AsyncIterable<Uint8Array>;
  /** Stop receiving (the body is not wanted any more, or failed). */
  abort(): void;
}

/** What differs between S3 and GCS: a few calls on one bucket, and what their errors mean. */
export interface ObjectBackend {
  readonly scheme: ObjectScheme;
  readonly bucket: string;
  /** One page of the keys under `keyPrefix`, in key order, and the token of the next one. */
  listPage(keyPrefix: string, token: string | undefined): Promise<{ objects: ObjectInfo[]; next: string | undefined }>;
  head(key: string): Promise<FileStat>;
  /** Bytes [start, end) of the object; `end` exclusive and past `start`. */
  getRange(key: string, start: number, end: number): Promise<RangeResponse>;
  /** The SourceError an SDK error stands for: on listing under key prefix `key`, or on object `key`. */
  toSourceError(err: unknown, key: string, op: 'list' | 'object'): SourceError;
}

export interface ObjectSourceOptions {
  /** Bytes per ranged GET. Several MiB: few requests, and memory stays bounded. */
  rangeBytes?: number;
  /** Resumes of a body cut off halfway, per range, without a byte arriving in between. */
  retry?: RetryPolicy;
  /** Bounds the GETs in flight (shared by every source of the process by default). */
  limiter?: Limiter;
}

export const DEFAULT_RANGE_BYTES = 8 * 1024 * 1024;
/** GETs in flight across every object store source: each object read holds one and requests the next ahead. */
export const MAX_GETS_IN_FLIGHT = 8;
const SHARED_LIMITER = new Limiter(MAX_GETS_IN_FLIGHT);

/**
 * A bucket and key prefix as a file source. Paths are `scheme://bucket/key`;
 * a "directory" is a key prefix ending in `/`, as the stores' consoles show
 * them. Zero-byte "folder" objects (keys ending in `/`) are not files.
 */
export class ObjectStoreSource implements FileSource {
  readonly changes = 'poll';
  readonly versionKeptOnAppend = false;
  readonly root: string;
  private readonly bucketUrl: string;
  private readonly rangeBytes: number;
  private readonly retry: RetryPolicy;
  private readonly limiter: Limiter;

  constructor(
    private readonly backend: ObjectBackend,
    /** The key prefix of the logdir, without slashes at its ends ('' for the whole bucket). */
    private readonly prefix: string,
    options: ObjectSourceOptions = {},
  ) {
    this.bucketUrl = `${backend.scheme}://${backend.bucket}`;
    this.root = prefix === '' ? this.bucketUrl : `${this.bucketUrl}/${prefix}`;
    this.rangeBytes = options.rangeBytes ?? DEFAULT_RANGE_BYTES;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.limiter = options.limiter ?? SHARED_LIMITER;
  }

  async *list(dir: string = this.root): AsyncIterable<FileEntry> {
    const dirKey = this.keyOf(dir);
    const keyPrefix = dirKey === '' ? '' : `${dirKey}/`;
    let token: string | undefined;
    do {
      let page: Awaited<ReturnType<ObjectBackend['listPage']>>;
      try {
        page = await this.backend.listPage(keyPrefix, token);
      } catch (err) {
        throw this.backend.toSourceError(err, dirKey, 'list');
      }
      for (const o of page.objects) if (!o.key.endsWith('/')) yield { path: this.pathOf(o.key), stat: o.stat };
      token = page.next;
    } while (token !== undefined);
  }

  async stat(path: string): Promise<FileStat> {
    const key = this.keyOf(path);
    try {
      return await this.backend.head(key);
    } catch (err) {
      throw this.backend.toSourceError(err, key, 'object');
    }
  }

  async *read(path: string, offset: number, length?: number, options: ReadOptions = {}): AsyncIterable<Uint8Array> {
    const key = this.keyOf(path);
    let version = options.version;
    let end: number;
    if (length === undefined) {
      const st = await this.stat(path);
      if (version !== undefined && st.version !== version) throw this.changed(key);
      version = st.version;
      end = st.size;
    } else end = offset + length;
    if (offset >= end) return;

    const state = { version };
    // The next range is requested while this one is received: its response waits, paused, for its turn.
    let next: Promise<RangeResponse> | undefined = this.open(key, offset, Math.min(end, offset + this.rangeBytes));
    next.catch(() => {}); // awaited below; a failure before then must not count as unhandled
    try {
      for (let start = offset; start < end; ) {
        const stop = Math.min(end, start + this.rangeBytes);
        const first = next as Promise<RangeResponse>;
        next = undefined;
        const opened = await first;
        if (stop < end) {
          next = this.open(key, stop, Math.min(end, stop + this.rangeBytes));
          next.catch(() => {});
        }
        yield* this.receive(key, start, stop, opened, state);
        start = stop;
      }
    } finally {
      // The consumer stopped early, or a range failed: the request made ahead is not wanted.
      if (next !== undefined)
        void next.then(
          (r) => r.abort(),
          () => {},
        );
    }
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    let done = 0;
    for await (const chunk of this.read(path, offset, length)) {
      out.set(chunk, done);
      done += chunk.length;
    }
    if (done < length)
      throw new SourceError('CHANGED', path, `the object ended before the ${length} bytes at offset ${offset}`);
    return out;
  }

  async readAll(path: string, maxBytes: number): Promise<Uint8Array> {
    const st = await this.stat(path);
    if (st.size > maxBytes) throw new SourceError('TOO_LARGE', path, `larger than ${maxBytes} bytes`);
    const bytes = await this.readRange(path, 0, st.size);
    return bytes;
  }

  relative(path: string): string {
    const key = this.keyOf(path);
    if (this.prefix === '') return key;
    if (key === this.prefix) return '';
    if (!key.startsWith(`${this.prefix}/`))
      throw new SourceError('BAD_LOCATION', path, `not under the logdir ${this.root}`);
    return key.slice(this.prefix.length + 1);
  }

  parent(path: string): string {
    const key = this.keyOf(path);
    const slash = key.lastIndexOf('/');
    return slash < 0 ? this.bucketUrl : this.pathOf(key.slice(0, slash));
  }

  join(dir: string, ...names: string[]): string {
    const key = this.keyOf(dir);
    return this.pathOf([...(key === '' ? [] : [key]), ...names].join('/'));
  }

  /** The key a path names (`''` for the bucket itself). */
  private keyOf(path: string): string {
    if (path === this.bucketUrl) return '';
    if (!path.startsWith(`${this.bucketUrl}/`)) throw new SourceError('BAD_LOCATION', path, `not in ${this.bucketUrl}`);
    return path.slice(this.bucketUrl.length + 1);
  }

  private pathOf(key: string): string {
    return key === '' ? this.bucketUrl : `${this.bucketUrl}/${key}`;
  }

  private changed(key: string): SourceError {
    return new SourceError('CHANGED', this.pathOf(key), 'the object was rewritten while it was read; it is read again');
  }

  /** A ranged GET, once a place among the GETs in flight is free; the place is held until its body ends. */
  private async open(key: string, start: number, end: number): Promise<RangeResponse> {
    const release = await this.limiter.acquire();
    try {
      const r = await this.backend.getRange(key, start, end);
      return {
        version: r.version,
        body: releasing(r.body, release),
        abort: () => {
          release();
          r.abort();
        },
      };
    } catch (err) {
      release();
      throw isSourceError(err) ? err : this.backend.toSourceError(err, key, 'object');
    }
  }

  /**
   * The body of range [start, stop) as it arrives. A body cut off halfway is
   * requested again from the byte where it stopped, after a backoff, until a
   * try brings nothing new `retry.attempts` times in a row.
   */
  private async *receive(
    key: string,
    start: number,
    stop: number,
    first: RangeResponse,
    state: { version: string | undefined },
  ): AsyncGenerator<Uint8Array> {
    let response = first;
    let pos = start;
    let fruitless = 0;
    try {
      for (;;) {
        try {
          if (state.version === undefined) state.version = response.version;
          else if (response.version !== state.version) throw this.changed(key);
          for await (const chunk of response.body) {
            if (chunk.length === 0) continue;
            const take = chunk.length > stop - pos ? chunk.subarray(0, stop - pos) : chunk;
            pos += take.length;
            fruitless = 0;
            yield take;
            if (pos >= stop) break;
          }
          // A body that ends early without an error: the object is shorter than it was.
          if (pos < stop) throw this.changed(key);
          return;
        } catch (err) {
          response.abort();
          if (isSourceError(err)) throw err;
          if (!isNetworkError(err) || ++fruitless >= this.retry.attempts)
            throw this.backend.toSourceError(err, key, 'object');
          await sleep(backoffMs(this.retry, fruitless + 1));
          response = await this.open(key, pos, stop);
        }
      }
    } finally {
      // Done, failed, or the consumer stopped: the socket is not left holding unread bytes.
      response.abort();
    }
  }
}

/** `body`, calling `release` once it ends, fails or is abandoned. */
async function* releasing(body: AsyncIterable<Uint8Array>, release: () => void): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } finally {
    release();
  }
}
