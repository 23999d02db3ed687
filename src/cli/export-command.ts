import type { Command } from 'commander';
import { MissingAssetError } from '../assets';
import { EXPORT_PLUGINS, exportLogdir, needsDirectory, type ExportPlugin } from '../export/export-logdir';
import { discardUnfinishedOutputs } from '../export/output-file';
import type { FormatThread } from '../export/row-format-worker';
import { EXPORT_FORMATS, type ExportFormat } from '../export/row-sink';
import { PARQUET } from '../export/parquet-sink';
import { StrictModeError, type DataWarning } from '../warnings';
import { parseBool, parseRegex } from './parse-options';
import { requireDirectory } from './path-flags';
import { UsageError } from './usage-error';
import { reportWarnings } from './report-warnings';

const FORMATS = [...EXPORT_FORMATS, PARQUET] as const;

interface ExportFlags {
  logdir?: string;
  format: string;
  out?: string;
  runs?: string;
  tags?: string;
  plugins: string;
  purge_orphaned_data: string;
  strict?: boolean;
  wide?: boolean;
}

/** `formatThread`: a row formatting worker started before the CLI loaded (see prestart.ts). */
export function registerExportCommand(program: Command, formatThread?: FormatThread): void {
  program
    .command('export')
    .description('Stream every point of a logdir out as CSV, JSON Lines, JSON or Parquet')
    .option('--logdir <dir>', 'the log directory to read')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'jsonl')
    .option('--wide', 'with --format csv: scalars as one row per run and step, one column per tag')
    .option('--out <path>', 'output file, or - for stdout; a directory when exporting several plugins, images or audio')
    .option('--runs <regex>', 'only runs whose name matches')
    .option('--tags <regex>', 'only tags that match')
    .option('--plugins <list>', `comma-separated: ${EXPORT_PLUGINS.join(',')}`, 'scalars')
    .option('--purge_orphaned_data <bool>', 'drop points orphaned by restarts, as TensorBoard does', 'true')
    .option('--strict', 'stop at the first data warning: exit 1, no output file left')
    .action(async (flags: ExportFlags) => {
      process.exitCode = await runExport(flags, formatThread);
    });
}

function parsePlugins(list: string): ExportPlugin[] {
  const plugins = list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const p of plugins) {
    if (!(EXPORT_PLUGINS as readonly string[]).includes(p))
      throw new UsageError(`--plugins: unknown plugin '${p}' (known: ${EXPORT_PLUGINS.join(', ')})`);
  }
  if (plugins.length === 0) throw new UsageError('--plugins: name at least one plugin');
  return [...new Set(plugins)] as ExportPlugin[];
}

async function runExport(flags: ExportFlags, formatThread: FormatThread | undefined): Promise<number> {
  if (flags.logdir === undefined) throw new UsageError('export: --logdir is required');
  requireDirectory(flags.logdir);
  if (!(FORMATS as readonly string[]).includes(flags.format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  if (flags.wide === true && flags.format !== 'csv') throw new UsageError('--wide needs --format csv');
  const plugins = parsePlugins(flags.plugins);
  if (needsDirectory(plugins) && (flags.out === undefined || flags.out === '-')) {
    throw new UsageError(
      '--out DIR is required when exporting several plugins, images or audio (one file per plugin is written there)',
    );
  }
  const warnings: DataWarning[] = [];
  let warningCount = 0;
  const interrupt = (): void => {
    discardUnfinishedOutputs();
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  // A closed pipe (`| head`) is the reader's choice: stop quietly.
  const onStdoutError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') process.exit(0);
  };
  process.stdout.on('error', onStdoutError);
  try {
    await exportLogdir({
      logdir: flags.logdir,
      format: flags.format as ExportFormat | typeof PARQUET,
      wide: flags.wide === true,
      plugins,
      ...(flags.out !== undefined ? { out: flags.out } : {}),
      ...(flags.runs !== undefined ? { runs: parseRegex(flags.runs, '--runs') as RegExp } : {}),
      ...(flags.tags !== undefined ? { tags: parseRegex(flags.tags, '--tags') as RegExp } : {}),
      purgeOrphanedData: parseBool(flags.purge_orphaned_data, '--purge_orphaned_data'),
      ...(formatThread !== undefined ? { formatThread } : {}),
      strict: flags.strict === true,
      onWarning: (w) => {
        warningCount++;
        if (warnings.length < 100) warnings.push(w);
      },
    });
  } catch (err) {
    if (err instanceof StrictModeError) throw new Error(`export stopped at a data warning (--strict): ${err.message}`);
    if (err instanceof UsageError || err instanceof MissingAssetError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EPIPE') return 0; // the reader went away (`| head`): not our failure
    if (e.code === 'ENOSPC')
      throw new Error(`export: the disk is full (${e.message}); no partial output was left behind`);
    throw new Error(`export: ${e.message}`);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  reportWarnings(warnings, warningCount);
  return 0;
}
