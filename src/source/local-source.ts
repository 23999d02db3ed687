import { promises as fs, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { FileEntry, FileSource, FileStat, ListOptions, ReadOptions } from './file-source';
import { SourceError } from './source-error';

/**
 * Bytes read per system call. 512 KiB costs no more CPU than 4 MiB (measured
 * on the bench logdir) and holds far less memory while loading.
 */
export const LOCAL_READ_CHUNK_BYTES = 512 * 1024;

/** A local directory: node:fs, read as the loader always has (one chunk read ahead while one is decoded). */
export class LocalSource implements FileSource {
  readonly changes = 'events';
  readonly versionKeptOnAppend = true;
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async *list(dir: string = this.root, options: ListOptions = {}): AsyncIterable<FileEntry> {
    const pending = [dir];
    while (pending.length > 0) {
      const current = pending.pop() as string;
      let entries: Dirent[];
      try {
        entries = await fs.readdir(current, { withFileTypes: true });
      } catch (err) {
        options.onUnreadable?.(current, errnoText(err));
        continue;
      }
      for (const e of entries) {
        const full = path.join(current, e.name);
        // Links to directories are not followed (as TensorBoard's walk); links to files are files.
        if (e.isDirectory()) pending.push(full);
        else if (e.isFile() || (e.isSymbolicLink() && (await isFile(full)))) yield { path: full };
      }
    }
  }

  async stat(file: string): Promise<FileStat> {
    const st = await fs.stat(file).catch((err: unknown) => {
      throw localError(file, err);
    });
    return statOf(st);
  }

  async *read(file: string, offset: number, length?: number, options: ReadOptions = {}): AsyncIterable<Uint8Array> {
    const handle = await fs.open(file, 'r').catch((err: unknown) => {
      throw localError(file, err);
    });
    let next: Promise<Uint8Array> | undefined;
    try {
      const st = await handle.stat();
      if (options.version !== undefined && statOf(st).version !== options.version)
        throw new SourceError('CHANGED', file, 'the file was replaced while it was read; it is read again');
      const end = length === undefined ? st.size : Math.min(st.size, offset + length);
      let pos = offset;
      next = readChunk(handle, pos, end);
      while (next !== undefined) {
        const chunk = await next;
        if (chunk.length === 0) break;
        pos += chunk.length;
        // The next chunk is read while this one is used.
        next = readChunk(handle, pos, end);
        yield chunk;
      }
    } finally {
      // A read still in flight (the consumer stopped early) must finish before the file closes.
      await next?.catch(() => {});
      await handle.close();
    }
  }

  async readRange(file: string, offset: number, length: number): Promise<Uint8Array> {
    const handle = await fs.open(file, 'r').catch((err: unknown) => {
      throw localError(file, err);
    });
    try {
      const out = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0)
          throw new SourceError('CHANGED', file, `the file ended before the ${length} bytes at offset ${offset}`);
        done += bytesRead;
      }
      return out;
    } finally {
      await handle.close();
    }
  }

  async readAll(file: string, maxBytes: number): Promise<Uint8Array> {
    const st = await this.stat(file);
    if (st.size > maxBytes) throw tooLarge(file, maxBytes);
    const bytes = await fs.readFile(file).catch((err: unknown) => {
      throw localError(file, err);
    });
    // It may have grown since the stat.
    if (bytes.length > maxBytes) throw tooLarge(file, maxBytes);
    return bytes;
  }

  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  parent(file: string): string {
    return path.dirname(file);
  }

  join(dir: string, ...names: string[]): string {
    return path.join(dir, ...names.flatMap((n) => n.split('/')));
  }
}

/** Up to LOCAL_READ_CHUNK_BYTES from `offset` (fewer at `end` or the file's end); none at `end`. */
function readChunk(handle: fs.FileHandle, offset: number, end: number): Promise<Uint8Array> | undefined {
  if (offset >= end) return undefined;
  const want = Math.min(LOCAL_READ_CHUNK_BYTES, end - offset);
  // A plain Uint8Array, like the reader's joined buffers: one map for the hot loop to see.
  const chunk = new Uint8Array(want);
  return handle
    .read(chunk, 0, want, offset)
    .then(({ bytesRead }) => (bytesRead === want ? chunk : chunk.subarray(0, bytesRead)));
}

function statOf(st: Stats): FileStat {
  return { size: st.size, mtimeMs: st.mtimeMs, version: `${st.dev}:${st.ino}` };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

function errnoText(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

function tooLarge(file: string, maxBytes: number): SourceError {
  return new SourceError('TOO_LARGE', file, `larger than ${maxBytes} bytes`);
}

function localError(file: string, err: unknown): SourceError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new SourceError('NOT_FOUND', file, 'no such file (deleted or renamed since it was listed?)', { cause: err });
  if (code === 'EACCES' || code === 'EPERM')
    return new SourceError('ACCESS_DENIED', file, `permission denied (${code}); check its permissions`, {
      cause: err,
    });
  return new SourceError('FAILED', file, `cannot read: ${errnoText(err)}`, { cause: err });
}
