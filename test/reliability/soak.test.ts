import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { protoType } from '../../src/protobuf/schema';
import { encodeRecord } from '../../src/tfrecord/encode-record';
import { envInt } from '../support/fuzz-bounded';
import { startFeatherboard, mib, MiB, type ServerMemory, type ServerProcess } from './support/featherboard-server';
import { get, SseClient } from './support/http-client';

/**
 * Soak: writer processes append tens of thousands of events across many runs
 * while the real server (`featherboard --logdir DIR --port 0`) serves and
 * clients poll the scalar routes and the event stream. Meanwhile runs are
 * deleted, a file is truncated and rewritten, another replaced, a corrupted
 * copy of a killed job appears, and new runs appear. Every answer must hold
 * exactly a prefix of what was written (no
 * point lost, duplicated or altered), the end state must be exactly what is
 * on disk, and the server's memory must be flat once the load is over.
 *
 * FB_SOAK_SECONDS (default 20) paces the writers; FB_SOAK_STEPS (default 1500)
 * is steps per run (two events each); FB_SOAK_WRITERS (default 4) writers of
 * 5 runs each.
 */
const SECONDS = envInt('FB_SOAK_SECONDS', 20);
const STEPS = envInt('FB_SOAK_STEPS', 1500);
const WRITERS = envInt('FB_SOAK_WRITERS', 4);
const RUNS_PER_WRITER = 5;
const TAGS = ['loss', 'acc'] as const;
const BASE_TIME = 1700000000;

jest.setTimeout((SECONDS + 120) * 1000);

/** Keep in step with soakValue in support/soak-writer.js. */
function soakValue(seed: number, tag: string, step: number): number {
  return Math.fround(Math.sin(step / 50 + seed) * 100 + (tag === 'loss' ? 0 : 1000));
}

/** One generation of a run's file: `steps` steps of values from `seed`. */
interface Generation {
  seed: number;
  steps: number;
}

function eventFileBytes(gen: Generation, from = 0, to = gen.steps, withVersion = from === 0): Buffer {
  const Event = protoType('Event');
  const encode = (fields: Record<string, unknown>): Uint8Array =>
    encodeRecord(Event.encode(Event.fromObject(fields)).finish());
  const parts: Uint8Array[] = withVersion ? [encode({ wallTime: BASE_TIME, fileVersion: 'brain.Event:2' })] : [];
  for (let step = from; step < to; step++) {
    for (const tag of TAGS)
      parts.push(
        encode({
          wallTime: BASE_TIME + step,
          step,
          summary: { value: [{ tag, simpleValue: soakValue(gen.seed, tag, step) }] },
        }),
      );
  }
  return Buffer.concat(parts);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-soak-'));
const logdir = path.join(tmp, 'logdir');
const children = new Set<ChildProcess>();
let server: ServerProcess | undefined;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** What each run may hold: its generations, in order (a rewritten run has two). */
const plan = new Map<string, Generation[]>();
const doomed = new Set<string>();

/** A failure seen by a background client; the test fails on the first. */
const failures: string[] = [];
const fail = (message: string): void => {
  if (failures.length < 20) failures.push(message);
};

/**
 * Checks that `rows` ([wall_time, step, value]) are exactly steps 0..n-1 of
 * one generation of the run: nothing lost, duplicated or altered. Returns
 * the generation's index, or -1 (after recording the failure).
 */
function checkPrefix(
  run: string,
  tag: string,
  steps: number[],
  values: number[],
  wallTimes: number[],
  where: string,
): number {
  const gens = plan.get(run);
  if (gens === undefined) {
    fail(`${where}: unknown run ${run}`);
    return -1;
  }
  const g = gens.findIndex(
    (gen) =>
      steps.length <= gen.steps &&
      steps.every((s, i) => s === i && values[i] === soakValue(gen.seed, tag, s) && wallTimes[i] === BASE_TIME + s),
  );
  if (g < 0) {
    const firstBad = steps.findIndex((s, i) => s !== i);
    fail(
      `${where}: ${run}/${tag} holds ${steps.length} points that are not a prefix of what was written ` +
        `(first step out of place at index ${firstBad}: ${steps[firstBad]})`,
    );
  }
  return g;
}

/** Answers that are neither 200 nor an expected 404 (a run listed before its first point, or just deleted). */
function checkStatus(status: number, where: string, allow404: boolean): boolean {
  if (status === 200) return true;
  if (status === 404 && allow404) return false;
  fail(`${where}: HTTP ${status}`);
  return false;
}

/** Polls TensorBoard's scalar route for random runs and tags until `stop.done`. */
async function tensorBoardPoller(url: string, stop: { done: boolean }, stats: { requests: number }): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    while (!stop.done) {
      const runsReply = await get(`${url}/data/runs`, agent);
      stats.requests++;
      if (!checkStatus(runsReply.status, '/data/runs', false)) continue;
      const runs = JSON.parse(runsReply.body) as string[];
      for (let k = 0; k < 4 && runs.length > 0; k++) {
        const run = runs[Math.floor(Math.random() * runs.length)] as string;
        const tag = TAGS[k % 2] as string;
        const r = await get(`${url}/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${tag}`, agent);
        stats.requests++;
        if (!checkStatus(r.status, `scalars ${run}/${tag}`, true)) continue;
        const rows = JSON.parse(r.body) as [number, number, number][];
        checkPrefix(
          run,
          tag,
          rows.map((x) => x[1]),
          rows.map((x) => x[2]),
          rows.map((x) => x[0]),
          '/data/plugin/scalars/scalars',
        );
      }
      await sleep(5);
    }
  } catch (err) {
    fail(`poller: ${(err as Error).message}`);
  } finally {
    agent.destroy();
  }
}

