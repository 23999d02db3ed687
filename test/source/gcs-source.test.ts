/**
 * The gs:// source against a GCS JSON-API server (the Cloud Storage
 * emulator of firebase-tools, its own process on 127.0.0.1, see
 * test/support/gcs-server.ts), through @google-cloud/storage as a user's
 * logdir would be read. The emulator checks no credentials or permissions,
 * answers anonymous requests and creates buckets on first use, so
 * NO_CREDENTIALS (the library turns a 401 to a request it sent without
 * credentials into that), BAD_CREDENTIALS, ACCESS_DENIED and NO_SUCH_BUCKET
 * on gs:// are not tried against it (see gcs-errors.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { discoverRuns, isEventFileName } from '../../src/logdir/discover-runs';
import type { FileSource } from '../../src/source/file-source';
import { GcsBackend } from '../../src/source/gcs-backend';
import { Limiter } from '../../src/source/limiter';
import { ObjectStoreSource } from '../../src/source/object-store-source';
import { openSource } from '../../src/source/open-source';
import { isSourceError, type SourceError } from '../../src/source/source-error';
import { CloudEnv } from '../support/cloud-env';
import { CuttingProxy } from '../support/cutting-proxy';
import { type GcsTestServer, saveGcs, startGcsServer, uploadTreeGcs } from '../support/gcs-server';

const BUCKET = 'fb-logs';
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'logdirs');
const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };
/** The library's own retries, a few and quick (its delays are in seconds). */
const FAST_GCS_RETRY = { autoRetry: true, maxRetries: 1, maxRetryDelay: 0.05, totalTimeout: 10 };

let env: CloudEnv;
let server: GcsTestServer;

beforeAll(async () => {
  env = new CloudEnv();
  server = await startGcsServer();
  await uploadTreeGcs(server.storage, BUCKET, 'logs', FIXTURES);
});

afterAll(async () => {
  await server?.stop();
  env?.restore();
});

function options(endpoint = server.endpoint) {
  return { apiEndpoint: endpoint, projectId: 'demo-featherboard', retryOptions: FAST_GCS_RETRY };
}

function source(url: string): FileSource {
  return openSource(url, { gcs: options(), object: { retry: FAST_RETRY } });
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; sizes: number[] }> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return { bytes: Buffer.concat(parts), sizes: parts.map((p) => p.length) };
}

async function listAll(src: FileSource, dir?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of src.list(dir)) out.push(e.path);
  return out;
}

async function failure(work: () => Promise<unknown>): Promise<SourceError> {
  try {
    await work();
  } catch (err) {
    if (isSourceError(err)) return err;
    throw err;
  }
  throw new Error('expected a SourceError');
}

function expectOneLine(err: SourceError, location: string): void {
  expect(err.message.startsWith(`${location}: `)).toBe(true);
  expect(err.message).not.toMatch(/\n|\s{2}at /);
}

