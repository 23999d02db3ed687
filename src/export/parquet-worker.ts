/**
 * Worker thread entry: encodes a Parquet table (parquet-table-sink.ts) from
 * the rows the main thread posts, and moves the file's bytes back, so that
 * an export encodes one run while the main thread reads the next. See
 * parquet-worker-sink.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NumericColumnView } from '../store/columns';
import type { ParquetColumn } from './parquet-columns';
import { ParquetTableSink } from './parquet-table-sink';
import type { Row } from './row-sink';

export interface ParquetWorkerData {
  columns: readonly ParquetColumn[];
}

/** Work for the worker, done in the order posted. */
export type ParquetJob =
  | {
      scalars: {
        run: string;
        tag: string;
        steps: NumericColumnView;
        wallTimes: Float64Array;
        values: NumericColumnView;
      };
    }
  | { row: Row }
  | { end: true };

/** Bytes of the file (in order), rows taken into the row group (the job's), the file finished, a failure. */
export type ParquetReply = { bytes: Uint8Array } | { taken: number } | { finished: true } | { error: string };

const port = parentPort;
if (port !== null) {
  const { columns } = workerData as ParquetWorkerData;
  const sink = new ParquetTableSink(async (bytes) => {
    port.postMessage({ bytes } satisfies ParquetReply, [bytes.buffer as ArrayBuffer]);
  }, columns);
  let queue = Promise.resolve();
  let failed = false;
  port.on('message', (job: ParquetJob) => {
    queue = queue.then(async () => {
      if (failed) return;
      try {
        if ('scalars' in job) {
          const s = job.scalars;
          await sink.writeScalars(s.run, s.tag, s.steps, s.wallTimes, s.values);
          port.postMessage({ taken: s.steps.length } satisfies ParquetReply);
        } else if ('row' in job) {
          await sink.write(job.row);
          port.postMessage({ taken: 1 } satisfies ParquetReply);
        } else {
          await sink.end();
          port.postMessage({ finished: true } satisfies ParquetReply);
        }
      } catch (err) {
        failed = true;
        port.postMessage({ error: (err as Error).message ?? String(err) } satisfies ParquetReply);
      }
    });
  });
}
