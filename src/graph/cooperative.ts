/**
 * Long computations written once, run two ways. A computation is a
 * generator that `yield`s where it may pause (every few thousand nodes);
 * the CLI runs it to the end in one piece, the server runs it a step per
 * turn of the event loop so that other requests are answered in between.
 */
export type Steps<T> = Generator<void, T, undefined>;

/** Runs the steps in one piece. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Runs the steps a step per turn of the event loop. */
export async function runInTurns<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    await nextTurn();
  }
}

/** Resolves on the next turn of the event loop, after pending I/O (other requests) had its turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
