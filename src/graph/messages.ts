import { protoType, type Int64, type TensorMsg, type TensorShapeMsg } from '../protobuf/schema';

/**
 * Decoded graph messages (protobufjs field names, camelCase). Decoding keeps
 * no copy of the input: bytes fields are views into it, strings are decoded
 * once. Plain objects of the same shape print and encode the same way.
 */

export interface NameAttrListMsg {
  name?: string;
  attr?: Record<string, AttrValueMsg>;
}

export interface AttrListMsg {
  s?: Uint8Array[];
  i?: Int64[];
  f?: number[];
  b?: boolean[];
  type?: number[];
  shape?: TensorShapeMsg[];
  tensor?: TensorMsg[];
  func?: NameAttrListMsg[];
}

/** AttrValue: one of the fields is set. */
export interface AttrValueMsg {
  list?: AttrListMsg;
  s?: Uint8Array;
  i?: Int64;
  f?: number;
  b?: boolean;
  type?: number;
  shape?: TensorShapeMsg;
  tensor?: TensorMsg;
  placeholder?: string;
  func?: NameAttrListMsg;
}

export interface NodeDefMsg {
  name?: string;
  op?: string;
  input?: string[];
  device?: string;
  attr?: Record<string, AttrValueMsg>;
}

export interface FunctionDefMsg {
  signature?: { name?: string; inputArg?: { name?: string }[]; outputArg?: { name?: string }[] };
  nodeDef?: NodeDefMsg[];
  ret?: Record<string, string>;
  attr?: Record<string, AttrValueMsg>;
}

export interface GradientDefMsg {
  functionName?: string;
  gradientFunc?: string;
}

export interface GraphDefMsg {
  node?: NodeDefMsg[];
  versions?: { producer?: number; minConsumer?: number; badConsumers?: number[] };
  version?: number;
  library?: { function?: FunctionDefMsg[]; gradient?: GradientDefMsg[] };
}

export interface RunMetadataMsg {
  stepStats?: { devStats?: { device?: string; nodeStats?: { nodeName?: string; allEndRelMicros?: Int64 }[] }[] };
  partitionGraphs?: GraphDefMsg[];
  functionGraphs?: {
    partitionGraphs?: GraphDefMsg[];
    preOptimizationGraph?: GraphDefMsg;
    postOptimizationGraph?: GraphDefMsg;
  }[];
}

export interface MetaGraphDefMsg {
  graphDef?: GraphDefMsg;
}

/** The message types by name, for printing (`toPbtxt`) and sizing. */
export const GraphDefType = protoType('GraphDef');
export const RunMetadataType = protoType('RunMetadata');
export const MetaGraphDefType = protoType('MetaGraphDef');
export const AttrValueType = protoType('AttrValue');

/** Raised when stored bytes are not the message they should be. */
export class GraphDecodeError extends Error {
  override name = 'GraphDecodeError';
}

function decodeAs<T>(type: typeof GraphDefType, what: string, bytes: Uint8Array): T {
  try {
    return type.decode(bytes) as unknown as T;
  } catch (err) {
    throw new GraphDecodeError(`not a valid ${what} (${(err as Error).message})`);
  }
}

export function decodeGraphDef(bytes: Uint8Array): GraphDefMsg {
  return decodeAs<GraphDefMsg>(GraphDefType, 'GraphDef', bytes);
}

export function decodeRunMetadata(bytes: Uint8Array): RunMetadataMsg {
  return decodeAs<RunMetadataMsg>(RunMetadataType, 'RunMetadata', bytes);
}

export function decodeMetaGraphDef(bytes: Uint8Array): MetaGraphDefMsg {
  return decodeAs<MetaGraphDefMsg>(MetaGraphDefType, 'MetaGraphDef', bytes);
}

/** Serialized size of an AttrValue (TensorBoard's `ByteSize()`), for the UI's attribute limit. */
export function attrByteSize(value: AttrValueMsg): number {
  return AttrValueType.encode(value as never).len;
}
