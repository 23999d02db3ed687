import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { badRequest } from '../../http/http-error';

/**
 * Where a path written in a projector config points, if it stays inside the
 * config's directory (TensorBoard's rule: relative to the config file, `~`
 * expanded, symbolic links resolved, and the result must not leave that
 * directory, so `..` escapes, absolute paths elsewhere and links out are
 * refused). An absolute path back into the config's directory is accepted, as
 * TensorBoard does. Throws a 400 otherwise.
 */
export async function resolveAssetPath(assetPath: string, configDir: string): Promise<string> {
  const outside = badRequest(`Asset path "${assetPath}" resolves outside the config directory`);
  if (assetPath.includes('\0')) throw outside;
  const expanded =
    assetPath === '~' || assetPath.startsWith('~/') ? path.join(os.homedir(), assetPath.slice(1)) : assetPath;
  const realDir = await fs.realpath(configDir).catch(() => {
    throw badRequest('the config directory is gone');
  });
  const candidate = await realpathLoose(path.resolve(realDir, expanded));
  if (!isInside(candidate, realDir)) throw outside;
  return candidate;
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** realpath() of the longest existing prefix, the rest joined on (Python's os.path.realpath). */
async function realpathLoose(p: string): Promise<string> {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(await fs.realpath(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/** Where a file that may be read lives, and how much of it may be read. */
export interface AssetFile {
  /** The path as the config wrote it (for messages: no absolute paths go to clients). */
  configured: string;
  resolved: string;
}

/**
 * The bytes of a config-named file: a regular file of at most `maxBytes`,
 * else a 400 that names the path as the config wrote it.
 */
export async function readAssetFile(file: AssetFile, maxBytes: number): Promise<Buffer> {
  const stat = await fs.stat(file.resolved).catch(() => undefined);
  if (stat === undefined || !stat.isFile()) throw badRequest(`"${file.configured}" not found, or is not a file`);
  if (stat.size > maxBytes) throw badRequest(`"${file.configured}" is larger than ${maxBytes} bytes`);
  const bytes = await fs.readFile(file.resolved).catch(() => undefined);
  if (bytes === undefined) throw badRequest(`"${file.configured}" cannot be read`);
  if (bytes.length > maxBytes) throw badRequest(`"${file.configured}" is larger than ${maxBytes} bytes`);
  return bytes;
}
