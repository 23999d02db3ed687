import { promises as fs } from 'fs';
import * as os from 'os';
import type { DiscoveredRun } from '../logdir/discover-runs';
import { readRunState, type RunJob, type RunReadResult } from '../logdir/read-run-state';
import { RunWorkerPool, workersAvailable } from '../logdir/worker-pool';
import { RunData, type RunOptions } from '../store/run-data';
import type { WarningSink } from '../warnings';

/**
 * Below this many bytes of event files, runs are read in-thread: starting a
 * worker (~60 ms) would cost more than it saves.
 */
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** The size of the runs' event files (a file that cannot be read counts 0: reading reports it). */
async function totalBytes(runs: DiscoveredRun[]): Promise<number> {
  const sizes = await Promise.all(runs.flatMap((r) => r.files.map((f) => fs.stat(f).then((st) => st.size, () => 0))));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Runs read ahead of the one being written: enough to keep the workers busy, few enough to bound memory. */
const AHEAD = 2;

/**
 * The runs, complete, in the order given: read on worker threads a little
 * ahead of the consumer (which writes the previous run meanwhile), or in-thread
 * one at a time when workers are not available or not worth starting. Either
 * way each run's warnings reach `onWarning` in reading order, just before it.
 */
export async function* readRunsAhead(logdir: string, runs: DiscoveredRun[], options: RunOptions, onWarning: WarningSink): AsyncGenerator<RunData> {
  const job = (r: DiscoveredRun): RunJob => ({ logdir, name: r.name, files: r.files, options, finish: true });
  const adopt = (result: RunReadResult): RunData => {
    const run = new RunData(result.name, options);
    run.restore(result.run);
    for (const w of result.warnings) onWarning(w);
    return run;
  };
  if (runs.length < 2 || !workersAvailable() || (await totalBytes(runs)) < WORKER_MIN_BYTES) {
    // The same read in-thread (from TypeScript sources, a single run, or little to read).
    for (const r of runs) yield adopt(await readRunState(job(r)));
    return;
  }
  // One worker reads ahead while this thread writes (measured on 2 cores: more
  // workers, or this thread reading some runs too, were slower: they compete
  // with the writing for the same two cores).
  const size = Math.max(1, Math.min(runs.length - 1, os.availableParallelism() - 1));
  const pool = new RunWorkerPool(size);
  const pending: Promise<RunReadResult>[] = [];
  const start = (i: number): void => {
    const r = runs[i];
    if (r === undefined) return;
    const p = pool.read(job(r));
    p.catch(() => {}); // awaited in order below
    pending.push(p);
  };
  try {
    for (let i = 0; i < AHEAD * size; i++) start(i);
    for (let i = 0; i < runs.length; i++) {
      const result = await (pending.shift() as Promise<RunReadResult>);
      start(i + AHEAD * size);
      yield adopt(result);
    }
  } finally {
    await pool.close();
  }
}
