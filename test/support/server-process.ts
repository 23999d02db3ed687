import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** A test server running as its own process, that printed `{"port":N}` once listening. */
export interface ServerProcess {
  port: number;
  /** Close its stdin (it exits then), SIGKILL after 3 s. */
  stop(): Promise<void>;
}

/**
 * Runs `node [nodeArgs] script args` and waits (15 s at most) for the port
 * line. The script exits when its stdin closes, so it never outlives the tests.
 */
export async function startServerProcess(
  nodeArgs: string[],
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  try {
    const port = await readPort(child);
    return { port, stop: () => endProcess(child) };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

function readPort(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`test server did not start in 15 s: ${err}`)), 15_000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`test server exited (${code}): ${err.trim()}`));
    });
  });
}

async function endProcess(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
