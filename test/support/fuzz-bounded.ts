import * as vm from 'node:vm';

/**
 * Runs `fn` synchronously with a hard time limit. A synchronous infinite loop
 * would block jest's own timeout forever; V8's script watchdog (the `vm`
 * timeout) terminates whatever JavaScript runs on the thread, including
 * functions called from the script, so a hang becomes a failed test.
 */
export function withinTime<T>(ms: number, fn: () => T): T {
  const box: { run: () => void; result?: T } = {
    run: () => {
      box.result = fn();
    },
  };
  try {
    vm.runInNewContext('box.run()', { box }, { timeout: ms });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
      throw new Error(`did not finish within ${ms} ms (hang)`);
    throw err;
  }
  return box.result as T;
}

/** A positive integer from the environment, or the CI-sized default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}
