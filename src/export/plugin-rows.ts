import type { StringTensor } from '../events/types';
import { PLUGIN } from '../events/plugins';
import { protoType } from '../protobuf/schema';
import type { RunData } from '../store/run-data';
import type { TagSeries } from '../store/tag-series';
import type { Row } from './row-sink';

/**
 * Row builders for the table-shaped plugins. Each yields plain rows; the
 * sink decides the format. Columns are listed for CSV headers.
 */

export const COLUMNS = {
  scalars: ['run', 'tag', 'step', 'wall_time', 'value'],
  histograms: ['run', 'tag', 'step', 'wall_time', 'left', 'right', 'count'],
  text: ['run', 'tag', 'step', 'wall_time', 'index', 'text'],
  pr_curves: [
    'run',
    'tag',
    'step',
    'wall_time',
    'threshold',
    'precision',
    'recall',
    'true_positives',
    'false_positives',
    'true_negatives',
    'false_negatives',
  ],
  hparams: ['run', 'hparam', 'value'],
} as const;

const utf8 = new TextDecoder('utf-8');

function pointBase(run: RunData, s: TagSeries, i: number): Row {
  return { run: run.name, tag: s.tag, step: s.steps.get(i), wall_time: s.wallTimes.get(i) };
}

/** Histogram points: JSON rows carry all buckets, CSV rows one bucket each. */
export function* histogramRows(run: RunData, s: TagSeries, flat: boolean): Generator<Row> {
  for (let i = 0; i < s.length; i++) {
    const t = s.tensorAt(i)?.tensor;
    if (t === undefined || t.kind !== 'numeric' || t.shape.length !== 2 || t.shape[1] !== 3) continue;
    const buckets: number[][] = [];
    for (let k = 0; k < (t.shape[0] as number); k++)
      buckets.push([t.values[k * 3] as number, t.values[k * 3 + 1] as number, t.values[k * 3 + 2] as number]);
    if (!flat) {
      yield { ...pointBase(run, s, i), buckets };
      continue;
    }
    for (const [left, right, count] of buckets) yield { ...pointBase(run, s, i), left, right, count };
  }
}

/** Text points: the string for a scalar tensor, nested arrays of strings otherwise. */
export function* textRows(run: RunData, s: TagSeries, flat: boolean): Generator<Row> {
  for (let i = 0; i < s.length; i++) {
    const t = s.tensorAt(i)?.tensor;
    if (t === undefined || t.kind !== 'string') continue;
    const strings = t.values.map((r) => utf8.decode(r.inline ?? new Uint8Array(0)));
    if (flat) {
      for (let k = 0; k < strings.length; k++) yield { ...pointBase(run, s, i), index: k, text: strings[k] };
      continue;
    }
    yield { ...pointBase(run, s, i), text: nest(strings, t.shape) };
  }
}

function nest(flat: string[], shape: number[]): unknown {
  if (shape.length === 0) return flat[0] ?? '';
  const [first, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < (first as number); i++) out.push(nest(flat.slice(i * size, (i + 1) * size), rest));
  return out;
}

/**
 * PR curve points: the tensor is 6 × n (TP, FP, TN, FN, precision, recall per
 * threshold); thresholds are evenly spaced on [0, 1] as TensorBoard's plugin
 * computes them. Every threshold is kept.
 */
export function* prCurveRows(run: RunData, s: TagSeries, flat: boolean): Generator<Row> {
  for (let i = 0; i < s.length; i++) {
    const t = s.tensorAt(i)?.tensor;
    if (t === undefined || t.kind !== 'numeric' || t.shape.length !== 2 || t.shape[0] !== 6) continue;
    const n = t.shape[1] as number;
    const row = (r: number): number[] => Array.from(t.values.subarray(r * n, (r + 1) * n));
    const thresholds = Array.from({ length: n }, (_, k) => (k === n - 1 ? 1 : k * (1 / (n - 1))));
    const [tp, fp, tn, fn, precision, recall] = [row(0), row(1), row(2), row(3), row(4), row(5)];
    if (!flat) {
      yield {
        ...pointBase(run, s, i),
        thresholds,
        precision,
        recall,
        true_positives: tp,
        false_positives: fp,
        true_negatives: tn,
        false_negatives: fn,
      };
      continue;
    }
    for (let k = 0; k < n; k++) {
      yield {
        ...pointBase(run, s, i),
        threshold: thresholds[k],
        precision: precision[k],
        recall: recall[k],
        true_positives: tp[k],
        false_positives: fp[k],
        true_negatives: tn[k],
        false_negatives: fn[k],
      };
    }
  }
}

interface ProtoValue {
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  kind?: string;
}

function plainValue(v: ProtoValue): unknown {
  switch (v.kind) {
    case 'numberValue':
      return v.numberValue;
    case 'stringValue':
      return v.stringValue;
    case 'boolValue':
      return v.boolValue;
    default:
      return null;
  }
}

/**
 * The hyperparameters of a run's session (hparams plugin session_start_info).
 * JSON rows carry them all; CSV rows one hparam each.
 */
export function* hparamRows(run: RunData, flat: boolean): Generator<Row> {
  const HParams = protoType('HParamsPluginData');
  for (const tag of run.tagsForPlugin(PLUGIN.HPARAMS)) {
    const content = run.metadata.get(tag)?.pluginContent;
    if (content === undefined) continue;
    let data: {
      sessionStartInfo?: { hparams?: Record<string, ProtoValue>; groupName?: string; startTimeSecs?: number } | null;
      data?: string;
    };
    try {
      data = HParams.decode(content) as unknown as typeof data;
    } catch {
      continue;
    }
    if (data.data !== 'sessionStartInfo' || !data.sessionStartInfo) continue;
    const hparams: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data.sessionStartInfo.hparams ?? {})) hparams[k] = plainValue(v);
    if (flat) {
      for (const [hparam, value] of Object.entries(hparams)) yield { run: run.name, hparam, value };
    } else {
      yield {
        run: run.name,
        group_name: data.sessionStartInfo.groupName ?? '',
        start_time_secs: data.sessionStartInfo.startTimeSecs ?? 0,
        hparams,
      };
    }
  }
}

/** Blob tensors (images, audio): the byte references of point i, past any leading width/height. */
export function blobElements(t: StringTensor, pluginName: string): StringTensor['values'] {
  return pluginName === PLUGIN.IMAGES ? t.values.slice(2) : t.values;
}
