import { protoType } from '../../../protobuf/schema';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { listSeries } from '../../data/series';

/** The tags the hparams summaries write. */
export const EXPERIMENT_TAG = '_hparams_/experiment';
export const SESSION_START_INFO_TAG = '_hparams_/session_start_info';
export const SESSION_END_INFO_TAG = '_hparams_/session_end_info';

export const DATA_TYPE = ['DATA_TYPE_UNSET', 'DATA_TYPE_STRING', 'DATA_TYPE_BOOL', 'DATA_TYPE_FLOAT64'];
export const DATASET_TYPE = ['DATASET_UNKNOWN', 'DATASET_TRAINING', 'DATASET_VALIDATION'];
export const STATUS = ['STATUS_UNKNOWN', 'STATUS_SUCCESS', 'STATUS_FAILURE', 'STATUS_RUNNING'];

/** google.protobuf.Value as protobufjs decodes it (with `kind` naming the set field). */
export interface PbValue {
  kind?: string;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  listValue?: { values?: PbValue[] };
  structValue?: unknown;
  nullValue?: number;
}

export interface PbMetricName {
  group?: string;
  tag?: string;
}

export interface PbHParamInfo {
  name?: string;
  displayName?: string;
  description?: string;
  type?: number;
  domainDiscrete?: { values?: PbValue[] };
  domainInterval?: { minValue?: number; maxValue?: number };
  differs?: boolean;
}

export interface PbMetricInfo {
  name?: PbMetricName;
  displayName?: string;
  description?: string;
  datasetType?: number;
}

export interface PbExperiment {
  name?: string;
  description?: string;
  user?: string;
  timeCreatedSecs?: number;
  hparamInfos?: PbHParamInfo[];
  metricInfos?: PbMetricInfo[];
}

export interface PbSessionStartInfo {
  hparams?: Record<string, PbValue>;
  modelUri?: string;
  monitorUrl?: string;
  groupName?: string;
  startTimeSecs?: number;
}

export interface PbSessionEndInfo {
  status?: number;
  endTimeSecs?: number;
}

interface PbPluginData {
  experiment?: PbExperiment;
  sessionStartInfo?: PbSessionStartInfo;
  sessionEndInfo?: PbSessionEndInfo;
}

/** HParamsPluginData of a tag's metadata, or undefined if it does not parse. */
function parsePluginData(content: Uint8Array): PbPluginData | undefined {
  try {
    const type = protoType('HParamsPluginData');
    return type.toObject(type.decode(content), { oneofs: true, defaults: false }) as PbPluginData;
  } catch {
    return undefined;
  }
}

/** Every run's hparams plugin data, by tag (TensorBoard's `hparams_metadata`). */
export interface HParamsRun {
  run: string;
  experiment?: PbExperiment;
  startInfo?: PbSessionStartInfo;
  endInfo?: PbSessionEndInfo;
}

export function hparamsRuns(store: Store): HParamsRun[] {
  const out: HParamsRun[] = [];
  for (const [run, refs] of listSeries(store, PLUGIN.HPARAMS, DATA_CLASS.TENSOR)) {
    const entry: HParamsRun = { run };
    for (const r of refs) {
      const data = parsePluginData(r.metadata.pluginContent);
      if (r.tag === EXPERIMENT_TAG && data?.experiment !== undefined) entry.experiment = data.experiment;
      if (r.tag === SESSION_START_INFO_TAG && data?.sessionStartInfo !== undefined)
        entry.startInfo = data.sessionStartInfo;
      if (r.tag === SESSION_END_INFO_TAG && data?.sessionEndInfo !== undefined) entry.endInfo = data.sessionEndInfo;
    }
    out.push(entry);
  }
  return out;
}

/** The native value of a protobuf Value that hparams can use (number, string, bool). */
export function valueToNative(v: PbValue | undefined): number | string | boolean | undefined {
  if (v === undefined) return undefined;
  if (v.kind === 'numberValue' || (v.kind === undefined && v.numberValue !== undefined)) return v.numberValue ?? 0;
  if (v.kind === 'stringValue' || (v.kind === undefined && v.stringValue !== undefined)) return v.stringValue ?? '';
  if (v.kind === 'boolValue' || (v.kind === undefined && v.boolValue !== undefined)) return v.boolValue ?? false;
  return undefined;
}

/** Values protobuf's JSON can print: no NaN or infinities, no nested structures. */
export function isSerializable(v: PbValue | undefined): boolean {
  const n = valueToNative(v);
  return n !== undefined && (typeof n !== 'number' || Number.isFinite(n));
}

/** `os.path.join(session, group)` without a trailing slash (TensorBoard's metric run). */
export function metricRun(session: string, group: string | undefined): string {
  if (!group) return session;
  if (group.startsWith('/')) return group;
  return session === '' ? group : `${session.replace(/\/$/, '')}/${group}`;
}
