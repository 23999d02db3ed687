import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from '../../support/golden-form';

/** One request TensorBoard 2.21 answered, as fixtures/server_golden.py recorded it. */
export interface GoldenResponse {
  method: 'GET' | 'POST';
  path: string;
  body: string | null;
  request_content_type?: string;
  status: number;
  content_type: string;
  location?: string;
  json?: unknown;
  text?: string;
  bytes?: { length: number; sha256: string };
}

export interface ServerGolden {
  load_fast: boolean;
  logdir: string;
  responses: GoldenResponse[];
}

export const SERVER_GOLDEN_DIR = path.join(FIXTURES, 'server-golden');

/** Logdirs with a recording from TensorBoard's default mode (its Rust data server). */
export function serverGoldenNames(): string[] {
  if (!fs.existsSync(SERVER_GOLDEN_DIR)) return [];
  return fs
    .readdirSync(SERVER_GOLDEN_DIR)
    .filter((f) => /^[a-z0-9_]+\.json$/.test(f))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function readServerGolden(name: string): ServerGolden {
  return JSON.parse(fs.readFileSync(path.join(SERVER_GOLDEN_DIR, `${name}.json`), 'utf8')) as ServerGolden;
}

/** The same logdir recorded with `--load_fast=false` (TensorBoard's Python loader), if there is one. */
export function readPythonModeGolden(name: string): ServerGolden | undefined {
  const file = path.join(SERVER_GOLDEN_DIR, `${name}.load_fast_false.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ServerGolden) : undefined;
}

export function requestKey(r: GoldenResponse): string {
  return `${r.method} ${r.path} ${r.body ?? ''}`;
}

/** The media type without parameters: `text/csv; charset=utf-8` → `text/csv`. */
export function mimeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Blob keys are opaque: the data server writes `[eid, run, tag, step, index]`,
 * the Python loader `[eid, plugin, run, tag, step, index]`. Both become
 * `blob:<run>|<tag>|<step>|<index>` so answers can be compared.
 */
export function normaliseBlobKeys(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replace(/(blob_key=)([A-Za-z0-9_-]+)/g, (_m, p: string, k: string) => p + keyName(k));
  if (Array.isArray(value)) return value.map(normaliseBlobKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = k === 'imageId' && typeof v === 'string' ? keyName(v) : normaliseBlobKeys(v);
    return out;
  }
  return value;
}

function keyName(key: string): string {
  try {
    const parts = JSON.parse(Buffer.from(key, 'base64url').toString('utf8')) as unknown[];
    const [run, tag, step, index] = parts.length === 6 ? parts.slice(2) : parts.slice(1);
    return `blob:${String(run)}|${String(tag)}|${String(step)}|${String(index)}`;
  } catch {
    return key;
  }
}

/**
 * True when `ours` holds everything `golden` does: objects may have more
 * keys, arrays may have more elements after the golden ones. This is the
 * keep-more-data rule for damaged files, where TensorBoard stops reading at
 * the first bad record and featherboard skips it and reads on.
 */
export function isSupersetOf(ours: unknown, golden: unknown): boolean {
  if (Array.isArray(golden))
    return Array.isArray(ours) && ours.length >= golden.length && golden.every((g, i) => isSupersetOf(ours[i], g));
  if (golden !== null && typeof golden === 'object') {
    if (ours === null || typeof ours !== 'object' || Array.isArray(ours)) return false;
    return Object.entries(golden).every(([k, g]) => k in ours && isSupersetOf((ours as Record<string, unknown>)[k], g));
  }
  return Object.is(ours, golden) || ours === golden;
}
