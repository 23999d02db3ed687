import type { Writable } from 'node:stream';
import { PARQUET_COLUMNS } from './parquet-columns';
import { createParquetHparamsSink } from './parquet-hparams';
import { ParquetTableSink } from './parquet-table-sink';
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
 * group; with `onWorker` (a large export), a worker thread helps encode them.
 */
export function createParquetSink(out: Writable, plugin: string, onWorker: boolean): RowSink {
  if (plugin === 'hparams') return createParquetHparamsSink(out);
  const columns = PARQUET_COLUMNS[plugin];
  if (columns === undefined) throw new Error(`internal: no Parquet table for plugin ${plugin}`);
  return new ParquetTableSink((bytes) => writeBytes(out, bytes), columns, onWorker);
}
