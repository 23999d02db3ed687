import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as protobuf from 'protobufjs';

/**
 * The protobuf schema subset in proto/, loaded once. protobufjs decodes int64
 * fields as Long objects; see `toSafeNumber` for how they become numbers.
 */

/**
 * proto/ beside the package: found by walking up from this file (src/ or dist/src/), then from the working directory.
 */
function protoDir(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'proto', 'event.proto'))) return path.join(dir, 'proto');
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error('featherboard: cannot find its proto/ schema directory');
}

/**
 * The schema as protobufjs JSON, written by `npm run build`
 * (scripts/build-proto-schema.js): loading it skips parsing the .proto files.
 */
function compiledSchema(): string | undefined {
  // From dist (the bundled CLI), dist/src/events (built) or src/events (tests run from sources).
  for (const dir of [__dirname, path.join(__dirname, '..', '..'), path.join(__dirname, '..', '..', 'dist')]) {
    const candidate = path.join(dir, 'proto', 'schema.json');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The .proto files of the schema, in proto/. */
const PROTO_FILES = ['event.proto', 'graph.proto', 'plugins.proto'];

let root: protobuf.Root | undefined;

/**
 * The schema, loaded on first use: protobufjs and the schema cost ~50 ms to
 * load, and reading plain scalars never needs them.
 */
export function protoRoot(): protobuf.Root {
  if (root === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pb = require('protobufjs') as typeof protobuf;
    const compiled = compiledSchema();
    if (compiled !== undefined) {
      root = pb.Root.fromJSON(JSON.parse(fs.readFileSync(compiled, 'utf8')) as protobuf.INamespace);
    } else {
      const dir = protoDir();
      root = pb.loadSync(PROTO_FILES.map((f) => path.join(dir, f)));
    }
    root.resolveAll();
  }
  return root;
}

/** A message type of the `tensorboard` package, e.g. `protoType('Event')`. */
export function protoType(name: string): protobuf.Type {
  return protoRoot().lookupType(`tensorboard.${name}`);
}

/** int64 as protobufjs hands it over: a Long, or a number when small. */
export type Int64 = number | { toNumber(): number; toString(): string };

/** A JavaScript number for an int64; exact up to 2^53, rounded beyond. */
export function toSafeNumber(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

// Shapes of the decoded messages that featherboard reads (field names in protobufjs camelCase).

export interface TensorShapeMsg {
  dim?: { size?: Int64; name?: string }[];
  unknownRank?: boolean;
}

export interface TensorMsg {
  dtype?: number;
  tensorShape?: TensorShapeMsg | null;
  tensorContent?: Uint8Array;
  halfVal?: number[];
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  stringVal?: Uint8Array[];
  int64Val?: Int64[];
  boolVal?: boolean[];
  uint32Val?: number[];
  uint64Val?: Int64[];
  scomplexVal?: number[];
  dcomplexVal?: number[];
}

export interface SummaryMetadataMsg {
  pluginData?: { pluginName?: string; content?: Uint8Array } | null;
  displayName?: string;
  summaryDescription?: string;
  dataClass?: number;
}

export interface HistogramMsg {
  min?: number;
  max?: number;
  num?: number;
  sum?: number;
  sumSquares?: number;
  bucketLimit?: number[];
  bucket?: number[];
}

export interface SummaryValueMsg {
  nodeName?: string;
  tag?: string;
  metadata?: SummaryMetadataMsg | null;
  value?: string;
  simpleValue?: number;
  image?: { height?: number; width?: number; colorspace?: number; encodedImageString?: Uint8Array } | null;
  histo?: HistogramMsg | null;
  audio?: { sampleRate?: number; encodedAudioString?: Uint8Array; contentType?: string } | null;
  tensor?: TensorMsg | null;
}

export interface EventMsg {
  wallTime?: number;
  step?: Int64;
  what?: string;
  fileVersion?: string;
  graphDef?: Uint8Array;
  summary?: { value?: SummaryValueMsg[] } | null;
  sessionLog?: { status?: number; checkpointPath?: string; msg?: string } | null;
  taggedRunMetadata?: { tag?: string; runMetadata?: Uint8Array } | null;
  metaGraphDef?: Uint8Array;
}
