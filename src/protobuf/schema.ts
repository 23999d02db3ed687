import * as fs from 'node:fs';
import type * as protobuf from 'protobufjs';
import { requireAsset } from '../assets';

/**
 * The protobuf schema subset in proto/, loaded once, from the protobufjs
 * JSON that `npm run build` writes (scripts/build-proto-schema.js; a
 * missing one is a MissingAssetError saying so). protobufjs decodes int64
 * fields as Long objects; see `toSafeNumber` for how they become numbers.
 */

let root: protobuf.Root | undefined;

/**
 * The schema, loaded on first use: protobufjs and the schema cost ~50 ms to
 * load, and reading plain scalars never needs them.
 */
export function protoRoot(): protobuf.Root {
  if (root === undefined) {
    const schema = JSON.parse(fs.readFileSync(requireAsset('protoSchema'), 'utf8')) as protobuf.INamespace;
    // Required here, not imported: only the records the scanner declines need protobufjs.
    const pb = require('protobufjs') as typeof protobuf;
    root = pb.Root.fromJSON(schema);
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
