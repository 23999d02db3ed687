import { Command, CommanderError } from 'commander';
import { MissingAssetError } from '../assets';
import { registerExportCommand } from './export-command';
import { registerGraphCommand } from './graph-command';
import { registerInspectCommand } from './inspect-command';
import { registerServeCommand } from './serve-command';
import type { Prestarted } from './prestart';
import { UsageError } from './usage-error';

/** Exit codes: 0 done, 1 failure (or data warnings under --strict), 2 usage error. */
const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

function buildProgram(prestarted: Prestarted = {}): Command {
  const program = new Command('featherboard')
    .description('Read, serve and export TensorBoard logdirs: every point, live.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerExportCommand(program, prestarted.formatThread);
  registerInspectCommand(program);
  registerServeCommand(program);
  registerGraphCommand(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code. Never throws. `prestarted`: see prestart.ts. */
export async function main(argv: string[], prestarted: Prestarted = {}): Promise<number> {
  const program = buildProgram(prestarted);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return EXIT.OK;
      return EXIT.USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`featherboard: ${err.message}\n`);
      return EXIT.USAGE;
    }
    // Its message names featherboard already, and the command that builds what is missing.
    if (err instanceof MissingAssetError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.FAILURE;
    }
    process.stderr.write(`featherboard: ${(err as Error).message ?? String(err)}\n`);
    return EXIT.FAILURE;
  }
}
