import type { Request } from 'express';
import { badRequest } from './http-error';

/**
 * Request parameters: the one parser, and every bound on request input, named once. No request
 * can ask for unbounded work: each value, each list and each body has a limit here.
 */
export const LIMITS = {
  /**
   * Longest query or form value: run and tag names are short, but the hparams dashboard sends
   * its whole session-groups request in one parameter (download_data links of experiments
   * with many hparams run to tens of kB).
   */
  valueChars: 256 * 1024,
  /** Most values of a repeated parameter (runs of a multi-run request). */
  repeatedValues: 10_000,
  /** Longest run or tag name the viewer API takes. */
  nameChars: 1024,
  /** Most runs one viewer API request names. */
  runsPerRequest: 500,
  /** Longest number (steps, smoothing) the viewer API takes, in characters. */
  numberChars: 40,
  /** Largest sample index (images or clips of one step) a request may name. */
  sampleIndex: 1_000_000,
  /** Widest chart the viewer may ask points for, in buckets (pixels). */
  chartWidth: 20_000,
  /** Most points per series of `/api/histograms` and `/api/pr_curves`. */
  samples: 10_000,
  /** Longest blob key (run and tag names are bounded too). */
  blobKeyChars: 8192,
  /** Longest regular expression from a request: tag and hparam patterns are short. */
  regexChars: 512,
  /** Largest request body. */
  bodyBytes: 1024 * 1024,
  /** Most fields of a form body. */
  formFields: 20_000,
  /** Most series one Time Series request asks for. */
  timeSeriesRequests: 1000,
  /** Most columns of an hparams session-groups request. */
  hparamsColumns: 10_000,
} as const;

/** What a parameter is worth when the request leaves it out. */
export const DEFAULTS = {
  chartWidth: 1000,
  histogramSamples: 500,
  prCurveSamples: 1000,
} as const;

/**
 * How a family of routes reads its parameters. TensorBoard's routes read them as werkzeug's
 * `args.get` does (the first of repeated values; `name=` is the empty string); the viewer's API
 * refuses a repeated single value and treats `name=` as absent. Each family says its errors in
 * its own words, which clients and tests have seen.
 */
export interface ParamPolicy {
  /** A parameter given more than once where one value is read: its first value, or a 400. */
  repeated: 'first' | 'refuse';
  /** Whether `name=` counts as absent. */
  emptyIsAbsent: boolean;
  says: {
    missing(name: string): string;
    notInteger(name: string, min: number): string;
    outOfRange(name: string, min: number, max: number, n: number): string;
  };
}

/** TensorBoard's `/data/...` routes. */
export const TENSORBOARD_PARAMS: ParamPolicy = {
  repeated: 'first',
  emptyIsAbsent: false,
  says: {
    missing: (name) => `query parameter "${name}" is required`,
    notInteger: (name) => `parameter "${name}" must be a non-negative integer`,
    outOfRange: (name, min, max, n) =>
      n < min ? `parameter "${name}" must be a non-negative integer` : `parameter "${name}" must be at most ${max}`,
  },
};

/** The viewer's `/api/...`. */
export const VIEWER_PARAMS: ParamPolicy = {
  repeated: 'refuse',
  emptyIsAbsent: true,
  says: {
    missing: (name) => `missing parameter "${name}"`,
    notInteger: (name) => `parameter "${name}" must be an integer`,
    outOfRange: (name, min, max) => `parameter "${name}" must be between ${min} and ${max}`,
  },
};

/** Parsed query or form fields: Express's "simple" query parser and urlencoded bodies give strings or lists. */
type Bag = Record<string, unknown> | undefined;

/** Request parameters (the query, or the fields of a parsed form body) read under one family's policy. */
export class Params {
  constructor(
    private readonly bag: Bag,
    private readonly policy: ParamPolicy,
  ) {}

  /** Every value of a parameter that may repeat (`run=a&run=b`), each at most `maxChars`. */
  all(name: string, maxChars: number = LIMITS.valueChars): string[] {
    const raw = this.bag?.[name];
    if (raw === undefined) return [];
    const list = Array.isArray(raw) ? raw : [raw];
    if (list.length > LIMITS.repeatedValues) throw badRequest(`too many values for parameter "${name}"`);
    return list.map((v) => {
      if (typeof v !== 'string') throw badRequest(`parameter "${name}" must be a string`);
      if (v.length > maxChars) throw badRequest(`parameter "${name}" is too long`);
      return v;
    });
  }

  /** One value, or undefined when absent. */
  get(name: string, maxChars: number = LIMITS.valueChars): string | undefined {
    const raw = this.bag?.[name];
    if (this.policy.repeated === 'refuse' && Array.isArray(raw))
      throw badRequest(`parameter "${name}" must be given once`);
    const v = this.all(name, maxChars)[0];
    return v === '' && this.policy.emptyIsAbsent ? undefined : v;
  }

  /** One value, which the request must give. */
  require(name: string, maxChars: number = LIMITS.valueChars): string {
    const v = this.get(name, maxChars);
    if (v === undefined) throw badRequest(this.policy.says.missing(name));
    return v;
  }

  /** An integer in [min, max], or `fallback` when absent. */
  int(name: string, range: { min: number; max: number; fallback: number }): number {
    const v = this.get(name);
    if (v === undefined) return range.fallback;
    if (!/^-?\d{1,16}$/.test(v)) throw badRequest(this.policy.says.notInteger(name, range.min));
    const n = Number(v);
    if (n < range.min || n > range.max) throw badRequest(this.policy.says.outOfRange(name, range.min, range.max, n));
    return n;
  }

  /** A finite number, or `fallback` when absent (steps may exceed 2^53 on disk; they are compared as doubles). */
  number(name: string, fallback: number): number {
    const v = this.get(name, LIMITS.numberChars);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw badRequest(`parameter "${name}" must be a finite number`);
    return n;
  }
}

/** The query of a TensorBoard route. */
export function tensorboardQuery(req: Request): Params {
  return new Params(req.query as Bag, TENSORBOARD_PARAMS);
}

/** The fields of a TensorBoard route's form body (parsed by request-body.ts). */
export function tensorboardForm(req: Request): Params {
  return new Params(req.body as Bag, TENSORBOARD_PARAMS);
}

/** The query of a viewer API route. */
export function viewerQuery(req: Request): Params {
  return new Params(req.query as Bag, VIEWER_PARAMS);
}
