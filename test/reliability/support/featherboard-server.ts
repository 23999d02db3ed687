import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, ROOT } from '../../support/run-cli';

/** process.memoryUsage() of the server, after a full garbage collection. */
export interface ServerMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface ServerProcess {
  /** e.g. http://127.0.0.1:39211 (no trailing slash). */
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** Collects garbage in the server, then reports its memory. */
  memory(): Promise<ServerMemory>;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
}

const PROBE = path.join(__dirname, 'memory-probe.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the built CLI, `featherboard --logdir DIR --port 0`, on 127.0.0.1,
 * with the memory probe preloaded, and resolves once it prints its URL.
 */
export async function startFeatherboard(
  logdir: string,
  extraArgs: string[] = [],
  scratch: string = `${logdir}.probe`,
): Promise<ServerProcess> {
  const probeOut = `${scratch}.memory.jsonl`;
  fs.writeFileSync(probeOut, '');
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--require', PROBE, BIN, '--logdir', logdir, '--port', '0', '--host', '127.0.0.1', ...extraArgs],
    {
      cwd: ROOT,
      env: { ...process.env, FB_MEMORY_PROBE_OUT: probeOut },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    // Bounded: a long soak can warn a lot.
    if (stderr.length < 1_000_000) stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not print its URL within 30 s; stderr: ${stderr}`)),
      30_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /at (http:\/\/[^\s/]+)/.exec(stdout);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening; stderr: ${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    stderr: () => stderr,
    async memory() {
      const before = fs.readFileSync(probeOut, 'utf8').split('\n').filter(Boolean).length;
      child.kill('SIGUSR2');
      for (let waited = 0; waited < 15_000; waited += 20) {
        const lines = fs.readFileSync(probeOut, 'utf8').split('\n').filter(Boolean);
        if (lines.length > before) return JSON.parse(lines[lines.length - 1] as string) as ServerMemory;
        await sleep(20);
      }
      throw new Error('the server did not report its memory within 15 s');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const MiB = 1024 * 1024;
export const mib = (n: number): string => `${(n / MiB).toFixed(1)} MiB`;
