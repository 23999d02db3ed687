import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { PLUGIN } from '../events/plugins';
import { discoverRuns, type DiscoveredRun } from '../logdir/discover-runs';
import { readBlob } from '../store/read-blob';
import type { RunData } from '../store/run-data';
import { warningSink, type WarningSink } from '../warnings';
import { AtomicOutputFile, PayloadFiles } from './output-file';
import { readRuns, totalBytes } from './read-runs';
import { RowFormatWorker, type FormatThread } from './row-format-worker';
import { blobElements, COLUMNS, histogramRows, hparamRows, prCurveRows, textRows } from './plugin-rows';
import { createRowSink, type ExportFormat, type Row, type RowSink } from './row-sink';
import { createParquetSink, PARQUET, parquetRowsFlat } from './parquet-sink';
import { createWideCsvSink } from './wide-csv';

const TABLE_PLUGINS = ['scalars', 'histograms', 'text', 'pr_curves', 'hparams'] as const;
const BLOB_PLUGINS = ['images', 'audio'] as const;
export const EXPORT_PLUGINS = [...TABLE_PLUGINS, ...BLOB_PLUGINS] as const;
export type ExportPlugin = (typeof EXPORT_PLUGINS)[number];
type TablePlugin = (typeof TABLE_PLUGINS)[number];
type BlobPlugin = (typeof BLOB_PLUGINS)[number];

export interface ExportOptions {
  logdir: string;
  format: ExportFormat | typeof PARQUET;
  /** Scalars as CSV with one row per run and step, one column per tag (wide-csv.ts). */
  wide?: boolean;
  plugins: ExportPlugin[];
  /** A file, a directory (several plugins, images, audio), or undefined for `stdout`. */
  out?: string;
  stdout?: Writable;
  runs?: RegExp;
  tags?: RegExp;
  purgeOrphanedData: boolean;
  /** Each data warning, in reading order (the export goes on). */
  onWarning?: WarningSink;
  /**
   * node-tar's strict mode: the first data warning stops the export, which rejects with a StrictModeError (the
   * warning's code, file and offset) and leaves no output file behind (rows already written to `stdout` stay);
   * `onWarning` is not called.
   */
  strict?: boolean;
  /**
   * Format scalar rows on a worker thread while this one reads the next run: true always, false never; by default
   * when the event files hold FORMAT_WORKER_MIN_BYTES or more.
   */
  formatOnWorker?: boolean;
  /** A row formatting worker already started (see cli/prestart.ts): used if the export needs one, stopped if not. */
  formatThread?: FormatThread;
}

export interface ExportSummary {
  runs: number;
  rows: Record<string, number>;
  files: number;
}

const EXTENSION: Record<ExportOptions['format'], string> = {
  csv: 'csv',
  jsonl: 'jsonl',
  json: 'json',
  parquet: 'parquet',
};

/**
 * Below this many bytes of event files, rows are formatted in-thread by default: starting a worker (~40 ms) would cost
 * more than it saves.
 */
const FORMAT_WORKER_MIN_BYTES = 8 * 1024 * 1024;

/** Whether the output must be a directory: several plugins, or any blob plugin. */
export function needsDirectory(plugins: readonly ExportPlugin[]): boolean {
  return plugins.length > 1 || plugins.some((p) => (BLOB_PLUGINS as readonly string[]).includes(p));
}

/**
 * Streams every point of a logdir out, one run at a time: memory holds one
 * run, never the whole logdir. Output files appear under their final names
 * only when complete.
 */
