import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOGDIRS } from '../support/golden-form';
import { ROOT } from '../support/run-cli';

/**
 * A worker script missing from the package is an error that names it and the command that builds it, never a quiet
 * switch to in-thread work: the CLI of a copy of the package without it fails where it would start the worker.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-missing-assets-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The built package (bundles, WebAssembly, schema) without `missing`. */
function packageWithout(missing: string): string {
  const pkg = path.join(tmp, `without-${path.basename(missing, '.js')}`);
  fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  fs.cpSync(path.join(ROOT, 'bin'), path.join(pkg, 'bin'), { recursive: true });
  for (const f of ['featherboard.js', 'prestart.js', 'load-worker.js', 'format-worker.js', 'wasm', 'proto'])
    fs.cpSync(path.join(ROOT, 'dist', f), path.join(pkg, 'dist', f), { recursive: true });
  fs.rmSync(path.join(pkg, missing));
  // The bundles leave a few packages outside (express, chokidar, protobufjs...): they come from the real install.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  return pkg;
}

function run(pkg: string, args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(pkg, 'bin', 'featherboard'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe('without dist/format-worker.js', () => {
  let pkg: string;
  beforeAll(() => {
    pkg = packageWithout('dist/format-worker.js');
  });

  it('an export large enough for the formatting worker fails: one line naming the file, exit 1, no output', () => {
    // Size alone decides (FORMAT_WORKER_MIN_BYTES): the worker is started before any record is read.
    const logdir = path.join(tmp, 'large');
    fs.mkdirSync(path.join(logdir, 'run'), { recursive: true });
    const file = path.join(logdir, 'run', 'events.out.tfevents.1.x');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 9 * 1024 * 1024);
    const out = path.join(tmp, 'large.csv');
    const r = run(pkg, ['export', '--logdir', logdir, '--format', 'csv', '--out', out]);
    expect(r).toEqual({
      status: 1,
      stderr: `featherboard: dist/format-worker.js is missing (run \`npm run build\` in ${pkg})\n`,
    });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a small export, formatted in-thread by choice, does not need it', () => {
    const r = run(pkg, ['export', '--logdir', path.join(LOGDIRS, 'keras')]);
    expect(r).toEqual({ status: 0, stderr: '' });
  });
});

it('without dist/load-worker.js the server does not start: one line naming the file, exit 1', () => {
  const pkg = packageWithout('dist/load-worker.js');
  const r = run(pkg, ['--logdir', path.join(LOGDIRS, 'keras'), '--port', '0']);
  expect(r).toEqual({
    status: 1,
    stderr: `featherboard: dist/load-worker.js is missing (run \`npm run build\` in ${pkg})\n`,
  });
});
