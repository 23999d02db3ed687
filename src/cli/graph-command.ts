import type { Command } from 'commander';
import { GRAPH_FORMATS, type GraphFlags } from './graph-flags';

/** Where the command writes; tests pass their own. */
export interface GraphOutput {
  write(text: string): void;
}

/**
 * `featherboard graph --logdir DIR --run RUN [--tag TAG] [--format txt|dot|json]`:
 * a run's model structure for papers and diffs. Without --tag: the run's
 * graph_def, else its meta graph, else its first traced or Keras graph.
 */
export function registerGraphCommand(program: Command, output: GraphOutput = process.stdout): void {
  program
    .command('graph')
    .description("Export a run's model structure (scope tree + layer table, Graphviz DOT, or JSON)")
    .option('--logdir <dir>', 'the log directory to read')
    .option('--run <name>', 'the run, named as TensorBoard names it ("." for the logdir itself)')
    .option('--tag <tag>', 'a traced-graph or Keras-model tag (default: the run graph)')
    .option('--format <format>', `one of ${GRAPH_FORMATS.join(', ')}`, 'txt')
    .action(async (flags: GraphFlags) => {
      // Loaded when used: the graph code (and protobufjs) would slow every other command's start.
      const { graphExport } = await import('./graph-export');
      const text = await graphExport(flags);
      if (output === process.stdout) {
        // A closed pipe (`| head`) is the reader's choice: stop quietly.
        process.stdout.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'EPIPE') process.exit(0);
        });
      }
      output.write(text);
    });
}