export async function exportLogdir(options: ExportOptions): Promise<ExportSummary> {
  const onWarning = warningSink(options);
  const summary: ExportSummary = { runs: 0, rows: {}, files: 0 };
  const toDirectory = needsDirectory(options.plugins);
  if (toDirectory) {
    if (options.out === undefined || options.out === '-') throw new Error('internal: directory output needs --out');
    await fs.mkdir(options.out, { recursive: true });
  }
  const outputs: AtomicOutputFile[] = [];
  const sinks = new Map<ExportPlugin, RowSink>();
  const sinkFor = (plugin: ExportPlugin, columns: readonly string[]): RowSink => {
    let sink = sinks.get(plugin);
    if (sink === undefined) {
      let stream: Writable;
      if (toDirectory) {
        const file = new AtomicOutputFile(path.join(options.out as string, `${plugin}.${EXTENSION[options.format]}`));
        outputs.push(file);
        stream = file.stream;
      } else if (options.out !== undefined && options.out !== '-') {
        const file = new AtomicOutputFile(options.out);
        outputs.push(file);
        stream = file.stream;
      } else {
        stream = options.stdout ?? process.stdout;
      }
      if (options.format === PARQUET) sink = createParquetSink(stream, plugin, large && plugin === 'scalars');
      else if (options.wide === true && plugin === 'scalars') sink = createWideCsvSink(stream);
      else sink = createRowSink(stream, options.format, columns, formatter);
      sinks.set(plugin, sink);
    }
    return sink;
  };
  const payloads = new PayloadFiles();
  let formatter: RowFormatWorker | undefined;
  let unusedThread = options.formatThread;
  let large = false;

  try {
    const runs = (await discoverRuns(options.logdir, onWarning)).filter(
      (r) => options.runs === undefined || options.runs.test(r.name),
    );
    // Scalar rows are formatted (or Parquet row groups encoded) on a worker while
    // this thread reads the next run, unless there is too little to read for starting one to pay.
    large = options.plugins.includes('scalars') && (await formatsOnWorker(options, runs));
    if (large && options.format !== PARQUET && options.wide !== true) {
      formatter = RowFormatWorker.start(unusedThread);
      unusedThread = undefined;
    }
    // Every requested table gets its file even when no run has such data.
    for (const p of options.plugins) sinkFor(p, columnsOf(p));
    for await (const run of readRuns(
      options.logdir,
      runs,
      { purgeOrphanedData: options.purgeOrphanedData },
      onWarning,
    )) {
      summary.runs++;
      for (const plugin of options.plugins) {
        const sink = sinkFor(plugin, columnsOf(plugin));
        const n = (BLOB_PLUGINS as readonly string[]).includes(plugin)
          ? await exportBlobs(run, plugin as BlobPlugin, options, sink, summary, payloads)
          : await exportTable(run, plugin as TablePlugin, options, sink);
        summary.rows[plugin] = (summary.rows[plugin] ?? 0) + n;
      }
    }
    for (const sink of sinks.values()) await sink.end();
    for (const f of outputs) await f.commit();
    payloads.commit();
  } catch (err) {
    for (const f of outputs) f.discardSync();
    payloads.discardSync();
    throw err;
  } finally {
    unusedThread?.stop();
    await formatter?.close();
  }
  return summary;
}

/** Whether scalar rows are formatted on a worker: as asked, else when there is enough to read for one to pay. */
async function formatsOnWorker(options: ExportOptions, runs: DiscoveredRun[]): Promise<boolean> {
  return options.formatOnWorker ?? (await totalBytes(runs)) >= FORMAT_WORKER_MIN_BYTES;
}

function columnsOf(plugin: ExportPlugin): readonly string[] {
  if (plugin === 'images') return ['run', 'tag', 'step', 'wall_time', 'index', 'width', 'height', 'file'];
  if (plugin === 'audio') return ['run', 'tag', 'step', 'wall_time', 'index', 'file'];
  return COLUMNS[plugin];
}

function tagsOf(run: RunData, pluginName: string, options: ExportOptions): string[] {
  return run
    .tagsForPlugin(pluginName)
    .filter((t) => run.series.has(t) && (options.tags === undefined || options.tags.test(t)));
}

