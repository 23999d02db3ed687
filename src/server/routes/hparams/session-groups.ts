import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { findSeries, scalarAt } from '../../data/series';
import { badRequest } from '../../http/http-error';
import { compileUserRegex } from '../../http/user-regex';
import { buildExperiment, metricNameJson, valueJson } from './experiment';
import {
  hparamsRuns,
  isSerializable,
  metricRun,
  STATUS,
  valueToNative,
  type PbMetricName,
  type PbValue,
} from './hparams-data';
import type { ColParam, ListSessionGroupsRequest } from './request';

export interface MetricValue {
  name: PbMetricName;
  value: number;
  trainingStep: number;
  wallTimeSecs: number;
}

interface Session {
  name: string;
  startTimeSecs: number;
  endTimeSecs: number;
  status: number;
  modelUri: string;
  metricValues: MetricValue[];
  monitorUrl: string;
}

export interface SessionGroup {
  name: string;
  hparams: Map<string, PbValue>;
  metricValues: MetricValue[];
  sessions: Session[];
  monitorUrl: string;
}

type Native = number | string | boolean;

const sameMetric = (a: PbMetricName | undefined, b: PbMetricName | undefined) =>
  (a?.tag ?? '') === (b?.tag ?? '') && (a?.group ?? '') === (b?.group ?? '');

/** The last point of a scalar series (TensorBoard's `read_last_scalars`). */
function lastScalar(store: Store, run: string, tag: string): Omit<MetricValue, 'name'> | undefined {
  const s = findSeries(store, run, tag, PLUGIN.SCALARS, DATA_CLASS.SCALAR)?.series;
  if (s === undefined || s.length === 0) return undefined;
  const i = s.length - 1;
  return { value: scalarAt(s, i), trainingStep: s.steps.get(i), wallTimeSecs: s.wallTimes.get(i) };
}

function extractor(col: ColParam): (g: SessionGroup) => Native | undefined {
  if (col.metric !== undefined) return (g) => g.metricValues.find((m) => sameMetric(m.name, col.metric))?.value;
  return (g) => valueToNative(g.hparams.get(col.hparam ?? ''));
}

function filterFor(
  col: ColParam,
  extract: (g: SessionGroup) => Native | undefined,
): ((g: SessionGroup) => boolean) | undefined {
  const includeMissing = !col.excludeMissingValues;
  let test: ((v: Native) => boolean) | undefined;
  if (col.filterRegexp !== undefined) {
    const re = compileUserRegex(col.filterRegexp, false);
    if (re === undefined) throw badRequest(`invalid or unsafe filterRegexp: ${JSON.stringify(col.filterRegexp)}`);
    test = (v) => {
      if (typeof v !== 'string') throw badRequest(`Cannot use a regexp filter for a value of type ${typeof v}`);
      return re.test(v);
    };
  } else if (col.filterInterval !== undefined) {
    const { minValue, maxValue } = col.filterInterval;
    test = (v) => {
      if (typeof v !== 'number') throw badRequest(`Cannot use an interval filter for a value of type ${typeof v}`);
      return minValue <= v && v <= maxValue;
    };
  } else if (col.filterDiscrete !== undefined) {
    const set = col.filterDiscrete.map(valueToNative);
    test = (v) => set.some((x) => x === v);
  } else if (includeMissing) {
    return undefined;
  } else {
    test = () => true;
  }
  return (g) => {
    const v = extract(g);
    return v === undefined ? includeMissing : test!(v);
  };
}

/** Python's ordering of `(missing, value)` keys; mixed types order by type name to stay total. */
function compareNative(a: Native, b: Native): number {
  if (typeof a !== typeof b) return typeof a < typeof b ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortGroups(groups: SessionGroup[], cols: ColParam[]): void {
  groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = cols.length - 1; i >= 0; i--) {
    const col = cols[i]!;
    if (col.order === 0) continue;
    const extract = extractor(col);
    const noneIsLargest = col.order === 1 ? !col.missingValuesFirst : col.missingValuesFirst;
    const key = (g: SessionGroup): [number, Native | undefined] => {
      const v = extract(g);
      return [noneIsLargest ? (v === undefined ? 1 : 0) : v === undefined ? 0 : 1, v];
    };
    const cmp = (a: SessionGroup, b: SessionGroup) => {
      const [ma, va] = key(a);
      const [mb, vb] = key(b);
      if (ma !== mb) return ma - mb;
      return va === undefined || vb === undefined ? 0 : compareNative(va, vb);
    };
    groups.sort(col.order === 1 ? cmp : (a, b) => cmp(b, a));
  }
}

