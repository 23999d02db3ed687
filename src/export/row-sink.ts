import type { Writable } from 'stream';
import { formatNumber, numberText, RowTextCache } from './format-number';

export type ExportFormat = 'csv' | 'jsonl' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'json'];

/** A row: column name → string, number, or any JSON value (nested arrays, objects). */
export type Row = Record<string, unknown>;

/** Writes rows of one shape to a stream in one format, respecting backpressure. */
export interface RowSink {
  write(row: Row): Promise<void>;
  /** Fast path for scalar rows (run, tag, step, wall_time, value) straight from columns. */
  writeScalars(run: string, tag: string, steps: Float64Array, wallTimes: Float64Array, values: Float64Array): Promise<void>;
  end(): Promise<void>;
}

/** JSON text of a row: numbers by formatNumber, non-finite as strings, -0 as -0.0. */
export function rowToJson(row: Row): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `${MARK}${formatNumber(v)}` : v)).replace(
    MARKED,
    (_m, s: string) => (s === '-0.0' ? '-0.0' : `"${s}"`),
  );
}

/** Tags special numbers inside JSON.stringify so they can be rewritten after it. */
const MARK = '\u0000fb#';
const MARKED = /"\\u0000fb#([^"]*)"/g;

/** A number as JSON text. */
function jsonNumberText(x: number): string {
  return Number.isFinite(x) ? numberText(x) : `"${formatNumber(x)}"`;
}

/** Scalar rows formatted per block between batch checks. */
const ROWS_PER_BLOCK = 256;

/** What every scalar row of a series starts with. */
function scalarRowPrefix(format: ExportFormat, run: string, tag: string): string {
  return format === 'csv' ? `${csvField(run)},${csvField(tag)},` : `{"run":${JSON.stringify(run)},"tag":${JSON.stringify(tag)},"step":`;
}

/**
 * Rows [from, to) of a scalar series as CSV or JSON Lines text (`prefix`
 * from scalarRowPrefix; `wallTexts` begun on `wallTimes`).
 */
function scalarRowsText(
  format: 'csv' | 'jsonl',
  prefix: string,
  steps: Float64Array,
  wallTimes: Float64Array,
  values: Float64Array,
  wallTexts: RowTextCache,
  from: number,
  to: number,
): string {
  let text = '';
  if (format === 'csv') {
    for (let i = from; i < to; i++) text += `${prefix}${numberText(steps[i] as number)},${wallTexts.text(i, numberText)},${numberText(values[i] as number)}\n`;
  } else {
    for (let i = from; i < to; i++) {
      text += `${prefix}${jsonNumberText(steps[i] as number)},"wall_time":${wallTexts.text(i, jsonNumberText)},"value":${jsonNumberText(values[i] as number)}}\n`;
    }
  }
  return text;
}

function csvField(v: unknown): string {
  const s = typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) {
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        out.off('error', onError);
        resolve();
      };
      const onError = (err: Error): void => {
        out.off('drain', onDrain);
        reject(err);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    });
  }
}

/** Rows are written in batches so that a million small writes stay cheap. */
const BATCH_CHARS = 64 * 1024;

export function createRowSink(out: Writable, format: ExportFormat, columns: readonly string[]): RowSink {
  let buffered = '';
  let first = true;
  const wallTexts = new RowTextCache();
  const flush = async (): Promise<void> => {
    if (buffered.length > 0) {
      const text = buffered;
      buffered = '';
      await put(out, text);
    }
  };
  const add = async (text: string): Promise<void> => {
    buffered += text;
    if (buffered.length >= BATCH_CHARS) await flush();
  };
  if (format === 'csv') buffered = `${columns.join(',')}\n`;
  if (format === 'json') buffered = '[';
  return {
    async write(row) {
      if (format === 'csv') await add(`${columns.map((c) => csvField(row[c])).join(',')}\n`);
      else if (format === 'jsonl') await add(`${rowToJson(row)}\n`);
      else await add(`${first ? '\n' : ',\n'}${rowToJson(row)}`);
      first = false;
    },
    async writeScalars(run, tag, steps, wallTimes, values) {
      // Hot path of every export: string building straight from the columns.
      const prefix = scalarRowPrefix(format, run, tag);
      wallTexts.begin(wallTimes);
      if (format !== 'json') {
        for (let i = 0; i < steps.length; i += ROWS_PER_BLOCK) {
          buffered += scalarRowsText(format, prefix, steps, wallTimes, values, wallTexts, i, Math.min(steps.length, i + ROWS_PER_BLOCK));
          if (buffered.length >= BATCH_CHARS) await flush();
        }
        return;
      }
      for (let i = 0; i < steps.length; i++) {
        const line = `${prefix}${jsonNumberText(steps[i] as number)},"wall_time":${wallTexts.text(i, jsonNumberText)},"value":${jsonNumberText(values[i] as number)}}`;
        buffered += `${first ? '\n' : ',\n'}${line}`;
        first = false;
        if (buffered.length >= BATCH_CHARS) await flush();
      }
    },
    async end() {
      if (format === 'json') buffered += first ? ']\n' : '\n]\n';
      await flush();
    },
  };
}
