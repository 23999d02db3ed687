import { UsageError } from './usage-error';

/** `true`/`false` flag values as TensorBoard's flags take them. */
export function parseBool(value: string, flag: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new UsageError(`${flag} takes true or false, not '${value}'`);
}

/** A regular expression from a flag, or a usage error naming the flag. */
export function parseRegex(value: string | undefined, flag: string): RegExp | undefined {
  if (value === undefined) return undefined;
  try {
    return new RegExp(value);
  } catch (err) {
    throw new UsageError(`${flag}: invalid regular expression: ${(err as Error).message}`);
  }
}
