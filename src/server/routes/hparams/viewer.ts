import type { Request, Response } from 'express';
import { jsonNumber } from '../../../common/format-number';
import type {
  HParamsMetricJson,
  HParamsResponse,
  HParamsSessionJson,
  HParamValueJson,
} from '../../../common/responses/viewer-api';
import { PLUGIN } from '../../../events/plugins';
import { protoType } from '../../../protobuf/schema';
import type { Store } from '../../../store/store';
import { sendJson } from '../../http/send';

interface ProtoValue {
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
}
interface HParamsData {
  experiment?: {
    hparamInfos?: { name?: string; displayName?: string }[];
    metricInfos?: { name?: { group?: string; tag?: string }; displayName?: string }[];
  } | null;
  sessionStartInfo?: { hparams?: Record<string, ProtoValue>; groupName?: string; startTimeSecs?: number } | null;
}

function plain(v: ProtoValue): HParamValueJson {
  if (v.numberValue !== undefined) return jsonNumber(v.numberValue);
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return null;
}

interface Metric {
  group: string;
  tag: string;
  name: string;
}

/**
 * GET /api/hparams — one row per session (a run with session_start_info):
 * its hyperparameters and the last value of each metric, read as TensorBoard
 * does from the scalar tag in the session run or its `group` sub-run.
 */
export function hparamsHandler(store: Store) {
  return (_req: Request, res: Response): void => {
    const decoder = protoType('HParamsPluginData');
    const hparamNames: string[] = [];
    const metrics: Metric[] = [];
    const sessions: HParamsSessionJson[] = [];
    const runNames = store.runNames();
    for (const name of runNames) {
      const run = store.run(name)!;
      for (const tag of run.tagsForPlugin(PLUGIN.HPARAMS)) {
        let data: HParamsData;
        try {
          data = decoder.toObject(decoder.decode(run.metadata.get(tag)!.pluginContent), {
            defaults: false,
          }) as HParamsData;
        } catch {
          continue;
        }
        if (data.experiment) {
          for (const h of data.experiment.hparamInfos ?? [])
            if (h.name && !hparamNames.includes(h.name)) hparamNames.push(h.name);
          for (const m of data.experiment.metricInfos ?? []) {
            const metric = {
              group: m.name?.group ?? '',
              tag: m.name?.tag ?? '',
              name: m.displayName || m.name?.tag || '',
            };
            if (metric.tag && !metrics.some((x) => x.group === metric.group && x.tag === metric.tag))
              metrics.push(metric);
          }
        }
        if (data.sessionStartInfo) {
          const hparams: Record<string, HParamValueJson> = {};
          for (const [k, v] of Object.entries(data.sessionStartInfo.hparams ?? {})) {
            hparams[k] = plain(v);
            if (!hparamNames.includes(k)) hparamNames.push(k);
          }
          sessions.push({ run: name, hparams, metrics: {} });
        }
      }
    }
    // Without an experiment config, every scalar tag under a session is a metric.
    if (metrics.length === 0) {
      for (const s of sessions) {
        for (const name of runNames) {
          if (name !== s.run && !name.startsWith(`${s.run}/`)) continue;
          const group = name === s.run ? '' : name.slice(s.run.length + 1);
          for (const tag of store.run(name)!.tagsForPlugin(PLUGIN.SCALARS)) {
            if (!metrics.some((m) => m.group === group && m.tag === tag))
              metrics.push({ group, tag, name: group ? `${group}/${tag}` : tag });
          }
        }
      }
    }
    for (const s of sessions) {
      for (const m of metrics) {
        const run = store.run(m.group ? `${s.run}/${m.group}` : s.run);
        const series = run?.series.get(m.tag);
        const key = m.group ? `${m.group}/${m.tag}` : m.tag;
        s.metrics[key] = series && series.length > 0 ? jsonNumber(series.values.get(series.length - 1)) : null;
      }
    }
    const metricList = metrics.map(
      (m): HParamsMetricJson => ({
        key: m.group ? `${m.group}/${m.tag}` : m.tag,
        name: m.name,
        group: m.group,
        tag: m.tag,
      }),
    );
    sendJson(res, { hparams: hparamNames, metrics: metricList, sessions } satisfies HParamsResponse);
  };
}