describe('listing', () => {
  test('2,500 objects over 3 pages, every one once', async () => {
    const keys = Array.from({ length: 2500 }, (_, i) => `many/run${i % 10}/events.out.tfevents.${i}`);
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(keys.slice(i, i + 50).map((k) => saveGcs(server.storage, BUCKET, k, Buffer.from('x'))));
    const backend = new GcsBackend(BUCKET, options());
    let pages = 0;
    const listPage = backend.listPage.bind(backend);
    backend.listPage = (prefix, token) => {
      pages++;
      return listPage(prefix, token);
    };
    const listed = await listAll(new ObjectStoreSource(backend, 'many'));
    expect(pages).toBe(3);
    expect(listed).toHaveLength(2500);
    expect(new Set(listed)).toEqual(new Set(keys.map((k) => `gs://${BUCKET}/${k}`)));
  });

  test.each(readdirSync(FIXTURES))('fixture logdir %s: run names and files as from its directory', async (name) => {
    const local = await discoverRuns(path.join(FIXTURES, name));
    const src = source(`gs://${BUCKET}/logs/${name}`);
    const runs = new Map<string, string[]>();
    for await (const e of src.list()) {
      if (!isEventFileName(path.posix.basename(e.path))) continue;
      const run = src.relative(src.parent(e.path)) || '.';
      runs.set(run, [...(runs.get(run) ?? []), src.relative(e.path)]);
    }
    const expected = local.map((r) => ({
      name: r.name,
      files: r.files.map((f) => path.relative(path.join(FIXTURES, name), f).split(path.sep).join('/')),
    }));
    const got = [...runs].map(([n, files]) => ({ name: n, files: files.sort() }));
    expect(got.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(expected);
  });
});

describe('reading', () => {
  const big = randomBytes(3 * 1024 * 1024 + 777);

  beforeAll(async () => {
    await saveGcs(server.storage, BUCKET, 'read/big.bin', big);
  });

  test('ranged reads of a set size, in chunks as they arrive, within the bound', async () => {
    const limiter = new Limiter(2);
    const backend = new GcsBackend(BUCKET, options());
    const ranges: [number, number][] = [];
    const getRange = backend.getRange.bind(backend);
    backend.getRange = (key, start, end) => {
      ranges.push([start, end]);
      return getRange(key, start, end);
    };
    const src = new ObjectStoreSource(backend, '', { rangeBytes: 1024 * 1024, limiter });
    const { bytes, sizes } = await collect(src.read(`gs://${BUCKET}/read/big.bin`, 0));
    expect(bytes.equals(big)).toBe(true);
    expect(ranges).toEqual([
      [0, 1048576],
      [1048576, 2097152],
      [2097152, 3145728],
      [3145728, big.length],
    ]);
    expect(sizes.length).toBeGreaterThan(ranges.length);
    expect(Math.max(...sizes)).toBeLessThan(1024 * 1024);
    expect(limiter.inUse).toBe(0);
  });

  test('from an offset for a length; stat gives size and generation', async () => {
    const src = source(`gs://${BUCKET}`);
    const { bytes } = await collect(src.read(`gs://${BUCKET}/read/big.bin`, 5000, 100_000));
    expect(bytes.equals(big.subarray(5000, 105_000))).toBe(true);
    const st = await src.stat(`gs://${BUCKET}/read/big.bin`);
    expect(st.size).toBe(big.length);
    expect(st.version).toMatch(/^\d+$/);
  });

  test('grew: a new generation; from the saved offset only the new bytes', async () => {
    const url = `gs://${BUCKET}/live/events.out.tfevents.1`;
    const first = randomBytes(2000);
    const added = randomBytes(900);
    await saveGcs(server.storage, BUCKET, 'live/events.out.tfevents.1', first);
    const src = source(`gs://${BUCKET}/live`);
    const before = await src.stat(url);
    await saveGcs(server.storage, BUCKET, 'live/events.out.tfevents.1', Buffer.concat([first, added]));
    const after = await src.stat(url);
    expect(after.version).not.toBe(before.version);
    const { bytes } = await collect(src.read(url, before.size, after.size - before.size, { version: after.version }));
    expect(bytes.equals(added)).toBe(true);
    // Shrank: below the saved offset.
    await saveGcs(server.storage, BUCKET, 'live/events.out.tfevents.1', first.subarray(0, 10));
    expect((await src.stat(url)).size).toBeLessThan(before.size);
    // A read pinned to an older generation fails CHANGED.
    const err = await failure(() => collect(src.read(url, 0, undefined, { version: before.version })));
    expect(err.code).toBe('CHANGED');
  });
});

describe('failures', () => {
  test('an object that vanished between the listing and the read', async () => {
    await saveGcs(server.storage, BUCKET, 'gone/events.out.tfevents.1', Buffer.from('soon gone'));
    const src = source(`gs://${BUCKET}/gone`);
    const [listed] = await listAll(src);
    await server.storage.bucket(BUCKET).file('gone/events.out.tfevents.1').delete();
    for (const work of [() => collect(src.read(listed as string, 0)), () => src.readRange(listed as string, 0, 3)]) {
      const err = await failure(work);
      expect(err.code).toBe('NOT_FOUND');
      expect(err.message).toBe(
        `gs://${BUCKET}/gone/events.out.tfevents.1: the object is gone (deleted or renamed since it was listed)`,
      );
    }
  });

  describe('through a proxy that drops the network', () => {
    const data = randomBytes(2 * 1024 * 1024);
    let proxy: CuttingProxy;

    beforeAll(async () => {
      await saveGcs(server.storage, BUCKET, 'net/big.bin', data);
      proxy = new CuttingProxy(server.port);
      await proxy.start();
    });

    afterAll(async () => {
      await proxy?.stop();
    });

    afterEach(() => proxy.restore());

    function viaProxy(): FileSource {
      const backend = new GcsBackend(BUCKET, options(`http://127.0.0.1:${proxy.port}`), FAST_RETRY);
      return new ObjectStoreSource(backend, '', { rangeBytes: 1024 * 1024, retry: FAST_RETRY });
    }

    test('a body cut off halfway is requested again from where it stopped', async () => {
      const src = viaProxy();
      const before = proxy.connections;
      proxy.cutAfter(150_000, 2);
      const { bytes } = await collect(src.read(`gs://${BUCKET}/net/big.bin`, 0));
      expect(bytes.equals(data)).toBe(true);
      expect(proxy.connections - before).toBeGreaterThanOrEqual(2);
    });

    test('a network that stays down mid-read: retries, then one line', async () => {
      const src = viaProxy();
      const err = await failure(async () => {
        let n = 0;
        for await (const _ of src.read(`gs://${BUCKET}/net/big.bin`, 0)) if (n++ === 0) proxy.goDown();
      });
      expect(err.code).toBe('NETWORK');
      expectOneLine(err, `gs://${BUCKET}/net/big.bin`);
      expect(err.message).toMatch(/cannot reach Cloud Storage \([\w ]+\) after retries; check the network/);
    });

    test('a network that is down: the listing fails in one line', async () => {
      const src = viaProxy();
      proxy.goDown();
      const err = await failure(() => listAll(src));
      expect(err.code).toBe('NETWORK');
      expectOneLine(err, `gs://${BUCKET}`);
    });
  });
});
