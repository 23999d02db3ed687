import * as os from 'node:os';
import * as path from 'node:path';
import { SourceError } from './source-error';

/** Where a logdir lives, parsed from what the user typed. */
export type Location =
  | { kind: 'local'; path: string }
  | { kind: 'object'; scheme: ObjectScheme; bucket: string; prefix: string };

export type ObjectScheme = 's3' | 'gs';

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** `s3://` / `gs://` (any case): an object store, not a local path. */
export function isObjectStoreUrl(text: string): boolean {
  const m = SCHEME.exec(text);
  return m !== null && ['s3', 'gs'].includes((m[1] as string).toLowerCase());
}

/**
 * `s3://bucket/prefix`, `gs://bucket/prefix` (the prefix may be empty; slashes
 * at its ends are dropped), or a local path (`~` expanded, made absolute).
 * Other URL schemes are refused rather than taken for a directory named `hdfs:`.
 */
export function parseLocation(text: string): Location {
  const m = SCHEME.exec(text);
  if (m === null) return { kind: 'local', path: path.resolve(expandHome(text)) };
  const scheme = (m[1] as string).toLowerCase();
  if (scheme !== 's3' && scheme !== 'gs')
    throw new SourceError('BAD_LOCATION', text, `${scheme}:// is not supported; use a local path, s3:// or gs://`);
  const rest = text.slice(m[0].length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,221}[A-Za-z0-9]$/.test(bucket))
    throw new SourceError('BAD_LOCATION', text, `'${bucket}' is not a bucket name; write ${scheme}://bucket/prefix`);
  return { kind: 'object', scheme, bucket, prefix };
}

/** The location written back as the source's root: `s3://bucket/prefix` or an absolute path. */
export function formatLocation(loc: Location): string {
  if (loc.kind === 'local') return loc.path;
  return `${loc.scheme}://${loc.bucket}${loc.prefix === '' ? '' : `/${loc.prefix}`}`;
}

/** `~` and `~/x` as the home directory, as TensorBoard expands its logdir flags. */
function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}
