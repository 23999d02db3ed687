import * as path from 'node:path';
import type { StorageOptions } from '@google-cloud/storage';
import type { FileSource } from './file-source';
import { GcsBackend } from './gcs-backend';
import { LocalSource } from './local-source';
import { formatLocation, isObjectStoreUrl, type Location, parseLocation } from './location';
import { ObjectStoreSource, type ObjectSourceOptions } from './object-store-source';
import { S3Backend } from './s3-backend';
import { s3Settings } from './s3-settings';

export interface OpenOptions {
  /** Where S3 settings are read from (default: process.env). Credentials are the SDK's to find. */
  env?: Record<string, string | undefined>;
  /** Tries per S3 request (the SDK's retries). */
  s3MaxAttempts?: number;
  /** Passed to `new Storage()` (endpoint, retries...), over the defaults. */
  gcs?: StorageOptions;
  /** Range size, resume policy, GET limiter of object store reads. */
  object?: ObjectSourceOptions;
}

/**
 * The file source for a logdir as the user wrote it: a local path,
 * `s3://bucket/prefix` or `gs://bucket/prefix`. Throws a SourceError
 * (BAD_LOCATION) for a malformed URL; nothing is read until asked.
 */
export function openSource(text: string, options: OpenOptions = {}): FileSource {
  return sourceFor(parseLocation(text), options);
}

export function sourceFor(loc: Location, options: OpenOptions = {}): FileSource {
  if (loc.kind === 'local') return new LocalSource(loc.path);
  const backend =
    loc.scheme === 's3'
      ? new S3Backend(loc.bucket, s3Settings(options.env), options.s3MaxAttempts)
      : new GcsBackend(loc.bucket, options.gcs, options.object?.retry);
  return new ObjectStoreSource(backend, loc.prefix, options.object);
}

const byBucket = new Map<string, FileSource>();
let local: FileSource | undefined;

/**
 * A source that can read `file` (an absolute path or an object URL), one per
 * bucket for the process, configured from the environment: for reads by
 * path alone, as payload references (file, offset, length) are.
 */
export function sourceForFile(file: string): FileSource {
  if (!isObjectStoreUrl(file)) {
    local ??= new LocalSource(path.parse(path.resolve(file)).root);
    return local;
  }
  const loc = parseLocation(file);
  if (loc.kind === 'local') throw new Error('unreachable: an object URL parsed as a local path');
  const bucketUrl = formatLocation({ ...loc, prefix: '' });
  let source = byBucket.get(bucketUrl);
  if (source === undefined) {
    source = sourceFor({ ...loc, prefix: '' });
    byBucket.set(bucketUrl, source);
  }
  return source;
}