async function writeAll(sink: RowSink, rows: Iterable<Row>): Promise<number> {
  let n = 0;
  for (const row of rows) {
    await sink.write(row);
    n++;
  }
  return n;
}

async function exportTable(run: RunData, plugin: TablePlugin, options: ExportOptions, sink: RowSink): Promise<number> {
  const flat = options.format === PARQUET ? parquetRowsFlat(plugin) : options.format === 'csv';
  if (plugin === 'hparams') return writeAll(sink, hparamRows(run, flat));
  let n = 0;
  for (const tag of tagsOf(run, plugin, options)) {
    const s = run.series.get(tag);
    if (s === undefined) continue;
    if (plugin === 'scalars') {
      if (s.allScalar) {
        await sink.writeScalars(run.name, tag, s.steps.view(), s.wallTimes.view(), s.values.view());
        n += s.length;
      } else {
        // Single-element tensors of other shapes ([1], [1, 1]) are scalars too.
        for (let i = 0; i < s.length; i++) {
          const t = s.tensorAt(i)?.tensor;
          const value =
            t === undefined
              ? s.values.get(i)
              : t.kind === 'numeric' && t.values.length === 1
                ? (t.values[0] as number)
                : undefined;
          if (value === undefined) continue;
          await sink.write({ run: run.name, tag, step: s.steps.get(i), wall_time: s.wallTimes.get(i), value });
          n++;
        }
      }
    } else if (plugin === 'histograms') n += await writeAll(sink, histogramRows(run, s, flat));
    else if (plugin === 'text') n += await writeAll(sink, textRows(run, s, flat));
    else n += await writeAll(sink, prCurveRows(run, s, flat));
  }
  return n;
}

/** File-system-safe path segment for a run or tag name (keeps it readable, never `..`). */
function safeSegment(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned.slice(0, 120);
}

const utf8 = new TextDecoder();

async function exportBlobs(
  run: RunData,
  plugin: BlobPlugin,
  options: ExportOptions,
  sink: RowSink,
  summary: ExportSummary,
  payloads: PayloadFiles,
): Promise<number> {
  const pluginName = plugin === 'images' ? PLUGIN.IMAGES : PLUGIN.AUDIO;
  const extension = plugin === 'images' ? 'png' : 'wav';
  let n = 0;
  for (const tag of tagsOf(run, pluginName, options)) {
    const s = run.series.get(tag);
    if (s === undefined) continue;
    const dir = path.join(options.out as string, plugin, safeSegment(run.name), safeSegment(tag));
    await fs.mkdir(dir, { recursive: true });
    const used = new Set<string>();
    for (let i = 0; i < s.length; i++) {
      const stored = s.tensorAt(i);
      if (stored === undefined || stored.tensor.kind !== 'string') continue;
      const t = stored.tensor;
      const elements = blobElements(t, pluginName);
      for (let k = 0; k < elements.length; k++) {
        const bytes = await readBlob(stored.file, elements[k] as NonNullable<(typeof elements)[number]>);
        // `<step>-<index>`; a step seen again (a restart kept with purging off) gets the point number too.
        let name = `${s.steps.get(i)}-${k}.${extension}`;
        if (used.has(name)) name = `${s.steps.get(i)}-${k}-p${i}.${extension}`;
        used.add(name);
        await payloads.write(path.join(dir, name), bytes);
        summary.files++;
        const row: Row = {
          run: run.name,
          tag,
          step: s.steps.get(i),
          wall_time: s.wallTimes.get(i),
          index: k,
          file: path.posix.join(plugin, safeSegment(run.name), safeSegment(tag), name),
        };
        if (plugin === 'images') {
          row.width = Number(utf8.decode(t.values[0]?.inline ?? new Uint8Array(0)));
          row.height = Number(utf8.decode(t.values[1]?.inline ?? new Uint8Array(0)));
        }
        await sink.write(row);
        n++;
      }
    }
  }
  return n;
}
