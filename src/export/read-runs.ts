import { promises as fs } from 'node:fs';
import type { DiscoveredRun } from '../logdir/discover-runs';
import { loadRun } from '../logdir/load-run';
import type { RunData, RunOptions } from '../store/run-data';
import type { WarningSink } from '../warnings';

/**
 * The runs, complete, one at a time in the order given, read in this thread
 * (the scanner reads ~1 GB/s; export formats on a worker meanwhile, see
 * row-format-worker.ts). Each run's warnings reach `onWarning` in reading
 * order, just before it.
 */
export async function* readRuns(
  logdir: string,
  runs: DiscoveredRun[],
  options: RunOptions,
  onWarning: WarningSink,
): AsyncGenerator<RunData> {
  for (const r of runs) yield await loadRun(logdir, r, options, onWarning);
}

/** The size of the runs' event files (a file that cannot be read counts 0: reading reports it). */
export async function totalBytes(runs: DiscoveredRun[]): Promise<number> {
  const sizes = await Promise.all(
    runs.flatMap((r) =>
      r.files.map((f) =>
        fs.stat(f).then(
          (st) => st.size,
          () => 0,
        ),
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}
