import type { Writable } from 'node:stream';
import { PARQUET_COLUMNS } from './parquet-columns';
import { createParquetHparamsSink } from './parquet-hparams';
import { ParquetTableSink } from './parquet-table-sink';
import { ParquetWorkerSink, parquetWorkerAvailable } from './parquet-worker-sink';
import type { RowSink } from './row-sink';
import { writeBytes } from './stream-write';

/**
 * Parquet export (`--format parquet`), through hyparquet-writer (pure
 * JavaScript, no native or WebAssembly code; chosen by measurement: see the
 * README's Export section). One file per plugin table, rows as CSV has them
 * (one per bucket, text element, threshold), typed columns; hparams as one
 * row per run (parquet-hparams.ts).
 */
export const PARQUET = 'parquet';

/** Whether a plugin's rows reach the Parquet sink flat (one per bucket, element, threshold) or as JSON has them. */
export function parquetRowsFlat(plugin: string): boolean {
  return plugin !== 'hparams';
}

/**
 * A sink writing `plugin`'s table as Parquet to `out`, row group by row
 * group; with `onWorker` (a large export), encoded on a worker thread where
 * the compiled worker script is at hand.
 */
export function createParquetSink(out: Writable, plugin: string, onWorker: boolean): RowSink {
  if (plugin === 'hparams') return createParquetHparamsSink(out);
  const columns = PARQUET_COLUMNS[plugin];
  if (columns === undefined) throw new Error(`internal: no Parquet table for plugin ${plugin}`);
  if (onWorker && parquetWorkerAvailable()) return new ParquetWorkerSink(out, columns);
  return new ParquetTableSink((bytes) => writeBytes(out, bytes), columns);
}