/**
 * A live chart: follows `runs` on /api/scalars with `since` cursors, keeping
 * its own copy, which must always be a prefix of what was written.
 */
async function cursorClient(
  url: string,
  runs: string[],
  stop: { done: boolean },
  stats: { requests: number },
): Promise<Map<string, number[]>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const held = new Map<string, { steps: number[]; values: number[]; wallTimes: number[] }>(
    runs.map((r) => [r, { steps: [], values: [], wallTimes: [] }]),
  );
  let cursors: string[] | undefined;
  try {
    for (let last = false; !last; ) {
      last = stop.done;
      const since = cursors === undefined ? '' : `&since=${cursors.map(encodeURIComponent).join(',')}`;
      const r = await get(
        `${url}/api/scalars?tag=loss&width=20000${runs.map((x) => `&run=${encodeURIComponent(x)}`).join('')}${since}`,
        agent,
      );
      stats.requests++;
      if (!checkStatus(r.status, '/api/scalars', false)) continue;
      const body = JSON.parse(r.body) as {
        series: {
          run: string;
          steps: number[];
          values: number[];
          wallTimes: number[];
          cursor: string;
          reset: boolean;
          downsampled: boolean;
        }[];
      };
      cursors = body.series.map((s) => s.cursor);
      for (const s of body.series) {
        const h = held.get(s.run) as { steps: number[]; values: number[]; wallTimes: number[] };
        if (s.downsampled) fail(`/api/scalars downsampled ${s.run} at width 20000`);
        if (s.reset) {
          h.steps = [];
          h.values = [];
          h.wallTimes = [];
        }
        h.steps.push(...s.steps);
        h.values.push(...s.values);
        h.wallTimes.push(...s.wallTimes);
        checkPrefix(s.run, 'loss', h.steps, h.values, h.wallTimes, `/api/scalars since-cursor copy (reset=${s.reset})`);
      }
      if (!last) await sleep(20);
    }
  } catch (err) {
    fail(`cursor client: ${(err as Error).message}`);
  } finally {
    agent.destroy();
  }
  return new Map([...held].map(([run, h]) => [run, h.steps]));
}

