import type { Request } from 'express';
import { ApiError } from './api-error';

/** Bounds on every request parameter, so no request can ask for unbounded work. */
export const LIMITS = {
  maxNameLength: 1024,
  maxRuns: 500,
  maxWidth: 20000,
  defaultWidth: 1000,
  maxSamples: 10000,
};

/** A query parameter given once, as a string (or undefined when absent). */
export function single(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, `parameter "${name}" must be given once`);
  return v;
}

export function requiredName(req: Request, name: string): string {
  const v = single(req, name);
  if (v === undefined || v === '') throw new ApiError(400, `missing parameter "${name}"`);
  if (v.length > LIMITS.maxNameLength) throw new ApiError(400, `parameter "${name}" is too long`);
  return v;
}

/** An integer in [min, max], or the fallback when absent. */
export function intParam(req: Request, name: string, min: number, max: number, fallback: number): number {
  const v = single(req, name);
  if (v === undefined || v === '') return fallback;
  if (!/^-?\d{1,16}$/.test(v)) throw new ApiError(400, `parameter "${name}" must be an integer`);
  const n = Number(v);
  if (n < min || n > max) throw new ApiError(400, `parameter "${name}" must be between ${min} and ${max}`);
  return n;
}

/** A finite number (steps may exceed 2^53 on disk; they are compared as doubles). */
export function numberParam(req: Request, name: string, fallback: number): number {
  const v = single(req, name);
  if (v === undefined || v === '') return fallback;
  if (v.length > 40) throw new ApiError(400, `parameter "${name}" is too long`);
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ApiError(400, `parameter "${name}" must be a finite number`);
  return n;
}

/**
 * Run names: `run=a&run=b` (exact, any characters) and/or `runs=a,b`
 * (comma-separated, for names without commas). Duplicates are dropped.
 */
export function runNames(req: Request): string[] {
  const out: string[] = [];
  const push = (s: string): void => {
    if (s.length > LIMITS.maxNameLength) throw new ApiError(400, 'run name too long');
    if (!out.includes(s)) out.push(s);
  };
  const repeated = req.query.run;
  if (repeated !== undefined) {
    const list = Array.isArray(repeated) ? repeated : [repeated];
    for (const r of list) {
      if (typeof r !== 'string') throw new ApiError(400, 'parameter "run" must be a string');
      push(r);
      if (out.length > LIMITS.maxRuns) throw new ApiError(400, `at most ${LIMITS.maxRuns} runs per request`);
    }
  }
  const csv = single(req, 'runs');
  if (csv !== undefined && csv !== '') {
    if (csv.length > LIMITS.maxRuns * (LIMITS.maxNameLength + 1))
      throw new ApiError(400, 'parameter "runs" is too long');
    for (const r of csv.split(',')) {
      push(r);
      if (out.length > LIMITS.maxRuns) throw new ApiError(400, `at most ${LIMITS.maxRuns} runs per request`);
    }
  }
  if (out.length === 0) throw new ApiError(400, 'missing parameter "runs" (or "run")');
  return out;
}

/** JSON cannot carry NaN or ±Infinity: TensorBoard sends them as strings. */
export function jsonNumber(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? 'Infinity' : '-Infinity';
}
