import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { envInt } from '../support/fuzz-bounded';
import { writeBigLogdir } from './support/big-logdir';
import { mib, MiB, startFeatherboard, type ServerProcess } from './support/featherboard-server';
import { get, percentile } from './support/http-client';

/**
 * Load: a few hundred concurrent keep-alive clients on the scalar routes of
 * the real server (`featherboard --logdir DIR --port 0`) on 127.0.0.1, for a
 * bounded time. No errors; every answer complete and identical to the first
 * one for its URL; tail latency and memory reported.
 *
 * FB_LOAD_SECONDS (default 10; the figure is 30), FB_LOAD_CLIENTS
 * (default 300).
 */
const SECONDS = envInt('FB_LOAD_SECONDS', 10);
const CLIENTS = envInt('FB_LOAD_CLIENTS', 300);
const RUNS = 20;
/** Points per run, alternating two tags. */
const POINTS = 2000;

jest.setTimeout((SECONDS + 90) * 1000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-load-'));
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

it(`answers ${CLIENTS} concurrent clients on the scalar routes without an error, memory stable`, async () => {
  const logdir = path.join(tmp, 'logdir');
  writeBigLogdir(logdir, RUNS, POINTS);
  server = await startFeatherboard(logdir, [], path.join(tmp, 'server'));
  const url = server.url;

  const runs = Array.from({ length: RUNS }, (_, r) => `run_${String(r).padStart(3, '0')}`);
  const tags = ['train/loss', 'train/accuracy'];
  const urls = runs.flatMap((run) =>
    tags.flatMap((tag) => [
      `${url}/data/plugin/scalars/scalars?run=${run}&tag=${encodeURIComponent(tag)}`,
      `${url}/api/scalars?tag=${encodeURIComponent(tag)}&run=${run}`,
    ]),
  );
  // The server may answer before its first read is done: wait until every series is whole.
  const warmup = new http.Agent({ keepAlive: true });
  const whole = async (u: string): Promise<boolean> => {
    const r = await get(u, warmup);
    return r.status === 200 && (JSON.parse(r.body) as unknown[]).length === POINTS / 2;
  };
  const tbUrls = urls.filter((u) => u.includes('/data/plugin/'));
  for (const deadline = Date.now() + 60_000; !(await Promise.all(tbUrls.map(whole))).every(Boolean); ) {
    if (Date.now() > deadline) throw new Error('the server did not load the logdir within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  // The expected answer per URL: the data does not change during the run.
  const expected = new Map<string, string>();
  for (const u of urls) {
    const r = await get(u, warmup);
    expect(r.status).toBe(200);
    expected.set(u, r.body);
  }
  warmup.destroy();
  const m0 = await server.memory();

  /** Answers on an open connection, and first answers (connection set-up included). */
  const latencies: number[] = [];
  const firstAnswers: number[] = [];
  const problems: string[] = [];
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const client = async (k: number): Promise<void> => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let first = true;
    try {
      for (let i = k; Date.now() < deadline; i += 7) {
        const u = urls[i % urls.length] as string;
        try {
          // A new connection may wait to be accepted while the server is saturated (libuv accepts only between busy
          // turns).
          const r = await get(u, agent, SECONDS * 1000 + 30_000);
          (first ? firstAnswers : latencies).push(r.ms);
          first = false;
          if (r.status !== 200 || r.body !== expected.get(u)) {
            errors++;
            if (problems.length < 5) problems.push(`${u}: HTTP ${r.status}, ${r.body.length} bytes`);
          }
        } catch (err) {
          errors++;
          if (problems.length < 5) problems.push(`${u}: ${(err as Error).message}`);
        }
      }
    } finally {
      agent.destroy();
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
  const elapsed = (Date.now() - t0) / 1000;
  const m1 = await server.memory();

  const requests = latencies.length + firstAnswers.length;
  const ms = (values: number[], ...ps: number[]): string => {
    const parts = ps.map((p) => `p${p} ${percentile(values, p).toFixed(1)} ms`);
    return [...parts, `max ${Math.max(...values).toFixed(1)} ms`].join(', ');
  };
  console.log(
    `load: ${CLIENTS} keep-alive clients for ${SECONDS} s on /data/plugin/scalars/scalars and /api/scalars ` +
      `(${RUNS} runs × 2 tags × ${POINTS / 2} points): ` +
      `${requests} requests (${Math.round(requests / elapsed)}/s), ${errors} errors\n` +
      `  latency on open connections: ${ms(latencies, 50, 90, 99)}\n` +
      `  first answer of each new connection: ${ms(firstAnswers, 50, 99)}\n` +
      `  server before: rss ${mib(m0.rss)}, heap ${mib(m0.heapUsed)}; ` +
      `after: rss ${mib(m1.rss)}, heap ${mib(m1.heapUsed)}`,
  );
  expect(problems).toEqual([]);
  expect(errors).toBe(0);
  expect(latencies.length).toBeGreaterThan(CLIENTS);
  // Nothing per request outlives it: after a GC the heap is where it was.
  expect(m1.heapUsed - m0.heapUsed).toBeLessThan(16 * MiB);
});