/** Opens and drops event streams over and over: listeners must not pile up. */
async function sseChurn(url: string, stop: { done: boolean }, stats: { cycles: number }): Promise<void> {
  while (!stop.done) {
    const c = new SseClient(`${url}/api/events`);
    try {
      await c.connected;
    } catch (err) {
      fail(`event stream (churn): ${(err as Error).message}`);
      return;
    }
    await sleep(40);
    c.close();
    stats.cycles++;
  }
}

function spawnWriter(writerPlan: unknown): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'support', 'soak-writer.js'), JSON.stringify(writerPlan)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      children.delete(child);
      if (code !== 0) fail(`writer exited ${code}: ${stderr}`);
      resolve(code);
    }),
  );
}

/** Resolves when `run` serves at least `points` points of `tag`. */
async function waitForPoints(url: string, run: string, points: number, timeoutMs = 30_000): Promise<void> {
  const agent = new http.Agent({ keepAlive: true });
  try {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
      const r = await get(`${url}/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=loss`, agent);
      if (r.status === 200 && (JSON.parse(r.body) as unknown[]).length >= points) return;
    }
    throw new Error(`${run} did not reach ${points} points`);
  } finally {
    agent.destroy();
  }
}

/** Writes a generation into `file` in slow batches, as a restarted job would. */
async function writeSlowly(file: string, gen: Generation, batchSteps: number, pauseMs: number): Promise<void> {
  for (let from = 0; from < gen.steps; from += batchSteps) {
    fs.appendFileSync(file, eventFileBytes(gen, from, Math.min(gen.steps, from + batchSteps)));
    await sleep(pauseMs);
  }
}

