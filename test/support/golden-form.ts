import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DATA_CLASS_NAMES,
  DTYPE_NAMES,
  type ByteRef,
  type DecodedTensor,
  type TagMetadata,
} from '../../src/events/types';
import type { RunData } from '../../src/store/run-data';
import type { Store } from '../../src/store/store';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');
export const LOGDIRS = path.join(FIXTURES, 'logdirs');

/** The golden JSON that fixtures/golden.py wrote from TensorBoard's loader. */
export function readGolden(name: string): GoldenLogdir {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'golden', `${name}.json`), 'utf8')) as GoldenLogdir;
}

export interface GoldenLogdir {
  purge_orphaned_data: boolean;
  runs: Record<string, GoldenRun>;
}
export interface GoldenRun {
  tags: Record<string, { metadata: unknown; points: GoldenPoint[] }>;
  graph: { length: number; sha256: string } | null;
  run_metadata_tags: string[];
  plugins: Record<string, string[]>;
}
export interface GoldenPoint {
  wall_time: number;
  step: number;
  dtype: string;
  shape: number[];
  value: unknown;
}

function jsonNumber(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}

function blobForm(bytes: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = {
    length: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    out.utf8 = text.decode(bytes);
  } catch {
    /* not UTF-8 */
  }
  return out;
}

function readRef(file: string, ref: ByteRef): Uint8Array {
  if (ref.inline) return ref.inline;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(ref.length);
    fs.readSync(fd, buf, 0, ref.length, ref.offset);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

/** Nest a flat list into the tensor's shape, as numpy's tolist() does. */
function nest(flat: unknown[], shape: number[]): unknown {
  if (shape.length === 0) return flat[0];
  const [first, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < (first as number); i++) out.push(nest(flat.slice(i * size, (i + 1) * size), rest));
  return out;
}

export function tensorForm(t: DecodedTensor, file: string): unknown {
  if (t.kind === 'unsupported') return { unsupported_dtype: DTYPE_NAMES[t.dtype] };
  if (t.kind === 'string')
    return nest(
      t.values.map((r) => blobForm(readRef(file, r))),
      t.shape,
    );
  const isBool = t.dtype === 10;
  return nest(
    [...t.values].map((v) => (isBool ? v !== 0 : jsonNumber(v))),
    t.shape,
  );
}

function metadataForm(md: TagMetadata | undefined): unknown {
  if (md === undefined) return null;
  return {
    data_class: DATA_CLASS_NAMES[md.dataClass] ?? String(md.dataClass),
    display_name: md.displayName,
    plugin_content_base64: Buffer.from(md.pluginContent).toString('base64'),
    plugin_name: md.pluginName,
    summary_description: md.description,
  };
}

export function runForm(run: RunData): GoldenRun {
  const tags: GoldenRun['tags'] = {};
  for (const [tag, s] of run.series) {
    const points: GoldenPoint[] = [];
    for (let i = 0; i < s.length; i++) {
      const p = s.point(i);
      const value =
        p.stored !== undefined
          ? tensorForm(p.stored.tensor, p.stored.file)
          : p.dtype === 10
            ? p.value !== 0
            : jsonNumber(p.value as number);
      points.push({
        wall_time: p.wallTime,
        step: p.step,
        dtype: DTYPE_NAMES[p.dtype] ?? String(p.dtype),
        shape: p.stored?.tensor.shape ?? [],
        value,
      });
    }
    tags[tag] = { metadata: metadataForm(run.metadata.get(tag)), points };
  }
  const plugins: Record<string, string[]> = {};
  for (const p of run.plugins()) plugins[p] = run.tagsForPlugin(p).sort();
  const graph = run.graph ? blobForm(readRef(run.graph.file, run.graph.ref)) : null;
  return {
    tags,
    graph: graph === null ? null : { length: graph.length as number, sha256: graph.sha256 as string },
    run_metadata_tags: [],
    plugins,
  };
}

export function storeForm(store: Store): Record<string, GoldenRun> {
  const runs: Record<string, GoldenRun> = {};
  for (const name of store.runNames()) runs[name] = runForm(store.run(name) as RunData);
  return runs;
}
