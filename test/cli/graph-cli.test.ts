import { Command } from 'commander';
import { registerGraphCommand } from '../../src/cli/graph-command';
import { main } from '../../src/cli/main';
import { UsageError } from '../../src/cli/usage-error';
import { logdirPath } from '../graph/support';

/** Runs `featherboard graph ...` in-process and returns what it wrote. */
async function graphCli(...args: string[]): Promise<string> {
  let out = '';
  const program = new Command('featherboard').exitOverride();
  registerGraphCommand(program, { write: (text) => (out += text) });
  await program.parseAsync(['node', 'featherboard', 'graph', ...args]);
  return out;
}

describe('featherboard graph', () => {
  it('prints the scope tree and layer table of a PyTorch model (txt is the default)', async () => {
    const out = await graphCli('--logdir', logdirPath('pytorch'), '--run', '.');
    expect(out.split('\n')[0]).toBe('# run .: run graph (graph_def)');
    expect(out).toContain('SmallCNN/  (27 ops)\n  Conv2d[conv]/  (11 ops)\n');
    expect(out).toMatch(/SmallCNN\/Conv2d\[conv\] +aten::_convolution +\[1,4,8,8\]/);
    expect(out).toMatch(/Total +29 ops +n\/a/);
  });

  it('exports DOT', async () => {
    const out = await graphCli('--logdir', logdirPath('tf2'), '--run', 'graph', '--format', 'dot');
    expect(out).toContain('digraph model {');
    expect(out).toContain('subgraph "cluster_dense1" {');
    expect(out.trimEnd().endsWith('}')).toBe(true);
  });

  it('exports JSON with ops, layers and scopes', async () => {
    const out = JSON.parse(
      await graphCli('--logdir', logdirPath('tf1_restart'), '--run', 'session_restart', '--format', 'json'),
    ) as {
      source: unknown;
      ops: { name: string }[];
      totalParams: number;
      scopes: { path: string; ops: number; params: number }[];
    };
    expect(out.source).toEqual({ kind: 'run_graph' });
    expect(out.ops.map((o) => o.name)).toContain('layer1/MatMul');
    expect(out.totalParams).toBe(15);
    expect(out.scopes).toContainEqual({ path: 'layer1', ops: 3, params: 12 });
  });

  it('picks a traced graph by --tag', async () => {
    const one = await graphCli('--logdir', logdirPath('tf2_funcs'), '--run', 'trace', '--tag', 'one_function');
    const two = await graphCli('--logdir', logdirPath('tf2_funcs'), '--run', 'trace', '--tag', 'two_functions');
    expect(one.split('\n')[0]).toBe('# run trace: op graph of tag "one_function"');
    // Only the first trace traced `model` and `other` (a string join); the second re-ran them already traced.
    expect(two).toContain('StringJoin');
    expect(two).toContain('encoder/');
    expect(one).not.toContain('StringJoin');
  });

  it('reads a Keras model config', async () => {
    const out = await graphCli('--logdir', logdirPath('keras'), '--run', 'train', '--tag', 'keras');
    expect(out).toMatch(/sequential\/hidden +Dense/);
  });

  it('says which runs and tags exist when asked for others', async () => {
    await expect(graphCli('--logdir', logdirPath('tf2_funcs'), '--run', 'nope')).rejects.toThrow(
      new UsageError(`graph: no run 'nope' in ${logdirPath('tf2_funcs')} (runs: trace)`),
    );
    await expect(graphCli('--logdir', logdirPath('tf2_funcs'), '--run', 'trace', '--tag', 'x')).rejects.toThrow(
      /graph tags: two_functions, one_function/,
    );
    await expect(graphCli('--logdir', logdirPath('tf2'), '--run', 'scalars')).rejects.toThrow(
      /run 'scalars' has no model graph/,
    );
    await expect(graphCli('--logdir', logdirPath('tf2'), '--run', 'graph', '--format', 'png')).rejects.toThrow(
      /--format must be one of txt, dot, json/,
    );
  });

  it('exits 2 with one line on stderr for usage errors', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const code = await main(['node', 'featherboard', 'graph', '--logdir', '/no/such/dir', '--run', 'x']);
      expect(code).toBe(2);
      expect(stderr).toHaveBeenCalledWith("featherboard: --logdir: '/no/such/dir' does not exist\n");
    } finally {
      stderr.mockRestore();
    }
  });
});
