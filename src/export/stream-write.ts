import type { Writable } from 'node:stream';

/** Writes `bytes` to `out`; resolves at once, or once `out` has drained when its buffer is full. */
export function writeBytes(out: Writable, bytes: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(bytes)) {
      resolve();
      return;
    }
    const onError = (err: Error): void => {
      out.off('drain', onDrain);
      reject(err);
    };
    const onDrain = (): void => {
      out.off('error', onError);
      resolve();
    };
    out.once('drain', onDrain);
    out.once('error', onError);
  });
}
