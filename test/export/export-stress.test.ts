import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { envInt } from '../support/fuzz-bounded';
import { RecordBuilder } from '../support/record-builder';
import { BIN, ROOT } from '../support/run-cli';
import { writeBigLogdir } from '../reliability/support/big-logdir';
import { leftOn, tinyDiskLauncher } from './support/tiny-disk';

/**
 * `featherboard export` when things go wrong mid-write: interrupted by a
 * signal, or out of disk. (A reader closing the pipe is covered in
 * test/cli/export-cli.test.ts.) Runs the built CLI, as `npm test` builds it.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-export-stress-'));
const big = path.join(tmp, 'big');
/** Points per run; 8 runs. Large enough that an export takes a while to write. */
const POINTS = envInt('FB_EXPORT_POINTS', 150_000);
const children = new Set<ChildProcess>();

beforeAll(() => writeBigLogdir(big, 8, POINTS));
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A run of 40 legacy image summaries of 8 KiB each: more than the tiny disk holds. */
function imageLogdir(): string {
  const dir = path.join(tmp, 'images');
  fs.mkdirSync(path.join(dir, 'run'), { recursive: true });
  const b = new RecordBuilder().event({ wallTime: 1, fileVersion: 'brain.Event:2' });
  const png = Uint8Array.from({ length: 8192 }, (_, i) => (i * 31) & 0xff);
  for (let step = 0; step < 40; step++)
    b.event({
      wallTime: 2 + step,
      step,
      summary: { value: [{ tag: 'img', image: { width: 64, height: 32, encodedImageString: png } }] },
    });
  fs.writeFileSync(path.join(dir, 'run', 'events.out.tfevents.1.test'), b.build());
  return dir;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Files under `dir` whose name says they are temporary. */
function partials(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.includes('partial'));
}

/** Starts an export, waits until it has written part of a temporary file in `watchDir`, then sends `signal`. */
async function interruptExport(
  args: string[],
  watchDir: string,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'export', '--logdir', big, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  let sent = false;
  const deadline = Date.now() + 30_000;
  while (!sent && child.exitCode === null && Date.now() < deadline) {
    const written = partials(watchDir).some((f) => fs.statSync(path.join(watchDir, f)).size > 0);
    if (written) {
      child.kill(signal);
      sent = true;
    } else await sleep(2);
  }
  const result = await exited;
  children.delete(child);
  if (!sent)
    throw new Error(`export ended before it could be interrupted (${JSON.stringify(result)}); raise FB_EXPORT_POINTS`);
  return { ...result, stderr };
}

describe('an interrupted export', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'to a file, by %s: nothing under the final name, no temporary file left',
    async (signal) => {
      const outDir = path.join(tmp, `file-${signal}`);
      fs.mkdirSync(outDir);
      const out = path.join(outDir, 'points.csv');
      const r = await interruptExport(['--format', 'csv', '--out', out], outDir, signal);
      expect(r.code).toBe(130);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(fs.readdirSync(outDir)).toEqual([]);
    },
  );

  it('to a directory of tables: no table file and no temporary file left', async () => {
    const out = path.join(tmp, 'tables');
    const r = await interruptExport(['--plugins', 'scalars,histograms,text', '--out', out], out, 'SIGINT');
    expect(r.code).toBe(130);
    expect(partials(out)).toEqual([]);
    expect(fs.readdirSync(out).filter((f) => /\.(jsonl|csv|json)$/.test(f))).toEqual([]);
  });
});

describe('an export meeting a full disk', () => {
  const oneLineError = (stderr: string): void => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^featherboard: export: the disk is full/);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('on stdout (redirected to /dev/full): one clear line, exit 1', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" export --logdir "${big}" > /dev/full`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    oneLineError(r.stderr);
  });

  it('under --out on a tiny tmpfs: one clear line, exit 1, nothing left on the disk', () => {
    const disk = path.join(tmp, 'tiny');
    const launcher = tinyDiskLauncher(disk);
    if (launcher === undefined) {
      // No root and no user namespaces here: /dev/full above is the full-disk check.
      console.log(
        'export full-disk: cannot mount a tmpfs here (no root, no user namespaces); only the /dev/full case ran',
      );
      return;
    }
    for (const args of [
      ['--format', 'csv', '--out', path.join(disk, 'points.csv')],
      ['--plugins', 'scalars,histograms', '--out', path.join(disk, 'tables')],
    ]) {
      const r = launcher.launch(disk, '64k', [process.execPath, BIN, 'export', '--logdir', big, ...args]);
      expect(r.status).toBe(1);
      oneLineError(r.stderr);
      // At most the (empty) output directory the export made.
      expect(leftOn(disk).filter((f) => f !== path.join(disk, 'tables'))).toEqual([]);
    }
    // Images are files of their own: none may be left, whole or half-written (folders may stay).
    const r = launcher.launch(disk, '64k', [
      process.execPath,
      BIN,
      'export',
      '--logdir',
      imageLogdir(),
      '--plugins',
      'images',
      '--out',
      path.join(disk, 'media'),
    ]);
    expect(r.status).toBe(1);
    oneLineError(r.stderr);
    expect(leftOn(disk).filter((f) => /\.(png|jsonl)$|partial/.test(f))).toEqual([]);
    console.log(`export full-disk: ${launcher.how}`);
  });
});
