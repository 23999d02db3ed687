import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { listSeries } from '../../data/series';
import { pythonFloatRepr } from '../../render/python-float';
import {
  DATA_TYPE,
  DATASET_TYPE,
  hparamsRuns,
  isSerializable,
  valueToNative,
  type HParamsRun,
  type PbExperiment,
  type PbHParamInfo,
  type PbMetricInfo,
  type PbMetricName,
  type PbValue,
} from './hparams-data';

const TYPE_STRING = 1;
const TYPE_BOOL = 2;
const TYPE_FLOAT64 = 3;

function valueType(v: PbValue): number | undefined {
  const n = valueToNative(v);
  return typeof n === 'number'
    ? TYPE_FLOAT64
    : typeof n === 'string'
      ? TYPE_STRING
      : typeof n === 'boolean'
        ? TYPE_BOOL
        : undefined;
}

/** How protobuf's JSON prints a Value, as TensorBoard uses it for string domains. */
function valueToString(v: PbValue): string {
  const n = valueToNative(v);
  return typeof n === 'string' ? n : typeof n === 'number' ? pythonFloatRepr(n) : String(n);
}

/** One hparam's info from every value it took in the sessions (TensorBoard's type deduction). */
function hparamInfoFromValues(name: string, values: PbValue[]): PbHParamInfo | undefined {
  let type = 0;
  for (const v of values) {
    const t = valueType(v);
    if (t === undefined) continue;
    if (type === 0) type = t;
    else if (type !== t) type = TYPE_STRING;
    if (type === TYPE_STRING) break;
  }
  if (type === 0) return undefined;
  const info: PbHParamInfo = { name, type };
  if (type === TYPE_STRING) {
    const distinct = [...new Set(values.filter((v) => isSerializable(v)).map(valueToString))].sort();
    info.domainDiscrete = { values: distinct.map((s) => ({ kind: 'stringValue', stringValue: s })) };
    info.differs = distinct.length > 1;
  } else if (type === TYPE_BOOL) {
    const distinct = [...new Set(values.map((v) => v.boolValue ?? false))].sort();
    info.domainDiscrete = { values: distinct.map((b) => ({ kind: 'boolValue', boolValue: b })) };
    info.differs = distinct.length > 1;
  } else {
    const nums = values.map((v) => v.numberValue ?? 0).sort((a, b) => a - b);
    if (nums.length > 0) {
      info.domainInterval = { minValue: nums[0]!, maxValue: nums[nums.length - 1]! };
      info.differs = new Set(nums).size > 1;
    }
  }
  return info;
}

/** `(tag, group)` of every scalar under a session run, sorted (TensorBoard's `_compute_metric_names`). */
function metricNames(store: Store, sessionRuns: Set<string>): PbMetricName[] {
  const names = new Map<string, PbMetricName>();
  for (const [run, refs] of listSeries(store, PLUGIN.SCALARS, DATA_CLASS.SCALAR)) {
    let session: string | undefined = run;
    while (session !== undefined && !sessionRuns.has(session))
      session = session.includes('/') ? session.slice(0, session.lastIndexOf('/')) : session === '' ? undefined : '';
    if (session === undefined) continue;
    const group = run === session ? '' : session === '' ? run : run.slice(session.length + 1);
    for (const r of refs) names.set(JSON.stringify([r.tag, group]), { tag: r.tag, group });
  }
  return [...names.values()].sort((a, b) =>
    a.tag! < b.tag! ? -1 : a.tag! > b.tag! ? 1 : a.group! < b.group! ? -1 : a.group! > b.group! ? 1 : 0,
  );
}

/** Hparams that differ first, then by name; at most `limit` (0 or unset: all). */
function sortAndLimit(e: PbExperiment, limit: number | undefined): PbExperiment {
  const infos = [...(e.hparamInfos ?? [])].sort((a, b) => {
    const da = a.differs ? 0 : 1;
    const db = b.differs ? 0 : 1;
    if (da !== db) return da - db;
    return (a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0;
  });
  return { ...e, hparamInfos: limit ? infos.slice(0, limit) : infos };
}

/**
 * The experiment TensorBoard shows: the one written under `_hparams_/experiment`,
 * else one deduced from the session start infos and the scalars of session runs.
 */
export function buildExperiment(
  store: Store,
  includeMetrics: boolean,
  hparamsLimit?: number,
  runs: HParamsRun[] = hparamsRuns(store),
): PbExperiment {
  const tagged = runs.find((r) => r.experiment !== undefined)?.experiment;
  if (tagged !== undefined) return sortAndLimit(includeMetrics ? tagged : { ...tagged, metricInfos: [] }, hparamsLimit);
  const values = new Map<string, PbValue[]>();
  for (const r of runs) {
    for (const [name, v] of Object.entries(r.startInfo?.hparams ?? {})) {
      if (!values.has(name)) values.set(name, []);
      values.get(name)!.push(v);
    }
  }
  const hparamInfos = [...values].flatMap(([name, vs]) => hparamInfoFromValues(name, vs) ?? []);
  const sessionRuns = new Set(runs.filter((r) => r.startInfo !== undefined).map((r) => r.run));
  const metricInfos: PbMetricInfo[] =
    hparamInfos.length > 0 && includeMetrics ? metricNames(store, sessionRuns).map((name) => ({ name })) : [];
  return sortAndLimit({ hparamInfos, metricInfos }, hparamsLimit);
}

/** protobuf JSON of a Value: the number, string or boolean it holds. */
export function valueJson(v: PbValue): unknown {
  if (v.kind === 'listValue' || v.listValue !== undefined) return (v.listValue?.values ?? []).map(valueJson);
  if (v.kind === 'nullValue') return null;
  return valueToNative(v) ?? null;
}

export function metricNameJson(n: PbMetricName | undefined): { group: string; tag: string } {
  return { group: n?.group ?? '', tag: n?.tag ?? '' };
}

/** The Experiment as protobuf's MessageToJson prints it with every field (TensorBoard's `proto_to_json`). */
export function experimentJson(e: PbExperiment): Record<string, unknown> {
  return {
    description: e.description ?? '',
    hparamInfos: (e.hparamInfos ?? []).map((h) => {
      const out: Record<string, unknown> = {
        description: h.description ?? '',
        differs: h.differs ?? false,
        displayName: h.displayName ?? '',
        name: h.name ?? '',
        type: DATA_TYPE[h.type ?? 0] ?? h.type,
      };
      if (h.domainDiscrete !== undefined) out.domainDiscrete = (h.domainDiscrete.values ?? []).map(valueJson);
      if (h.domainInterval !== undefined)
        out.domainInterval = { minValue: h.domainInterval.minValue ?? 0, maxValue: h.domainInterval.maxValue ?? 0 };
      return out;
    }),
    metricInfos: (e.metricInfos ?? []).map((m) => ({
      datasetType: DATASET_TYPE[m.datasetType ?? 0] ?? m.datasetType,
      description: m.description ?? '',
      displayName: m.displayName ?? '',
      name: metricNameJson(m.name),
    })),
    name: e.name ?? '',
    timeCreatedSecs: e.timeCreatedSecs ?? 0,
    user: e.user ?? '',
  };
}
