import { assetExists } from '../assets';
import { FormatThread } from '../export/row-format-worker';

/** Work started for the command about to run, before the CLI loads. */
export interface Prestarted {
  /** `export`: the worker thread that formats rows (the export uses or stops it). */
  formatThread?: FormatThread;
}

/**
 * `featherboard export` formats rows on a worker thread that takes as long to
 * boot as the CLI takes to load (~15 ms, ~50 ms with the main thread busy):
 * bin/featherboard calls this first, from its own small bundle, and hands the
 * result to main(). Only a head start: a worker script that was not built is
 * left for the export to report (a MissingAssetError), if it needs the worker.
 */
export function prestart(argv: readonly string[]): Prestarted {
  if (argv[2] !== 'export' || !assetExists('formatWorker')) return {};
  return { formatThread: new FormatThread() };
}
