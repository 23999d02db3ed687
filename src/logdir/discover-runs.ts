import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { WarningSink } from '../warnings';
import { compareCodePoints } from '../store/store';

/** TensorBoard's test for an event file: "tfevents" in the name, not a profiler placeholder. */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents') && !name.endsWith('.profile-empty');
}

/** A file's name as warnings and reports show it: relative to the logdir, always with `/`. */
export function relativeName(logdir: string, file: string): string {
  return path.relative(logdir, file).split(path.sep).join('/');
}

/** A run's name: its directory relative to the logdir, `.` for the logdir itself, always with `/`. */
export function runNameFor(logdir: string, dir: string): string {
  return relativeName(logdir, dir) || '.';
}

export interface DiscoveredRun {
  name: string;
  dir: string;
  /** Absolute paths of its event files, in name order. */
  files: string[];
}

/**
 * Every directory at any depth under `logdir` that directly holds an event
 * file is a run. Directory links are not followed (as TensorBoard's walk);
 * unreadable directories are reported and skipped.
 */
export async function discoverRuns(logdir: string, onWarning: WarningSink = () => {}): Promise<DiscoveredRun[]> {
  const runs: DiscoveredRun[] = [];
  const pending = [logdir];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      onWarning({
        code: 'UNREADABLE_PATH',
        file: runNameFor(logdir, dir),
        message: `cannot list directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      });
      continue;
    }
    const files: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) pending.push(full);
      else if (isEventFileName(e.name) && (e.isFile() || (e.isSymbolicLink() && (await isFile(full)))))
        files.push(full);
    }
    if (files.length > 0) {
      files.sort(compareCodePoints);
      runs.push({ name: runNameFor(logdir, dir), dir, files });
    }
  }
  runs.sort((a, b) => compareCodePoints(a.name, b.name));
  return runs;
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}
