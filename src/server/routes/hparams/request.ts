import { badRequest } from '../../http/http-error';
import { LIMITS } from '../../http/params';
import type { PbMetricName, PbValue } from './hparams-data';
import { STATUS } from './hparams-data';

/**
 * The JSON request bodies of the hparams API, read as protobuf's JSON parser
 * does: camelCase or snake_case names, enums by name or number, unknown fields
 * and wrong types refused (400).
 */

type Json = Record<string, unknown>;

const AGGREGATION = [
  'AGGREGATION_UNSET',
  'AGGREGATION_AVG',
  'AGGREGATION_MEDIAN',
  'AGGREGATION_MIN',
  'AGGREGATION_MAX',
];
const ORDER = ['ORDER_UNSPECIFIED', 'ORDER_ASC', 'ORDER_DESC'];

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The object's fields under their camelCase names; any other field is an error. */
function fieldsOf(value: unknown, allowed: string[], what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badRequest(`${what} must be a JSON object`);
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const name = camel(k);
    if (!allowed.includes(name)) throw badRequest(`${what} has no field "${k}"`);
    out[name] = v;
  }
  return out;
}

function str(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${what} must be a string`);
  return v;
}

function bool(v: unknown, what: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${what} must be true or false`);
  return v;
}

function int(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > 2 ** 31 - 1)
    throw badRequest(`${what} must be a 32-bit integer`);
  return n;
}

function num(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  throw badRequest(`${what} must be a number`);
}

function enumValue(v: unknown, names: string[], what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && names.includes(v)) return names.indexOf(v);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < names.length) return v;
  throw badRequest(`${what} must be one of ${names.join(', ')}`);
}

function metricName(v: unknown, what: string): PbMetricName {
  const f = fieldsOf(v, ['group', 'tag'], what);
  return { group: str(f.group, `${what}.group`) ?? '', tag: str(f.tag, `${what}.tag`) ?? '' };
}

function jsonValue(v: unknown, what: string): PbValue {
  if (typeof v === 'number') return { kind: 'numberValue', numberValue: v };
  if (typeof v === 'string') return { kind: 'stringValue', stringValue: v };
  if (typeof v === 'boolean') return { kind: 'boolValue', boolValue: v };
  throw badRequest(`${what} must be a number, string or boolean`);
}

/** The request as JSON text: the POST body, or the `request` query parameter of a GET. */
export function parseJsonRequest(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') throw badRequest('Expected a JSON-formatted request');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Expected a JSON-formatted request');
  }
}

export interface GetExperimentRequest {
  includeMetrics: boolean;
  hparamsLimit: number | undefined;
}

export function getExperimentRequest(v: unknown): GetExperimentRequest {
  const f = fieldsOf(v, ['experimentName', 'includeMetrics', 'hparamsLimit'], 'GetExperimentRequest');
  str(f.experimentName, 'experimentName');
  // Metrics are included unless the request says otherwise.
  return {
    includeMetrics: bool(f.includeMetrics, 'includeMetrics') ?? true,
    hparamsLimit: int(f.hparamsLimit, 'hparamsLimit'),
  };
}

export interface ColParam {
  metric?: PbMetricName;
  hparam?: string;
  order: number;
  missingValuesFirst: boolean;
  filterRegexp?: string;
  filterInterval?: { minValue: number; maxValue: number };
  filterDiscrete?: PbValue[];
  excludeMissingValues: boolean;
  includeInResult?: boolean;
}

export interface ListSessionGroupsRequest {
  allowedStatuses: number[];
  colParams: ColParam[];
  aggregationType: number;
  aggregationMetric?: PbMetricName;
  startIndex: number;
  sliceSize: number;
  includeMetrics: boolean;
}

