/**
 * Where a logdir's files come from: a local directory, an S3 bucket (and
 * every S3-compatible store), or a Google Cloud Storage bucket, behind one
 * small interface. Paths are strings in the source's own terms: absolute
 * local paths, or `s3://bucket/key` and `gs://bucket/key` URLs; `relative()`
 * turns one into what warnings and run names show.
 */
export interface FileSource {
  /** The logdir as the user wrote it, normalized: an absolute path or `s3://bucket/prefix`. */
  readonly root: string;
  /**
   * How changes become known. `events`: the file system reports them
   * (chokidar may watch `root`); `poll`: only listing again shows them.
   */
  readonly changes: 'events' | 'poll';
  /**
   * Whether a file keeps its `version` while it grows. Local files do (the
   * version is the inode); an object store writes a new version (ETag,
   * generation) on every upload, appends included.
   */
  readonly versionKeptOnAppend: boolean;

  /**
   * Every file under `dir` (default: the root) at any depth, in pages as the
   * store hands them out. Directory links are not followed; unreadable
   * directories are passed to `onUnreadable` and skipped.
   */
  list(dir?: string, options?: ListOptions): AsyncIterable<FileEntry>;
  /** Size, time and version of one file; a SourceError (NOT_FOUND, ACCESS_DENIED...) otherwise. */
  stat(path: string): Promise<FileStat>;
  /**
   * The bytes from `offset`, `length` of them (default: to the end the file
   * has when the read starts), as chunks in order while they arrive. Fewer
   * when the file ends sooner. Object stores read several MiB per ranged
   * GET, the next one already requested, and resume an interrupted one where
   * it stopped. With `version`, a file that is another version now fails
   * with CHANGED.
   */
  read(path: string, offset: number, length?: number, options?: ReadOptions): AsyncIterable<Uint8Array>;
  /** Exactly `length` bytes from `offset` (a payload reference), else a SourceError. */
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** A whole small file (configs, assets); TOO_LARGE beyond `maxBytes`. */
  readAll(path: string, maxBytes: number): Promise<Uint8Array>;

  /** `path` relative to the root with `/` separators, `''` for the root itself. */
  relative(path: string): string;
  /** The directory holding `path`. */
  parent(path: string): string;
  /** `dir` joined with `/`-separated relative `names`. */
  join(dir: string, ...names: string[]): string;
}

export interface FileEntry {
  path: string;
  /** Given when the listing carries it at no cost (object stores); local listings leave it to stat(). */
  stat?: FileStat;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  /** Changes when the file is replaced: `dev:ino` locally, the ETag or generation of an object. */
  version: string;
}

export interface ListOptions {
  /** A directory that could not be listed (local permissions, a vanished mount); listing goes on. */
  onUnreadable?: (dir: string, reason: string) => void;
}

export interface ReadOptions {
  /** The version the bytes must come from (see FileStat.version). */
  version?: string;
}
