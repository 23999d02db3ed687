import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Storage } from '@google-cloud/storage';
import { startServerProcess } from './server-process';

export interface GcsTestServer {
  endpoint: string;
  port: number;
  /** A client for setting up objects (no credentials: the emulator checks none). */
  storage: Storage;
  stop(): Promise<void>;
}

const MAIN = path.join(__dirname, 'gcs-server-main.js');

/**
 * Starts the Cloud Storage emulator in its own process on 127.0.0.1 (see
 * gcs-server-main.js), its blobs in a temporary directory of its own;
 * stop() ends it and removes that directory.
 */
export async function startGcsServer(): Promise<GcsTestServer> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'fb-gcs-'));
  let proc: Awaited<ReturnType<typeof startServerProcess>>;
  try {
    proc = await startServerProcess([], MAIN, [], { ...process.env, TMPDIR: tmp });
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${proc.port}`;
  return {
    endpoint,
    port: proc.port,
    storage: new Storage({ apiEndpoint: endpoint, projectId: 'demo-featherboard' }),
    async stop() {
      await proc.stop();
      await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir`, uploaded under `prefix/` with the same relative keys. */
export async function uploadTreeGcs(storage: Storage, bucket: string, prefix: string, dir: string): Promise<void> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await uploadTreeGcs(storage, bucket, `${prefix}/${e.name}`, full);
    else if (e.isFile()) await saveGcs(storage, bucket, `${prefix}/${e.name}`, await fs.readFile(full));
  }
}

export async function saveGcs(storage: Storage, bucket: string, key: string, body: Uint8Array): Promise<void> {
  await storage.bucket(bucket).file(key).save(Buffer.from(body), { resumable: false, validation: false });
}
