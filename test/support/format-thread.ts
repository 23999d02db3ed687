import { FormatThread } from '../../src/export/row-format-worker';

/**
 * A row formatting thread that has booted: an export given it formats every scalar series on the worker from the
 * first (one still booting leaves the first series to this thread), so a test knows which path it ran.
 */
export async function bootedFormatThread(): Promise<FormatThread> {
  const thread = new FormatThread();
  const deadline = Date.now() + 20_000;
  while (!thread.ready) {
    if (Date.now() > deadline) throw new Error('the formatting worker did not boot within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return thread;
}
