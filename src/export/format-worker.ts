/**
 * Worker thread entry: formats scalar rows (columns → CSV or JSON Lines
 * bytes) with the WebAssembly formatter and moves the bytes back, so that
 * an export formats one run while the main thread reads the next. See
 * row-format-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { NumericColumnView } from '../store/columns';
import { WasmRowFormatter, type RowParts } from '../wasm-row-formatter';

/** A series to format (columns copied for this job). */
export interface FormatJob {
  id: number;
  parts: RowParts;
  json: boolean;
  steps: NumericColumnView;
  wallTimes: Float64Array;
  values: NumericColumnView;
}

export type FormatReply = { ready: true } | { id: number; bytes: Uint8Array } | { id: number; error: string };

const port = parentPort;
if (port !== null) {
  // Booting a worker takes a while: until this arrives, the main thread formats rows itself.
  port.postMessage({ ready: true });
  port.on('message', (job: FormatJob) => {
    try {
      const bytes = formatSeries(job);
      port.postMessage({ id: job.id, bytes } satisfies FormatReply, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ id: job.id, error: (err as Error).message ?? String(err) } satisfies FormatReply);
    }
  });
}

function formatSeries(job: FormatJob): Uint8Array {
  const wasm = WasmRowFormatter.shared();
  if (!wasm.fits(job.parts)) throw new Error('these rows do not fit the WebAssembly row formatter');
  wasm.use(job.parts, job.json);
  const n = job.steps.length;
  const perCall = wasm.rowsPerCall(job.parts);
  let out = new Uint8Array(Math.max(1024, n * 64));
  let at = 0;
  for (let i = 0; i < n; i += perCall) {
    const bytes = wasm.formatRows(job.steps, job.wallTimes, job.values, i, Math.min(perCall, n - i));
    if (at + bytes.length > out.length) {
      const bigger = new Uint8Array(Math.max(out.length * 2, at + bytes.length));
      bigger.set(out.subarray(0, at));
      out = bigger;
    }
    out.set(bytes, at);
    at += bytes.length;
  }
  return out.subarray(0, at);
}
