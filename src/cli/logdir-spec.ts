import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './usage-error';

export interface LogdirSpecEntry {
  /** Prefix for the run names found under `path` (`name/<run>`), if given. */
  name: string | undefined;
  path: string;
}

/** `~` and `~/x` as the home directory, as TensorBoard expands its logdir flags. */
export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/**
 * TensorBoard's `--logdir_spec name1:/path/1,name2:/path/2`: commas separate
 * logdirs; `name:` before a path (not a leading `/`) names its runs.
 */
export function parseLogdirSpec(spec: string): LogdirSpecEntry[] {
  const out: LogdirSpecEntry[] = [];
  for (const item of spec.split(',')) {
    if (item.trim() === '') continue;
    const colon = item.indexOf(':');
    const named = colon > 0 && !item.startsWith('/') && !item.includes('://');
    const name = named ? item.slice(0, colon) : undefined;
    const p = named ? item.slice(colon + 1) : item;
    if (p === '') throw new UsageError(`--logdir_spec: no path in '${item}'`);
    out.push({ name, path: path.resolve(expandHome(p)) });
  }
  if (out.length === 0) throw new UsageError('--logdir_spec is empty');
  return out;
}
