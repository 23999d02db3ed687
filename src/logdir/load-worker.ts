/**
 * Worker thread entry: reads whole runs (RunJob → RunReadResult) and moves
 * their columns back to the main thread. See worker-pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { readRunState, transferables, type RunJob } from './read-run-state';

const port = parentPort;
if (port !== null) {
  // Jobs are read one after the other, in the order they came: the pool sends
  // the next one ahead, so it is waiting here when the current one is done.
  let previous: Promise<void> = Promise.resolve();
  port.on('message', (msg: { id: number; job: RunJob }) => {
    previous = previous.then(() =>
      readRunState(msg.job).then(
        (result) => port.postMessage({ id: msg.id, result }, transferables(result)),
        (err: unknown) => port.postMessage({ id: msg.id, error: (err as Error).message ?? String(err) }),
      ),
    );
  });
}