/** A group's metrics from its sessions' (TensorBoard's aggregation types; average by default). */
function aggregate(group: SessionGroup, type: number, metric: PbMetricName | undefined): void {
  if (type === 0 || type === 1) {
    const stats = new Map<string, { name: PbMetricName; total: number; count: number; step: number; wall: number }>();
    for (const s of group.sessions) {
      for (const m of s.metricValues) {
        const k = JSON.stringify([m.name.group ?? '', m.name.tag ?? '']);
        const st = stats.get(k) ?? { name: m.name, total: 0, count: 0, step: 0, wall: 0 };
        st.total += m.value;
        st.count += 1;
        st.step += m.trainingStep;
        st.wall += m.wallTimeSecs;
        stats.set(k, st);
      }
    }
    group.metricValues = [...stats.values()].map((st) => ({
      name: st.name,
      value: st.total / st.count,
      trainingStep: Math.floor(st.step / st.count),
      wallTimeSecs: st.wall / st.count,
    }));
    return;
  }
  const measured = group.sessions.flatMap((s, index) => {
    const m = s.metricValues.find((x) => sameMetric(x.name, metric));
    return m === undefined ? [] : [{ value: m.value, index }];
  });
  if (measured.length === 0) {
    group.metricValues = [];
    return;
  }
  let pick: number;
  if (type === 2) pick = [...measured].sort((a, b) => a.value - b.value)[Math.floor((measured.length - 1) / 2)]!.index;
  else
    pick = measured.reduce((best, m) => ((type === 3 ? m.value < best.value : m.value > best.value) ? m : best)).index;
  group.metricValues = [...group.sessions[pick]!.metricValues];
}

/** The requested page of session groups (filtered, sorted, sliced) and how many passed the filters. */
export function sessionGroupsPage(
  store: Store,
  req: ListSessionGroupsRequest,
): { groups: SessionGroup[]; totalSize: number } {
  const runs = hparamsRuns(store);
  const experiment = buildExperiment(store, req.includeMetrics, undefined, runs);
  const metricInfos = experiment.metricInfos ?? [];
  const byName = new Map<string, SessionGroup>();
  for (const r of runs) {
    const start = r.startInfo;
    if (start === undefined) continue;
    const metricValues: MetricValue[] = [];
    if (req.includeMetrics) {
      for (const info of metricInfos) {
        const last = lastScalar(store, metricRun(r.run, info.name?.group), info.name?.tag ?? '');
        if (last !== undefined) metricValues.push({ name: info.name ?? {}, ...last });
      }
    }
    const session: Session = {
      name: r.run,
      startTimeSecs: start.startTimeSecs ?? 0,
      endTimeSecs: r.endInfo?.endTimeSecs ?? 0,
      status: r.endInfo?.status ?? 0,
      modelUri: start.modelUri ?? '',
      metricValues,
      monitorUrl: start.monitorUrl ?? '',
    };
    if (!req.allowedStatuses.includes(session.status)) continue;
    const groupName = start.groupName || session.name;
    const existing = byName.get(groupName);
    if (existing !== undefined) {
      existing.sessions.push(session);
      continue;
    }
    const hparams = new Map<string, PbValue>();
    for (const [k, v] of Object.entries(start.hparams ?? {})) if (isSerializable(v)) hparams.set(k, v);
    byName.set(groupName, {
      name: groupName,
      hparams,
      metricValues: [],
      sessions: [session],
      monitorUrl: start.monitorUrl ?? '',
    });
  }
  let groups = [...byName.values()];
  for (const g of groups) {
    g.sessions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    aggregate(g, req.aggregationType, req.aggregationMetric);
  }
  const filters = req.colParams.flatMap((c) => filterFor(c, extractor(c)) ?? []);
  groups = groups.filter((g) => filters.every((f) => f(g)));
  sortGroups(groups, req.colParams);
  if (req.colParams.some((c) => c.includeInResult !== undefined)) {
    const keep = new Set(
      req.colParams.filter((c) => c.includeInResult !== false && c.hparam).map((c) => c.hparam as string),
    );
    for (const g of groups) for (const k of [...g.hparams.keys()]) if (!keep.has(k)) g.hparams.delete(k);
  }
  return { groups: groups.slice(req.startIndex, req.startIndex + req.sliceSize), totalSize: groups.length };
}

/** TensorBoard's ListSessionGroups from the hparams summaries of the store. */
export function listSessionGroups(store: Store, req: ListSessionGroupsRequest): Record<string, unknown> {
  const { groups, totalSize } = sessionGroupsPage(store, req);
  const metricJson = (m: MetricValue) => ({
    name: metricNameJson(m.name),
    trainingStep: m.trainingStep,
    value: m.value,
    wallTimeSecs: m.wallTimeSecs,
  });
  return {
    sessionGroups: groups.map((g) => ({
      hparams: Object.fromEntries([...g.hparams].map(([k, v]) => [k, valueJson(v)])),
      metricValues: g.metricValues.map(metricJson),
      monitorUrl: g.monitorUrl,
      name: g.name,
      sessions: g.sessions.map((s) => ({
        endTimeSecs: s.endTimeSecs,
        metricValues: s.metricValues.map(metricJson),
        modelUri: s.modelUri,
        monitorUrl: s.monitorUrl,
        name: s.name,
        startTimeSecs: s.startTimeSecs,
        status: STATUS[s.status] ?? s.status,
      })),
    })),
    totalSize,
  };
}
