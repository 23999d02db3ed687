import type { Writable } from 'node:stream';
import type { NumericColumnView } from '../store/columns';
import { formatNumber } from '../common/format-number';
import type { RowFormatWorker } from './row-format-worker';
import { csvRowShape, jsonArrayRowShape, jsonlRowShape, ScalarRowWriter } from './scalar-rows';

export type ExportFormat = 'csv' | 'jsonl' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl', 'json'];

/** A row: column name → string, number, or any JSON value (nested arrays, objects). */
export type Row = Record<string, unknown>;

/** Writes rows of one shape to a stream in one format, respecting backpressure. */
export interface RowSink {
  write(row: Row): Promise<void>;
  /** Fast path for scalar rows (run, tag, step, wall_time, value) straight from columns. */
  writeScalars(
    run: string,
    tag: string,
    steps: NumericColumnView,
    wallTimes: Float64Array,
    values: NumericColumnView,
  ): Promise<void>;
  end(): Promise<void>;
}

/** JSON text of a row: numbers by formatNumber, non-finite as strings, -0 as -0.0. */
export function rowToJson(row: Row): string {
  return JSON.stringify(row, (_k, v: unknown) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `${MARK}${formatNumber(v)}` : v,
  ).replace(MARKED, (_m, s: string) => (s === '-0.0' ? '-0.0' : `"${s}"`));
}

/** Tags special numbers inside JSON.stringify so they can be rewritten after it. */
const MARK = '\u0000fb#';
const MARKED = /"\\u0000fb#([^"]*)"/g;

export function csvField(v: unknown): string {
  const s =
    typeof v === 'number'
      ? formatNumber(v)
      : typeof v === 'string'
        ? v
        : v === undefined || v === null
          ? ''
          : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function put(out: Writable, block: Uint8Array): Promise<void> {
  if (!out.write(block)) {
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

/**
 * A sink for one stream. Every row goes through one ScalarRowWriter, so
 * scalar rows (written as bytes) and other rows (as text) keep their order;
 * blocks reach the stream with backpressure respected.
 */
export function createRowSink(
  out: Writable,
  format: ExportFormat,
  columns: readonly string[],
  formatter?: RowFormatWorker,
): RowSink {
  const writer = new ScalarRowWriter((block) => put(out, block), formatter);
  let first = true;
  let header = format === 'csv' ? `${columns.join(',')}\n` : format === 'json' ? '[' : '';
  const add = async (text: string): Promise<void> => {
    await writer.text(header + text);
    header = '';
  };
  return {
    async write(row) {
      if (format === 'csv') await add(`${columns.map((c) => csvField(row[c])).join(',')}\n`);
      else if (format === 'jsonl') await add(`${rowToJson(row)}\n`);
      else await add(`${first ? '\n' : ',\n'}${rowToJson(row)}`);
      first = false;
    },
    async writeScalars(run, tag, steps, wallTimes, values) {
      if (steps.length === 0) return;
      if (format === 'json') {
        // Each row after its separator: the array's first row as text, the rest formatted like JSON Lines.
        let from = 0;
        if (first) {
          await add(`\n${rowToJson({ run, tag, step: steps[0], wall_time: wallTimes[0], value: values[0] })}`);
          first = false;
          from = 1;
        }
        if (from < steps.length)
          await writer.rows(
            jsonArrayRowShape(run, tag),
            steps.subarray(from),
            wallTimes.subarray(from),
            values.subarray(from),
          );
        return;
      }
      if (header !== '') await add('');
      await writer.rows(
        format === 'csv' ? csvRowShape(csvField(run), csvField(tag)) : jsonlRowShape(run, tag),
        steps,
        wallTimes,
        values,
      );
      first = false;
    },
    async end() {
      await add(format === 'json' ? (first ? ']\n' : '\n]\n') : '');
      await writer.flush();
    },
  };
}
