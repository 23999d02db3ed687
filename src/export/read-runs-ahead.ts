import { promises as fs } from 'fs';
import type { DiscoveredRun } from '../logdir/discover-runs';
import { readRun, type RunJob, type RunRead, type RunReadResult } from '../logdir/read-run-state';
import { RunWorkerPool, workersAvailable } from '../logdir/worker-pool';
import { RunData, type RunOptions } from '../store/run-data';
import type { WarningSink } from '../warnings';

/**
 * Below this many bytes of event files, runs are read in-thread: starting a
 * worker (~50 ms) would cost more than it saves.
 */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** Runs read but not yet written, at most: bounds memory to a few runs. */
const WINDOW = 4;

/** The size of the runs' event files (a file that cannot be read counts 0: reading reports it). */
async function totalBytes(runs: DiscoveredRun[]): Promise<number> {
  const sizes = await Promise.all(runs.flatMap((r) => r.files.map((f) => fs.stat(f).then((st) => st.size, () => 0))));
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * The runs, complete, in the order given. Reading is shared between this
 * thread and one worker: whenever the worker is free it takes the next
 * unclaimed run, and this thread reads the next one itself before writing
 * each run, and more while it waits for the worker. At most WINDOW runs are
 * held ahead of the one being written.
 * Each run's warnings reach `onWarning` in reading order, just before it.
 */
export async function* readRunsAhead(logdir: string, runs: DiscoveredRun[], options: RunOptions, onWarning: WarningSink): AsyncGenerator<RunData> {
  const job = (r: DiscoveredRun): RunJob => ({ logdir, name: r.name, files: r.files, options, finish: true });
  const adopt = (result: RunRead | RunReadResult): RunData => {
    for (const w of result.warnings) onWarning(w);
    if (result.run instanceof RunData) return result.run;
    const run = new RunData(result.name, options);
    run.restore(result.run);
    return run;
  };
  if (runs.length < 2 || !workersAvailable() || (await totalBytes(runs)) < WORKER_MIN_BYTES) {
    // In-thread, one at a time (from TypeScript sources, a single run, or little to read).
    for (const r of runs) yield adopt(await readRun(job(r)));
    return;
  }
  const reads = new SharedReads(runs.map(job));
  try {
    for (let i = 0; i < runs.length; i++) yield adopt(await reads.take(i));
  } finally {
    await reads.close();
  }
}

/** Who reads which run, and the results not yet taken. */
class SharedReads {
  private readonly pool = new RunWorkerPool(1);
  private readonly results = new Map<number, Entry>();
  /** The first run nobody has started reading. */
  private next = 0;
  /** The run the consumer waits for. */
  private current = 0;

  constructor(private readonly jobs: RunJob[]) {}

  /** Run i's result, read by whichever thread got there first. */
  async take(i: number): Promise<RunRead | RunReadResult> {
    this.current = i;
    if (!this.results.has(i)) this.start(i, 'here');
    this.feedWorker();
    // Read runs after it here: while the worker is still on run i, and one
    // more in any case, so that both threads keep reading.
    for (let readOne = false; ; readOne = true) {
      const entry = this.results.get(i) as Entry;
      if (entry.where === 'here' || (entry.settled && readOne) || this.next >= this.jobs.length || this.next >= i + WINDOW) break;
      const ahead = this.start(this.next, 'here');
      await ahead.promise.catch(() => {}); // a failure surfaces when that run is taken
    }
    const entry = this.results.get(i) as Entry;
    this.results.delete(i);
    return entry.promise;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Keep the worker reading: one run at a time, so this thread can take the ones after it. */
  private feedWorker(): void {
    while (this.pool.outstanding < 1 && this.next < this.jobs.length && this.next < this.current + WINDOW) this.start(this.next, 'worker');
  }

  private start(i: number, where: 'here' | 'worker'): Entry {
    const job = this.jobs[i] as RunJob;
    const entry: Entry = { promise: where === 'worker' ? this.pool.read(job) : readRun(job), where, settled: false };
    this.results.set(i, entry);
    if (i >= this.next) this.next = i + 1;
    const settle = (): void => {
      entry.settled = true;
      if (where === 'worker') this.feedWorker();
    };
    entry.promise.then(settle, settle);
    return entry;
  }
}

interface Entry {
  promise: Promise<RunRead | RunReadResult>;
  where: 'here' | 'worker';
  settled: boolean;
}
