import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * Runs a command with a tiny tmpfs mounted at `dir`, to meet a full disk
 * for real. As root the mount is made directly; otherwise in a user and
 * mount namespace of its own (`unshare -rm`), where an unprivileged user
 * may mount a tmpfs. The script lists what the command left on the disk
 * into `<dir>.left` before unmounting, so it can be checked from outside.
 */
const SCRIPT = [
  'D="$1"; SIZE="$2"; shift 2',
  'mount -t tmpfs -o "size=$SIZE" tmpfs "$D" || exit 99',
  '"$@"; rc=$?',
  'find "$D" -mindepth 1 > "$D.left"',
  'umount "$D"',
  'exit $rc',
].join('\n');

export type Launcher = (dir: string, size: string, cmd: string[]) => SpawnSyncReturns<string>;

const direct: Launcher = (dir, size, cmd) =>
  spawnSync('sh', ['-c', SCRIPT, 'sh', dir, size, ...cmd], { encoding: 'utf8', timeout: 60_000 });
const namespaced: Launcher = (dir, size, cmd) =>
  spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', SCRIPT, 'sh', dir, size, ...cmd], {
    encoding: 'utf8',
    timeout: 60_000,
  });

/** A launcher that can mount here, or undefined (no root, no user namespaces). */
export function tinyDiskLauncher(probeDir: string): { launch: Launcher; how: string } | undefined {
  fs.mkdirSync(probeDir, { recursive: true });
  const candidates: [Launcher, string][] = [];
  if (process.getuid?.() === 0) candidates.push([direct, 'tmpfs mounted as root']);
  candidates.push([namespaced, 'tmpfs mounted in a user namespace']);
  for (const [launch, how] of candidates) {
    const r = launch(probeDir, '64k', ['true']);
    if (r.status === 0) return { launch, how };
  }
  return undefined;
}

/** What the command left on the tiny disk (paths), as the script recorded it. */
export function leftOn(dir: string): string[] {
  return fs
    .readFileSync(`${dir}.left`, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}
