import type { Command } from 'commander';
import { formatReport } from '../inspect/format-report';
import { inspectLogdir } from '../inspect/inspect-logdir';
import { parseBool } from './parse-options';
import { requireDirectory, requireExisting } from './path-flags';
import { UsageError } from './usage-error';

interface InspectFlags {
  logdir?: string;
  event_file?: string;
  json?: boolean;
  purge_orphaned_data: string;
  strict?: boolean;
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('Tell what a logdir or event file holds, and what is damaged, with byte offsets')
    .option('--logdir <dir>', 'the log directory to inspect')
    .option('--event_file <file>', 'inspect a single event file')
    .option('--json', 'print the report as JSON')
    .option('--purge_orphaned_data <bool>', 'count points as TensorBoard keeps them after restarts', 'true')
    .option('--strict', 'exit 1 when anything is damaged')
    .action(async (flags: InspectFlags) => {
      if ((flags.logdir === undefined) === (flags.event_file === undefined))
        throw new UsageError('inspect: give exactly one of --logdir or --event_file');
      const target = flags.logdir !== undefined ? { logdir: flags.logdir } : { eventFile: flags.event_file as string };
      if ('logdir' in target) requireDirectory(target.logdir);
      else requireExisting(target.eventFile, '--event_file');
      const report = await inspectLogdir(target, parseBool(flags.purge_orphaned_data, '--purge_orphaned_data'));
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 1)}\n` : formatReport(report));
      const damaged = report.warnings.length + report.runs.reduce((n, r) => n + r.warnings.length, 0);
      process.exitCode = flags.strict && damaged > 0 ? 1 : 0;
    });
}
