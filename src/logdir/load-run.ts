import * as path from 'node:path';
import { RunData, type RunOptions } from '../store/run-data';
import type { WarningSink } from '../warnings';
import type { DiscoveredRun } from './discover-runs';
import { EventFileTailer } from './event-file-tailer';

/**
 * Reads one run completely into a fresh RunData: the unit of streaming
 * export, so memory is bounded by the largest run, not the logdir.
 */
export async function loadRun(
  logdir: string,
  run: DiscoveredRun,
  options: RunOptions,
  onWarning: WarningSink,
): Promise<RunData> {
  const data = new RunData(run.name, options);
  for (const file of run.files) {
    const rel = path.relative(logdir, file).split(path.sep).join('/');
    const tailer = new EventFileTailer(file, rel, (ev) => data.addEvent(ev, file), onWarning, { scalars: data });
    const result = await tailer.readNew();
    if (result.status === 'missing')
      onWarning({ code: 'UNREADABLE_PATH', file: rel, message: 'event file could not be opened' });
    tailer.finish();
  }
  return data;
}
