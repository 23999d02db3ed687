import type { RunData, RunOptions } from '../store/run-data';
import type { WarningSink } from '../warnings';
import type { DiscoveredRun } from './discover-runs';
import { readRun } from './read-run-state';

/**
 * Reads one run completely into a fresh RunData, its files taken as finished
 * (a partial tail record is a TRUNCATED_TAIL warning): the unit of export,
 * inspect and graph, so memory is bounded by the largest run, not the logdir.
 * The run's warnings reach `onWarning` in reading order once it is read.
 */
export async function loadRun(
  logdir: string,
  run: DiscoveredRun,
  options: RunOptions,
  onWarning: WarningSink,
): Promise<RunData> {
  const read = await readRun({ logdir, name: run.name, files: run.files, options, finish: true });
  for (const w of read.warnings) onWarning(w);
  return read.run;
}
