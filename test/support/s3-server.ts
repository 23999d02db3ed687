import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type ServerProcess, startServerProcess } from './server-process';

/** The key pair s3rver knows (it checks the key id, not the signature). */
export const S3RVER_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3TestServer {
  endpoint: string;
  port: number;
  /** The directory s3rver stores buckets in. */
  directory: string;
  /** A client with good keys, for setting up buckets and objects. */
  client: S3Client;
  stop(): Promise<void>;
}

export interface S3ServerOptions {
  /** `bucket` or `bucket/prefix` on which every request is answered 403 AccessDenied. */
  deny?: string[];
}

const MAIN = path.join(__dirname, 's3-server-main.js');

/**
 * Starts s3rver in its own process on 127.0.0.1 (see s3-server-main.js).
 * stop() ends it and removes its directory; it also ends by itself when
 * this process does.
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3TestServer> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-s3-'));
  const deny = (options.deny ?? []).flatMap((d) => ['--deny', d]);
  let proc: ServerProcess;
  try {
    // s3rver encrypts its continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
    proc = await startServerProcess(['--openssl-legacy-provider'], MAIN, ['--directory', directory, ...deny]);
  } catch (err) {
    await fs.rm(directory, { recursive: true, force: true });
    throw err;
  }
  const port = proc.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = testClient(endpoint);
  return {
    endpoint,
    port,
    directory,
    client,
    async stop() {
      client.destroy();
      await proc.stop();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

/** A client of the test server for setup: path-style, no checksum headers s3rver would store as data. */
export function testClient(endpoint: string, credentials = S3RVER_KEYS): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

export async function putObject(client: S3Client, bucket: string, key: string, body: Uint8Array): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** Every file under `dir`, uploaded under `prefix/` with the same relative keys. */
export async function uploadTree(client: S3Client, bucket: string, prefix: string, dir: string): Promise<number> {
  let count = 0;
  for (const file of await filesUnder(dir)) {
    const rel = path.relative(dir, file).split(path.sep).join('/');
    await putObject(client, bucket, prefix === '' ? rel : `${prefix}/${rel}`, await fs.readFile(file));
    count++;
  }
  return count;
}

/**
 * Objects written straight into s3rver's directory (its layout: one
 * `<key>._S3rver_object` file per object, under the bucket's folder), so
 * that tens of thousands exist in a second; s3rver lists and serves them
 * as uploaded ones.
 */
export async function seedObjects(
  server: S3TestServer,
  bucket: string,
  objects: Map<string, Uint8Array>,
): Promise<void> {
  const made = new Set<string>();
  for (const [key, body] of objects) {
    const file = path.join(server.directory, bucket, ...`${key}._S3rver_object`.split('/'));
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      await fs.mkdir(dir, { recursive: true });
      made.add(dir);
    }
    await fs.writeFile(file, body);
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}
