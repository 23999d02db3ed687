import { createWriteStream, promises as fs, type WriteStream } from 'fs';
import * as path from 'path';
import type { Writable } from 'stream';

/**
 * A file written under a temporary name and renamed into place only when
 * complete, so an interrupted export never leaves a half file under the
 * final name.
 */
export class AtomicOutputFile {
  readonly stream: WriteStream;
  private readonly tempPath: string;

  constructor(readonly finalPath: string) {
    this.tempPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.partial-${process.pid}`);
    this.stream = createWriteStream(this.tempPath);
    AtomicOutputFile.open.add(this);
  }

  async commit(): Promise<void> {
    await closeStream(this.stream);
    await fs.rename(this.tempPath, this.finalPath);
    AtomicOutputFile.open.delete(this);
  }

  /** Remove the temporary file (export failed or was interrupted). */
  discardSync(): void {
    this.stream.destroy();
    try {
      require('fs').unlinkSync(this.tempPath);
    } catch {
      /* already gone */
    }
    AtomicOutputFile.open.delete(this);
  }

  /** Files not yet committed, removed if the process is interrupted. */
  static readonly open = new Set<AtomicOutputFile>();
}

export function closeStream(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}
