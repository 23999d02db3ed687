/**
 * The s3:// source against a real S3-protocol server (s3rver, its own
 * process on 127.0.0.1, see test/support/s3-server.ts), through the
 * AWS SDK exactly as a user's logdir would be read.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { discoverRuns, isEventFileName } from '../../src/logdir/discover-runs';
import type { FileSource } from '../../src/source/file-source';
import { Limiter } from '../../src/source/limiter';
import { ObjectStoreSource } from '../../src/source/object-store-source';
import { openSource } from '../../src/source/open-source';
import { S3Backend } from '../../src/source/s3-backend';
import { s3Settings } from '../../src/source/s3-settings';
import { isSourceError, type SourceError } from '../../src/source/source-error';
import { CloudEnv } from '../support/cloud-env';
import { CuttingProxy } from '../support/cutting-proxy';
import {
  createBucket,
  putObject,
  S3RVER_KEYS,
  type S3TestServer,
  seedObjects,
  startS3Server,
  uploadTree,
} from '../support/s3-server';

const BUCKET = 'fb-logs';
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'logdirs');
const FAST_RETRY = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 };

let env: CloudEnv;
let server: S3TestServer;

beforeAll(async () => {
  env = new CloudEnv({ ...S3RVER_KEYS, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
  server = await startS3Server({ deny: [`${BUCKET}/secret`] });
  await createBucket(server.client, BUCKET);
  await uploadTree(server.client, BUCKET, 'logs', FIXTURES);
});

afterAll(async () => {
  await server?.stop();
  env?.restore();
});

/** The source for `url` on the test server, as `AWS_ENDPOINT_URL_S3` would make it. */
function source(url: string, extraEnv: Record<string, string> = {}): FileSource {
  return openSource(url, {
    env: { AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: 'us-east-1', ...extraEnv },
    s3MaxAttempts: 2,
    object: { retry: FAST_RETRY },
  });
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

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

describe('listing', () => {
  test('10,500 objects come back, every one once, over 11 pages', async () => {
    const objects = new Map<string, Uint8Array>();
    for (let i = 0; i < 10_500; i++)
      objects.set(`many/run${String(i % 50).padStart(2, '0')}/events.out.tfevents.${i}`, Buffer.from([i % 256]));
    await seedObjects(server, BUCKET, objects);
    const backend = new S3Backend(
      BUCKET,
      s3Settings({ AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: 'us-east-1' }),
    );
    let pages = 0;
    const listPage = backend.listPage.bind(backend);
    backend.listPage = (prefix, token) => {
      pages++;
      return listPage(prefix, token);
    };
    const src = new ObjectStoreSource(backend, 'many');
    const listed = await listAll(src);
    expect(pages).toBe(11);
    expect(listed).toHaveLength(10_500);
    expect(new Set(listed)).toEqual(new Set([...objects.keys()].map((k) => `s3://${BUCKET}/${k}`)));
  });

  test.each(fs.readdirSync(FIXTURES))('fixture logdir %s: run names and files as from its directory', async (name) => {
    const local = await discoverRuns(path.join(FIXTURES, name));
    const src = source(`s3://${BUCKET}/logs/${name}`);
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

  test('listing entries carry size and ETag; "folder" objects are not files', async () => {
    await putObject(server.client, BUCKET, 'folders/run/', new Uint8Array(0));
    await putObject(server.client, BUCKET, 'folders/run/events.out.tfevents.1', Buffer.from('abc'));
    const entries = [];
    for await (const e of source(`s3://${BUCKET}/folders`).list()) entries.push(e);
    expect(entries).toEqual([
      {
        path: `s3://${BUCKET}/folders/run/events.out.tfevents.1`,
        stat: { size: 3, mtimeMs: expect.any(Number), version: md5(Buffer.from('abc')) },
      },
    ]);
  });

  test('the prefix itself is run "."; a prefix is a whole path segment', async () => {
    await putObject(server.client, BUCKET, 'seg/events.out.tfevents.1', Buffer.from('x'));
    await putObject(server.client, BUCKET, 'seg2/events.out.tfevents.1', Buffer.from('y'));
    const src = source(`s3://${BUCKET}/seg/`);
    expect(src.root).toBe(`s3://${BUCKET}/seg`);
    const listed = await listAll(src);
    expect(listed).toEqual([`s3://${BUCKET}/seg/events.out.tfevents.1`]);
    expect(src.relative(src.parent(listed[0] as string)) || '.').toBe('.');
  });
});

describe('reading', () => {
  const big = randomBytes(5 * 1024 * 1024 + 12345);

  beforeAll(async () => {
    await putObject(server.client, BUCKET, 'read/big.bin', big);
  });

  test('ranged GETs of a set size, fed in chunks as they arrive, never more than the bound in flight', async () => {
    const limiter = new Limiter(2);
    const backend = new S3Backend(
      BUCKET,
      s3Settings({ AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: 'us-east-1' }),
    );
    const ranges: [number, number][] = [];
    let peak = 0;
    const getRange = backend.getRange.bind(backend);
    backend.getRange = (key, start, end) => {
      ranges.push([start, end]);
      peak = Math.max(peak, limiter.inUse);
      return getRange(key, start, end);
    };
    const src = new ObjectStoreSource(backend, '', { rangeBytes: 1024 * 1024, limiter });
    const { bytes, sizes } = await collect(src.read(`s3://${BUCKET}/read/big.bin`, 0));
    expect(bytes.equals(big)).toBe(true);
    expect(ranges).toEqual(Array.from({ length: 6 }, (_, i) => [i * 1048576, Math.min(big.length, (i + 1) * 1048576)]));
    // Chunks as the socket delivers them: many per range, none as large as a range.
    expect(sizes.length).toBeGreaterThan(ranges.length * 2);
    expect(Math.max(...sizes)).toBeLessThan(1024 * 1024);
    expect(peak).toBeLessThanOrEqual(2);
    expect(limiter.inUse).toBe(0);
  });

  test('from an offset, for a length; nothing at the end', async () => {
    const src = source(`s3://${BUCKET}`);
    const { bytes } = await collect(src.read(`s3://${BUCKET}/read/big.bin`, 1000, 70_000));
    expect(bytes.equals(big.subarray(1000, 71_000))).toBe(true);
    expect((await collect(src.read(`s3://${BUCKET}/read/big.bin`, big.length))).bytes.length).toBe(0);
    expect(Buffer.from(await src.readRange(`s3://${BUCKET}/read/big.bin`, 42, 10)).equals(big.subarray(42, 52))).toBe(
      true,
    );
  });

  test('a consumer that stops early gives its GETs back', async () => {
    const limiter = new Limiter(2);
    const backend = new S3Backend(
      BUCKET,
      s3Settings({ AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: 'us-east-1' }),
    );
    const src = new ObjectStoreSource(backend, '', { rangeBytes: 1024 * 1024, limiter });
    for await (const _ of src.read(`s3://${BUCKET}/read/big.bin`, 0)) break;
    // The request made ahead is aborted once it has answered.
    for (let i = 0; i < 50 && limiter.inUse > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(limiter.inUse).toBe(0);
  });

  test('stat: size and ETag (the MD5 of a single-part upload)', async () => {
    const st = await source(`s3://${BUCKET}`).stat(`s3://${BUCKET}/read/big.bin`);
    expect(st.size).toBe(big.length);
    expect(st.version).toBe(md5(big));
    expect(st.mtimeMs).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  test('readAll of a small object, and TOO_LARGE past the limit', async () => {
    await putObject(server.client, BUCKET, 'read/small.txt', Buffer.from('hello'));
    const src = source(`s3://${BUCKET}`);
    expect(Buffer.from(await src.readAll(`s3://${BUCKET}/read/small.txt`, 100)).toString()).toBe('hello');
    const err = await failure(() => src.readAll(`s3://${BUCKET}/read/small.txt`, 4));
    expect(err.code).toBe('TOO_LARGE');
  });
});

describe('an object that changes between reads', () => {
  const key = 'live/run/events.out.tfevents.1';
  const url = `s3://${BUCKET}/${key}`;
  const first = randomBytes(3000);
  const added = randomBytes(1500);

  test('grew: a new ETag and size; reading from the saved offset brings only the new bytes', async () => {
    await putObject(server.client, BUCKET, key, first);
    const src = source(`s3://${BUCKET}/live`);
    const before = await src.stat(url);
    await putObject(server.client, BUCKET, key, Buffer.concat([first, added]));
    const after = await src.stat(url);
    expect(after.size).toBe(first.length + added.length);
    expect(after.version).not.toBe(before.version);
    const { bytes } = await collect(src.read(url, before.size, after.size - before.size, { version: after.version }));
    expect(bytes.equals(added)).toBe(true);
  });

  test('shrank: the size is below the saved offset', async () => {
    await putObject(server.client, BUCKET, key, first);
    const src = source(`s3://${BUCKET}/live`);
    const offset = (await src.stat(url)).size;
    await putObject(server.client, BUCKET, key, first.subarray(0, 100));
    expect((await src.stat(url)).size).toBeLessThan(offset);
  });

  test('rewritten below the offset, same size: another ETag; a read of the old version fails CHANGED', async () => {
    await putObject(server.client, BUCKET, key, first);
    const src = source(`s3://${BUCKET}/live`);
    const before = await src.stat(url);
    const rewritten = Buffer.from(first);
    rewritten[10] = (rewritten[10] as number) ^ 0xff;
    await putObject(server.client, BUCKET, key, rewritten);
    const after = await src.stat(url);
    expect(after.size).toBe(before.size);
    expect(after.version).not.toBe(before.version);
    const err = await failure(() => collect(src.read(url, 0, undefined, { version: before.version })));
    expect(err.code).toBe('CHANGED');
    expect(err.message).toBe(`${url}: the object was rewritten while it was read; it is read again`);
  });

  test('rewritten in the middle of a read of several ranges: CHANGED, not a mix of two versions', async () => {
    const v1 = randomBytes(4 * 65536);
    await putObject(server.client, BUCKET, 'live/mid.bin', v1);
    const backend = new S3Backend(
      BUCKET,
      s3Settings({ AWS_ENDPOINT_URL_S3: server.endpoint, AWS_REGION: 'us-east-1' }),
    );
    const src = new ObjectStoreSource(backend, '', { rangeBytes: 65536 });
    const err = await failure(async () => {
      let n = 0;
      for await (const _ of src.read(`s3://${BUCKET}/live/mid.bin`, 0)) {
        if (n++ === 0) await putObject(server.client, BUCKET, 'live/mid.bin', randomBytes(4 * 65536));
      }
    });
    expect(err.code).toBe('CHANGED');
  });
});

describe('failures: one line naming the bucket / key and what to do', () => {
  function expectOneLine(err: SourceError, location: string): void {
    expect(err.message.startsWith(`${location}: `)).toBe(true);
    expect(err.message).not.toMatch(/\n|\s{2}at /);
  }

  test('no credentials anywhere in the chain', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const err = await failure(() => listAll(source(`s3://${BUCKET}/logs`)));
      expect(err.code).toBe('NO_CREDENTIALS');
      expectOneLine(err, `s3://${BUCKET}`);
      expect(err.message).toMatch(/no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  test('wrong keys: refused by the server', async () => {
    env.set({ AWS_ACCESS_KEY_ID: 'NOT-A-KEY' });
    try {
      const err = await failure(() => listAll(source(`s3://${BUCKET}/logs`)));
      expect(err.code).toBe('BAD_CREDENTIALS');
      expectOneLine(err, `s3://${BUCKET}`);
      expect(err.message).toMatch(/the credentials were refused \(InvalidAccessKeyId\)/);
    } finally {
      env.set({ AWS_ACCESS_KEY_ID: 'S3RVER' });
    }
  });

  test('access denied on a listing and on an object', async () => {
    await seedObjects(server, BUCKET, new Map([['secret/run/events.out.tfevents.1', Buffer.from('s')]]));
    const src = source(`s3://${BUCKET}`);
    const listing = await failure(() => listAll(src, `s3://${BUCKET}/secret`));
    expect(listing.code).toBe('ACCESS_DENIED');
    expectOneLine(listing, `s3://${BUCKET}/secret/`);
    expect(listing.message).toMatch(/access denied \(AccessDenied\); the credentials in use need s3:ListBucket/);
    const object = await failure(() => src.readRange(`s3://${BUCKET}/secret/run/events.out.tfevents.1`, 0, 1));
    expect(object.code).toBe('ACCESS_DENIED');
    expectOneLine(object, `s3://${BUCKET}/secret/run/events.out.tfevents.1`);
    expect(object.message).toMatch(/s3:GetObject on the key/);
  });

  test('no such bucket', async () => {
    const err = await failure(() => listAll(source('s3://no-such-bucket-here/logs')));
    expect(err.code).toBe('NO_SUCH_BUCKET');
    expect(err.message).toBe(
      's3://no-such-bucket-here: no such bucket; check its name, and AWS_REGION or the endpoint ' +
        '(AWS_ENDPOINT_URL_S3, S3_ENDPOINT)',
    );
  });

  test('an object that vanished between the listing and the read', async () => {
    await putObject(server.client, BUCKET, 'gone/run/events.out.tfevents.1', Buffer.from('soon gone'));
    const src = source(`s3://${BUCKET}/gone`);
    const [listed] = await listAll(src);
    await server.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone/run/events.out.tfevents.1' }));
    const err = await failure(() => collect(src.read(listed as string, 0)));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe(
      `s3://${BUCKET}/gone/run/events.out.tfevents.1: the object is gone (deleted or renamed since it was listed)`,
    );
    const ranged = await failure(() => src.readRange(listed as string, 0, 3));
    expect(ranged.code).toBe('NOT_FOUND');
  });

  describe('through a proxy that drops the network', () => {
    const data = randomBytes(3 * 1024 * 1024);
    let proxy: CuttingProxy;

    beforeAll(async () => {
      await putObject(server.client, BUCKET, 'net/big.bin', data);
      proxy = new CuttingProxy(server.port);
      await proxy.start();
    });

    afterAll(async () => {
      await proxy?.stop();
    });

    afterEach(() => proxy.restore());

    function viaProxy(): FileSource {
      const settings = s3Settings({ AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${proxy.port}`, AWS_REGION: 'us-east-1' });
      return new ObjectStoreSource(new S3Backend(BUCKET, settings, 2), '', {
        rangeBytes: 1024 * 1024,
        retry: FAST_RETRY,
      });
    }

    test('a body cut off halfway is requested again from where it stopped: every byte, once', async () => {
      const src = viaProxy();
      const before = proxy.connections;
      proxy.cutAfter(200_000, 2);
      const { bytes } = await collect(src.read(`s3://${BUCKET}/net/big.bin`, 0));
      expect(bytes.equals(data)).toBe(true);
      // The two cut connections were replaced.
      expect(proxy.connections - before).toBeGreaterThanOrEqual(2);
    });

    test('a network that stays down mid-read: retries, then one line', async () => {
      const src = viaProxy();
      const started = Date.now();
      const err = await failure(async () => {
        let n = 0;
        for await (const _ of src.read(`s3://${BUCKET}/net/big.bin`, 0)) if (n++ === 0) proxy.goDown();
      });
      expect(err.code).toBe('NETWORK');
      expectOneLine(err, `s3://${BUCKET}/net/big.bin`);
      expect(err.message).toMatch(
        new RegExp(`cannot reach http://127\\.0\\.0\\.1:${proxy.port} \\([\\w ]+\\) after .*; check the network`),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    test('a network that is down: the listing fails after the SDK retries, in one line', async () => {
      const src = viaProxy();
      proxy.goDown();
      const before = proxy.connections;
      const err = await failure(() => listAll(src));
      expect(err.code).toBe('NETWORK');
      expectOneLine(err, `s3://${BUCKET}`);
      expect(err.message).toMatch(/after 2 attempts; check the network and the endpoint$/);
      expect(proxy.connections - before).toBe(2);
    });
  });
});
