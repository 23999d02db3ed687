import { promises as fs } from 'node:fs';
import type { ByteRef } from '../events/types';

/**
 * The bytes a reference names: its inline copy, or a read of exactly that
 * range of the file. `filePath` must come from the store, never from a request.
 */
export async function readBlob(filePath: string, ref: ByteRef): Promise<Uint8Array> {
  if (ref.inline !== undefined) return ref.inline;
  const handle = await fs.open(filePath, 'r');
  try {
    const out = Buffer.alloc(ref.length);
    let done = 0;
    while (done < ref.length) {
      const { bytesRead } = await handle.read(out, done, ref.length - done, ref.offset + done);
      if (bytesRead === 0) throw new Error(`file ended before the ${ref.length} bytes at offset ${ref.offset}`);
      done += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}
