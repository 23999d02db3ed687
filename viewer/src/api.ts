/**
 * Talking to the server. URLs are relative, so a --path_prefix just works. The answers' types
 * are the server's own (src/common/responses/).
 */
import type { RunJson, RunsResponse, ScalarSeriesJson, ScalarsResponse } from '../../src/common/responses/viewer-api';

export type { JsonNumber } from '../../src/common/format-number';
/** A JSON number as sent by the server: "NaN", "Infinity" and "-Infinity" become numbers again. */
export { readJsonNumber as num } from '../../src/common/format-number';

/** An answer that was not 2xx, with the server's `{ error }` message when it sent one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, signal === undefined ? {} : { signal });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body.error) message = body.error;
    } catch {
      /* not JSON */
    }
    throw new HttpError(res.status, message);
  }
  return (await res.json()) as T;
}

/** A query string from pairs; repeated keys allowed. */
export function query(pairs: [string, string | number][]): string {
  const p = new URLSearchParams();
  for (const [k, v] of pairs) p.append(k, String(v));
  return p.toString();
}

export async function fetchRuns(): Promise<RunJson[]> {
  return (await getJson<RunsResponse>('api/runs')).runs;
}

export interface ScalarQuery {
  tag: string;
  runs: string[];
  width: number;
  minStep?: number;
  maxStep?: number;
  since?: string[];
  /** Ask the server to smooth over every point (needed when it sends only some). */
  smoothing?: number;
}

export async function fetchScalars(q: ScalarQuery, signal?: AbortSignal): Promise<ScalarSeriesJson[]> {
  const pairs: [string, string | number][] = [
    ['tag', q.tag],
    ['width', Math.max(1, Math.min(20000, Math.round(q.width)))],
  ];
  for (const r of q.runs) pairs.push(['run', r]);
  if (q.minStep !== undefined) pairs.push(['minStep', Math.floor(q.minStep)]);
  if (q.maxStep !== undefined) pairs.push(['maxStep', Math.ceil(q.maxStep)]);
  if (q.since !== undefined) pairs.push(['since', q.since.join(',')]);
  if (q.smoothing !== undefined) pairs.push(['smoothing', q.smoothing]);
  return (await getJson<ScalarsResponse>(`api/scalars?${query(pairs)}`, signal)).series;
}
