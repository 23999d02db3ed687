import { createWriteStream, promises as fs, unlinkSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';

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
    // A few MiB may wait for the disk, so formatting rarely stops to wait for a write.
    this.stream = createWriteStream(this.tempPath, { highWaterMark: 4 * 1024 * 1024 });
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
      unlinkSync(this.tempPath);
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

/**
 * Payload files (images, audio) an export writes: each appears under its
 * name only once complete (written aside, then renamed), and all of them are
 * removed if the export fails or is interrupted, like its table files.
 */
export class PayloadFiles {
  private readonly written: string[] = [];
  private inFlight: string | undefined;

  constructor() {
    PayloadFiles.open.add(this);
  }

  async write(finalPath: string, bytes: Uint8Array): Promise<void> {
    const temp = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.partial-${process.pid}`);
    this.inFlight = temp;
    await fs.writeFile(temp, bytes);
    await fs.rename(temp, finalPath);
    this.inFlight = undefined;
    this.written.push(finalPath);
  }

  /** The export completed: keep the files. */
  commit(): void {
    PayloadFiles.open.delete(this);
  }

  discardSync(): void {
    for (const p of [...this.written, ...(this.inFlight === undefined ? [] : [this.inFlight])]) {
      try {
        unlinkSync(p);
      } catch {
        /* already gone */
      }
    }
    PayloadFiles.open.delete(this);
  }

  static readonly open = new Set<PayloadFiles>();
}

/** Remove everything an unfinished export wrote (on failure or interrupt). */
export function discardUnfinishedOutputs(): void {
  for (const f of [...AtomicOutputFile.open]) f.discardSync();
  for (const p of [...PayloadFiles.open]) p.discardSync();
}