it('serves each point exactly once via live writes, deletions, truncations and replacements, flat memory', async () => {
  fs.mkdirSync(logdir, { recursive: true });
  // A run on disk before the server starts.
  const pre: Generation = { seed: 7, steps: 2000 };
  plan.set('preexisting', [pre]);
  fs.mkdirSync(path.join(logdir, 'preexisting'));
  fs.writeFileSync(path.join(logdir, 'preexisting', `events.out.tfevents.${BASE_TIME}.pre`), eventFileBytes(pre));

  server = await startFeatherboard(logdir, ['--reload_interval', '1'], path.join(tmp, 'server'));
  const url = server.url;
  // The server may answer before its first read is done.
  await waitForPoints(url, 'preexisting', pre.steps);
  const m0 = await server.memory();

  const stop = { done: false };
  const stats = { requests: 0, cycles: 0 };
  const stream = new SseClient(`${url}/api/events`);
  await stream.connected;

  // Writers: WRITERS × RUNS_PER_WRITER runs, started one after another over the first 40% of the time.
  const totalRuns = WRITERS * RUNS_PER_WRITER;
  const tickMs = 50;
  const stepsPerTick = Math.max(1, Math.ceil(STEPS / ((SECONDS * 500) / tickMs)));
  const writerPlans = Array.from({ length: WRITERS }, (_, w) => ({
    logdir,
    tickMs,
    stepsPerTick,
    runs: Array.from({ length: RUNS_PER_WRITER }, (_, j) => {
      const name = `writer${w}/run${j}`;
      const seed = 100 + w * RUNS_PER_WRITER + j;
      plan.set(name, [{ seed, steps: STEPS }]);
      return { name, seed, steps: STEPS, startMs: Math.round(((j * WRITERS + w) / totalRuns) * SECONDS * 400) };
    }),
  }));
  // The first run of the first two writers will be deleted while their writers still write.
  for (let w = 0; w < Math.min(2, WRITERS); w++) doomed.add(`writer${w}/run0`);
  // Runs the test itself truncates-and-rewrites, and replaces.
  plan.set('rewritten', [
    { seed: 900, steps: 800 },
    { seed: 901, steps: 600 },
  ]);
  plan.set('replaced', [
    { seed: 910, steps: 800 },
    { seed: 911, steps: 700 },
  ]);
  // A corrupted copy of a job killed mid-write: a record with a bad CRC, garbage between records, a cut-off last
  // record.
  const corrupted: Generation = { seed: 920, steps: 500 };
  plan.set('corrupted', [corrupted]);
  const Event = protoType('Event');
  const stray = encodeRecord(
    Event.encode(
      Event.fromObject({ wallTime: BASE_TIME, step: 250, summary: { value: [{ tag: 'loss', simpleValue: -1 }] } }),
    ).finish(),
  );
  stray[stray.length - 6] = (stray[stray.length - 6] as number) ^ 0x10;
  const corruptedParts = [
    eventFileBytes(corrupted, 0, 250),
    stray,
    eventFileBytes(corrupted, 250, 300),
    Buffer.alloc(37, 0xab),
    eventFileBytes(corrupted, 300, 500),
    eventFileBytes(corrupted, 500, 501).subarray(0, 30),
  ];
  const badCrcAt = (corruptedParts[0] as Buffer).length;
  const garbageAt = badCrcAt + stray.length + (corruptedParts[2] as Buffer).length;
  const corruptedFile = `events.out.tfevents.${BASE_TIME}.corrupted`;

  const pollers = [...Array.from({ length: 6 }, () => tensorBoardPoller(url, stop, stats)), sseChurn(url, stop, stats)];
  const followed = [
    ['preexisting', 'writer0/run1', 'rewritten'],
    ['writer1/run1', 'replaced', 'corrupted', `writer${WRITERS - 1}/run${RUNS_PER_WRITER - 1}`],
    [...doomed, 'writer0/run2'],
  ];
  const cursorClients = followed.map((runs) => cursorClient(url, runs, stop, stats));
  const writers = writerPlans.map(spawnWriter);

  // Chaos, while the writers write.
  const chaos = (async () => {
    for (const run of doomed) {
      await waitForPoints(url, run, Math.floor(STEPS / 10), SECONDS * 2000);
      fs.rmSync(path.join(logdir, run), { recursive: true, force: true });
    }
    const [r1, r2] = plan.get('rewritten') as Generation[];
    const rewrittenFile = path.join(logdir, 'rewritten', `events.out.tfevents.${BASE_TIME}.rw`);
    fs.mkdirSync(path.dirname(rewrittenFile));
    await writeSlowly(rewrittenFile, r1 as Generation, 100, 20);
    await waitForPoints(url, 'rewritten', (r1 as Generation).steps);
    // Truncated in place, then rewritten from the start by a restarted job.
    fs.truncateSync(rewrittenFile, 0);
    await writeSlowly(rewrittenFile, r2 as Generation, 20, 20);

    const [p1, p2] = plan.get('replaced') as Generation[];
    const replacedFile = path.join(logdir, 'replaced', `events.out.tfevents.${BASE_TIME}.rp`);
    fs.mkdirSync(path.dirname(replacedFile));
    await writeSlowly(replacedFile, p1 as Generation, 100, 20);
    await waitForPoints(url, 'replaced', (p1 as Generation).steps);
    // Replaced by another file under the same name (a copy finishing, `mv`).
    const staging = path.join(tmp, 'replacement');
    fs.writeFileSync(staging, eventFileBytes(p2 as Generation));
    fs.renameSync(staging, replacedFile);

    fs.mkdirSync(path.join(logdir, 'corrupted'));
    for (const part of corruptedParts) {
      fs.appendFileSync(path.join(logdir, 'corrupted', corruptedFile), part);
      await sleep(30);
    }
  })();

  await Promise.all([...writers, chaos]);

  // Catch up: every remaining run serves exactly its last generation.
  const agent = new http.Agent({ keepAlive: true });
  const expectedRuns = [...plan.keys()].filter((r) => !doomed.has(r)).sort();
  const final = async (): Promise<string[]> => {
    const problems: string[] = [];
    const runs = JSON.parse((await get(`${url}/data/runs`, agent)).body) as string[];
    if (JSON.stringify([...runs].sort()) !== JSON.stringify(expectedRuns))
      problems.push(`runs are ${JSON.stringify([...runs].sort())}`);
    for (const run of expectedRuns) {
      const gen = (plan.get(run) as Generation[]).at(-1) as Generation;
      for (const tag of TAGS) {
        const r = await get(`${url}/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${tag}`, agent);
        const rows = r.status === 200 ? (JSON.parse(r.body) as [number, number, number][]) : [];
        const want = Array.from({ length: gen.steps }, (_, s) => [BASE_TIME + s, s, soakValue(gen.seed, tag, s)]);
        if (JSON.stringify(rows) !== JSON.stringify(want))
          problems.push(`${run}/${tag}: ${rows.length} points, expected exactly ${gen.steps} of seed ${gen.seed}`);
      }
    }
    return problems;
  };
  let problems: string[] = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(250)) {
    problems = await final();
    if (problems.length === 0) break;
  }
  expect(problems).toEqual([]);
  const m1 = await server.memory();

  // A while of polling with no new data: memory must not grow.
  await sleep(Math.max(2000, SECONDS * 150));
  stop.done = true;
  await Promise.all(pollers);
  const copies = await Promise.all(cursorClients);
  // The stream stayed open through it all.
  expect(stream.error).toBeUndefined();
  expect(stream.ended).toBe(false);
  stream.close();
  await sleep(300);
  const m2 = await server.memory();
  agent.destroy();

  // The live charts end holding exactly every point of the runs that remain.
  for (const copy of copies) {
    for (const [run, steps] of copy) {
      if (doomed.has(run)) continue;
      const gen = (plan.get(run) as Generation[]).at(-1) as Generation;
      expect({ run, steps: steps.length, ok: steps.every((s, i) => s === i) }).toEqual({
        run,
        steps: gen.steps,
        ok: true,
      });
    }
  }

  // The event stream told of new runs, data, and the deleted runs.
  const seen = (type: string): Set<string> =>
    new Set(stream.events.filter((e) => e.event === type).map((e) => (JSON.parse(e.data) as { run: string }).run));
  for (const run of expectedRuns.filter((r) => r !== 'preexisting')) expect(seen('run-added').has(run)).toBe(true);
  for (const run of expectedRuns) if (run !== 'preexisting') expect(seen('data').has(run)).toBe(true);
  for (const run of doomed) expect(seen('run-removed').has(run)).toBe(true);
  // The damage was reported, with the file (on the stream) and the offset (on the server's stderr), and serving went
  // on.
  const streamed = stream.events
    .filter((e) => e.event === 'warning')
    .map((e) => JSON.parse(e.data) as { code: string; file: string });
  expect(streamed).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ code: 'DATA_CRC_MISMATCH', file: `corrupted/${corruptedFile}` }),
      expect.objectContaining({ code: 'LENGTH_CRC_MISMATCH', file: `corrupted/${corruptedFile}` }),
    ]),
  );
  expect(server.stderr()).toContain(`DATA_CRC_MISMATCH corrupted/${corruptedFile}@${badCrcAt}`);
  expect(server.stderr()).toContain(`LENGTH_CRC_MISMATCH corrupted/${corruptedFile}@${garbageAt}`);

  expect(failures).toEqual([]);
  expect(server.stderr()).not.toMatch(/\n\s+at /);

  const report = (m: ServerMemory): string =>
    `rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}, buffers ${mib(m.arrayBuffers)}`;
  const events = WRITERS * RUNS_PER_WRITER * STEPS * TAGS.length;
  console.log(
    `soak: ${events} events by ${WRITERS} writers into ${totalRuns} runs over ~${SECONDS} s, ` +
      `${doomed.size} runs deleted, 1 truncated+rewritten, 1 replaced, 1 corrupted copy of a killed job; ` +
      `${stats.requests} HTTP requests, ${stats.cycles} event-stream reconnects, ` +
      `${stream.events.length} events streamed\n` +
      `  server before: ${report(m0)}\n  after load:    ${report(m1)}\n  after polling: ${report(m2)}`,
  );
  // Flat after the load: polling with no new data grows nothing that a GC cannot take back.
  expect(m2.heapUsed - m1.heapUsed).toBeLessThan(8 * MiB);
  // And what the load left is bounded by the data it brought (~100k points, columnar).
  expect(m1.heapUsed - m0.heapUsed).toBeLessThan(64 * MiB);
});
