/**
 * Worker thread entry: encodes the row groups the main thread posts and
 * moves their bytes back (see parquet-encoder.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RowGroup } from 'hyparquet';
import type { ParquetColumn } from './parquet-columns';
import { encodeRowGroup } from './parquet-file';
import { columnSources, type RowGroupData } from './parquet-row-group';

export interface ParquetWorkerData {
  columns: readonly ParquetColumn[];
}

export interface ParquetJob {
  id: number;
  data: RowGroupData;
}

export type ParquetReply = { id: number; bytes: Uint8Array; rowGroup: RowGroup } | { id: number; error: string };

const port = parentPort;
if (port !== null) {
  const { columns } = workerData as ParquetWorkerData;
  port.on('message', ({ id, data }: ParquetJob) => {
    try {
      const { bytes, rowGroup } = encodeRowGroup(columns, columnSources(columns, data), data.rows);
      port.postMessage({ id, bytes, rowGroup } satisfies ParquetReply, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ id, error: (err as Error).message ?? String(err) } satisfies ParquetReply);
    }
  });
}
