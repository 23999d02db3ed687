import type { Request } from 'express';
import { badRequest } from './http-error';

/**
 * Longest accepted query or form value: run and tag names are short, but the
 * hparams dashboard sends its whole session-groups request in one parameter
 * (download_data links of experiments with many hparams run to tens of kB).
 */
export const MAX_PARAM_CHARS = 256 * 1024;
/** Most values accepted for a repeated parameter (runs of a multi-run request). */
export const MAX_PARAM_VALUES = 10000;

type Bag = Record<string, unknown> | undefined;

function valuesOf(bag: Bag, name: string): string[] {
  const raw = bag?.[name];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length > MAX_PARAM_VALUES) throw badRequest(`too many values for parameter "${name}"`);
  return list.map((v) => {
    if (typeof v !== 'string') throw badRequest(`parameter "${name}" must be a string`);
    if (v.length > MAX_PARAM_CHARS) throw badRequest(`parameter "${name}" is too long`);
    return v;
  });
}

/** The first value of a query parameter (as werkzeug's `args.get`), or undefined. */
export function queryParam(req: Request, name: string): string | undefined {
  return valuesOf(req.query as Bag, name)[0];
}

/** Every value of a repeated query parameter. */
export function queryList(req: Request, name: string): string[] {
  return valuesOf(req.query as Bag, name);
}

export function requireQuery(req: Request, name: string): string {
  const v = queryParam(req, name);
  if (v === undefined) throw badRequest(`query parameter "${name}" is required`);
  return v;
}

/** Every value of a field in a parsed form body. */
export function formList(body: Bag, name: string): string[] {
  return valuesOf(body, name);
}

/** A non-negative integer query parameter, bounded. */
export function intQuery(req: Request, name: string, fallback: number, max = 1_000_000): number {
  const v = queryParam(req, name);
  if (v === undefined) return fallback;
  if (!/^\d{1,16}$/.test(v)) throw badRequest(`parameter "${name}" must be a non-negative integer`);
  const n = Number(v);
  if (n > max) throw badRequest(`parameter "${name}" must be at most ${max}`);
  return n;
}
