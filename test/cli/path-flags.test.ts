import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

/** Every command checks its logdir with one function, worded one way: one line on stderr, exit 2. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-path-flags-'));
const missing = path.join(tmp, 'no_such_dir');
const file = path.join(tmp, 'a-file');
fs.writeFileSync(file, 'not a logdir');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function stderrOf(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await main(['node', 'featherboard', ...args]), stderr };
  } finally {
    spy.mockRestore();
  }
}

const COMMANDS: [string, string[]][] = [
  ['serve', ['serve', '--port', '0']],
  ['export', ['export']],
  ['inspect', ['inspect']],
  ['graph', ['graph', '--run', '.']],
];

describe.each(COMMANDS)('%s', (_name, command) => {
  it('refuses a --logdir that does not exist', async () => {
    expect(await stderrOf([...command, '--logdir', missing])).toEqual({
      code: 2,
      stderr: `featherboard: --logdir: '${missing}' does not exist\n`,
    });
  });

  it('refuses a --logdir that is a file', async () => {
    expect(await stderrOf([...command, '--logdir', file])).toEqual({
      code: 2,
      stderr: `featherboard: --logdir: '${file}' is not a directory\n`,
    });
  });
});

it('words each --logdir_spec path the same way', async () => {
  expect(await stderrOf(['serve', '--port', '0', '--logdir_spec', `a:${tmp},b:${file}`])).toEqual({
    code: 2,
    stderr: `featherboard: --logdir_spec: '${file}' is not a directory\n`,
  });
});

it('refuses an --event_file that does not exist', async () => {
  expect(await stderrOf(['inspect', '--event_file', missing])).toEqual({
    code: 2,
    stderr: `featherboard: --event_file: '${missing}' does not exist\n`,
  });
});
