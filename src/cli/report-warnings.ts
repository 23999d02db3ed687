import { formatWarning, type DataWarning } from '../warnings';

/** A summary of data warnings on stderr: one line each, then the count of any left out. */
export function reportWarnings(kept: DataWarning[], total: number): void {
  if (total === 0) return;
  process.stderr.write(`featherboard: ${total} data warning${total === 1 ? '' : 's'}:\n`);
  for (const w of kept) process.stderr.write(`  ${formatWarning(w)}\n`);
  if (total > kept.length) process.stderr.write(`  ... and ${total - kept.length} more\n`);
}
