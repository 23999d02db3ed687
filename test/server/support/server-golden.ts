import * as fs from 'fs';
import * as path from 'path';
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

/** Logdirs with a recording from TensorBoard's default (Rust data server) mode. */
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

/** The media type without parameters: `text/csv; charset=utf-8` → `text/csv`. */
export function mimeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