function colParam(v: unknown, i: number): ColParam {
  const what = `colParams[${i}]`;
  const f = fieldsOf(
    v,
    [
      'metric',
      'hparam',
      'order',
      'missingValuesFirst',
      'filterRegexp',
      'filterInterval',
      'filterDiscrete',
      'excludeMissingValues',
      'includeInResult',
    ],
    what,
  );
  const out: ColParam = {
    order: enumValue(f.order, ORDER, `${what}.order`) ?? 0,
    missingValuesFirst: bool(f.missingValuesFirst, `${what}.missingValuesFirst`) ?? false,
    excludeMissingValues: bool(f.excludeMissingValues, `${what}.excludeMissingValues`) ?? false,
  };
  if (f.metric !== undefined && f.metric !== null) out.metric = metricName(f.metric, `${what}.metric`);
  const hparam = str(f.hparam, `${what}.hparam`);
  if (hparam !== undefined) out.hparam = hparam;
  if (out.metric === undefined && out.hparam === undefined)
    throw badRequest(`${what} names neither a metric nor an hparam`);
  const regexp = str(f.filterRegexp, `${what}.filterRegexp`);
  if (regexp !== undefined) out.filterRegexp = regexp;
  if (f.filterInterval !== undefined && f.filterInterval !== null) {
    const iv = fieldsOf(f.filterInterval, ['minValue', 'maxValue'], `${what}.filterInterval`);
    out.filterInterval = {
      minValue: iv.minValue === undefined ? 0 : num(iv.minValue, 'minValue'),
      maxValue: iv.maxValue === undefined ? 0 : num(iv.maxValue, 'maxValue'),
    };
  }
  if (f.filterDiscrete !== undefined && f.filterDiscrete !== null) {
    if (!Array.isArray(f.filterDiscrete)) throw badRequest(`${what}.filterDiscrete must be a list`);
    out.filterDiscrete = f.filterDiscrete.map((x, j) => jsonValue(x, `${what}.filterDiscrete[${j}]`));
  }
  const include = bool(f.includeInResult, `${what}.includeInResult`);
  if (include !== undefined) out.includeInResult = include;
  return out;
}

export function listSessionGroupsRequest(v: unknown): ListSessionGroupsRequest {
  const f = fieldsOf(
    v,
    [
      'experimentName',
      'allowedStatuses',
      'colParams',
      'aggregationType',
      'aggregationMetric',
      'startIndex',
      'sliceSize',
      'includeMetrics',
    ],
    'ListSessionGroupsRequest',
  );
  str(f.experimentName, 'experimentName');
  const statuses = f.allowedStatuses ?? [];
  if (!Array.isArray(statuses)) throw badRequest('allowedStatuses must be a list');
  const cols = f.colParams ?? [];
  if (!Array.isArray(cols) || cols.length > LIMITS.hparamsColumns)
    throw badRequest(`colParams must be a list of at most ${LIMITS.hparamsColumns}`);
  const out: ListSessionGroupsRequest = {
    allowedStatuses: statuses.map((s, i) => enumValue(s, STATUS, `allowedStatuses[${i}]`) as number),
    colParams: cols.map(colParam),
    aggregationType: enumValue(f.aggregationType, AGGREGATION, 'aggregationType') ?? 0,
    startIndex: Math.max(0, int(f.startIndex, 'startIndex') ?? 0),
    sliceSize: Math.max(0, int(f.sliceSize, 'sliceSize') ?? 0),
    includeMetrics: bool(f.includeMetrics, 'includeMetrics') ?? true,
  };
  if (f.aggregationMetric !== undefined && f.aggregationMetric !== null)
    out.aggregationMetric = metricName(f.aggregationMetric, 'aggregationMetric');
  return out;
}

export interface ListMetricEvalsRequest {
  sessionName: string;
  metricName: PbMetricName;
}

export function listMetricEvalsRequest(v: unknown): ListMetricEvalsRequest {
  const f = fieldsOf(v, ['experimentName', 'sessionName', 'metricName'], 'ListMetricEvalsRequest');
  str(f.experimentName, 'experimentName');
  return {
    sessionName: str(f.sessionName, 'sessionName') ?? '',
    metricName:
      f.metricName === undefined || f.metricName === null
        ? { group: '', tag: '' }
        : metricName(f.metricName, 'metricName'),
  };
}
