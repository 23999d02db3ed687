import { type Stats, statSync } from 'node:fs';
import { UsageError } from './usage-error';

/**
 * The one check of a logdir flag (`--logdir` of every command, each path of `--logdir_spec`): a UsageError, worded the
 * same for every command, unless `p` is a directory.
 */
export function requireDirectory(p: string, flag = '--logdir'): void {
  if (!existing(p, flag).isDirectory()) throw new UsageError(`${flag}: '${p}' is not a directory`);
}

/** A path flag naming a file (`inspect --event_file`): a UsageError unless it exists. */
export function requireExisting(p: string, flag: string): void {
  existing(p, flag);
}

function existing(p: string, flag: string): Stats {
  try {
    return statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${flag}: '${p}' does not exist`);
    throw new UsageError(`${flag}: '${p}' cannot be read (${code ?? (err as Error).message})`);
  }
}
