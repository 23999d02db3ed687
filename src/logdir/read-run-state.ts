import { RunData, type RunOptions, type RunState } from '../store/run-data';
import type { DataWarning } from '../warnings';
import { relativeName } from './discover-runs';
import { EventFileTailer, type TailerResume } from './event-file-tailer';

/** Read one run from the start: what a worker thread is asked to do. */
export interface RunJob {
  logdir: string;
  name: string;
  /** Absolute paths of its event files, in name order. */
  files: string[];
  options: RunOptions;
  /**
   * The files are complete (export, inspect): report partial tail records,
   * and files that cannot be opened (UNREADABLE_PATH).
   */
  finish: boolean;
}

export interface FileReadState {
  file: string;
  /** Absent when the file could not be opened (it is tried again on the next reload). */
  resume: TailerResume | undefined;
}

/** Everything a run's first read produced, as plain data, in the order it happened. */
export interface RunReadResult {
  name: string;
  run: RunState;
  files: FileReadState[];
  warnings: DataWarning[];
  /** Tags that received points. */
  touched: string[];
  bytesRead: number;
  events: number;
}

/** A run's first read in this thread: RunReadResult with the run itself. */
export type RunRead = Omit<RunReadResult, 'run'> & { run: RunData };

/**
 * Reads a run exactly as LogdirLoader would on its first pass (same tailers,
 * same RunData.addEvent), but into plain data that can cross threads: runs
 * are independent, so reading several at once on workers keeps TensorBoard's
 * per-run semantics.
 */
export async function readRunState(job: RunJob): Promise<RunReadResult> {
  const read = await readRun(job);
  return { ...read, run: read.run.toState() };
}

/** readRunState() for use in this thread: the RunData as read, no copy. */
export async function readRun(job: RunJob): Promise<RunRead> {
  const run = new RunData(job.name, job.options);
  const warnings: DataWarning[] = [];
  const files: FileReadState[] = [];
  let bytesRead = 0;
  let events = 0;
  for (const file of job.files) {
    const tailer = new EventFileTailer(
      file,
      relativeName(job.logdir, file),
      (ev) => run.addEvent(ev, file),
      (w) => warnings.push(w),
      { scalars: run },
    );
    const result = await tailer.readNew();
    if (job.finish) tailer.finish();
    if (result.status === 'ok') {
      bytesRead += result.bytesRead;
      events += result.events;
      files.push({ file, resume: tailer.resumeState() });
    } else {
      if (job.finish)
        warnings.push({
          code: 'UNREADABLE_PATH',
          file: relativeName(job.logdir, file),
          message: 'event file could not be opened',
        });
      files.push({ file, resume: undefined });
    }
  }
  return { name: job.name, run, files, warnings, touched: [...run.touched], bytesRead, events };
}

/** The buffers of a result's columns, moved (not copied) to the receiving thread. */
export function transferables(result: RunReadResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const s of result.run.series)
    for (const c of [s.steps, s.wallTimes, s.values, s.dtypes]) if (c.byteLength > 0) out.push(c.buffer as ArrayBuffer);
  return out;
}
