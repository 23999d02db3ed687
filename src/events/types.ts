import { ENUM } from '../protobuf/generated/field-numbers';

/**
 * Typed results of decoding one Event record. Every summary value ends up as a
 * tensor, the way TensorBoard migrates legacy values, tagged with the metadata
 * TensorBoard would store for it.
 */

/** TensorFlow's DataType enum, by number. */
export const DTYPE_NAMES: Record<number, string> = {
  0: 'DT_INVALID',
  1: 'DT_FLOAT',
  2: 'DT_DOUBLE',
  3: 'DT_INT32',
  4: 'DT_UINT8',
  5: 'DT_INT16',
  6: 'DT_INT8',
  7: 'DT_STRING',
  8: 'DT_COMPLEX64',
  9: 'DT_INT64',
  10: 'DT_BOOL',
  11: 'DT_QINT8',
  12: 'DT_QUINT8',
  13: 'DT_QINT32',
  14: 'DT_BFLOAT16',
  15: 'DT_QINT16',
  16: 'DT_QUINT16',
  17: 'DT_UINT16',
  18: 'DT_COMPLEX128',
  19: 'DT_HALF',
  20: 'DT_RESOURCE',
  21: 'DT_VARIANT',
  22: 'DT_UINT32',
  23: 'DT_UINT64',
};

const DataType = ENUM.DataType;

/** The DataType values featherboard decodes (tensor.proto). */
export const DT = {
  FLOAT: DataType.DT_FLOAT,
  DOUBLE: DataType.DT_DOUBLE,
  INT32: DataType.DT_INT32,
  UINT8: DataType.DT_UINT8,
  INT16: DataType.DT_INT16,
  INT8: DataType.DT_INT8,
  STRING: DataType.DT_STRING,
  INT64: DataType.DT_INT64,
  BOOL: DataType.DT_BOOL,
  UINT16: DataType.DT_UINT16,
  HALF: DataType.DT_HALF,
  UINT32: DataType.DT_UINT32,
  UINT64: DataType.DT_UINT64,
} as const;

/** SummaryMetadata.data_class: how a plugin's series is stored (summary.proto). */
export const DATA_CLASS = {
  UNKNOWN: ENUM.DataClass.DATA_CLASS_UNKNOWN,
  SCALAR: ENUM.DataClass.DATA_CLASS_SCALAR,
  TENSOR: ENUM.DataClass.DATA_CLASS_TENSOR,
  BLOB_SEQUENCE: ENUM.DataClass.DATA_CLASS_BLOB_SEQUENCE,
} as const;
export const DATA_CLASS_NAMES = [
  'DATA_CLASS_UNKNOWN',
  'DATA_CLASS_SCALAR',
  'DATA_CLASS_TENSOR',
  'DATA_CLASS_BLOB_SEQUENCE',
];

/** What TensorBoard remembers about a tag: written with its first value only. */
export interface TagMetadata {
  pluginName: string;
  /** Plugin-specific bytes (usually a serialized plugin_data proto). */
  pluginContent: Uint8Array;
  displayName: string;
  description: string;
  dataClass: number;
}

/**
 * A byte range inside the event file: payloads (images, audio, graphs) are not
 * held in memory, only where to find them. `inline` holds small ones.
 */
export interface ByteRef {
  offset: number;
  length: number;
  inline?: Uint8Array;
}

/** A tensor of numbers (floats widened exactly to double; bools as 0/1). */
export interface NumericTensor {
  kind: 'numeric';
  dtype: number;
  shape: number[];
  values: Float64Array;
}

/** A tensor of byte strings, each an inline copy or a file reference. */
export interface StringTensor {
  kind: 'string';
  dtype: number;
  shape: number[];
  values: ByteRef[];
}

/** A dtype featherboard does not decode (complex, quantized, variant...): kept as a shape only. */
export interface UnsupportedTensor {
  kind: 'unsupported';
  dtype: number;
  shape: number[];
}

export type DecodedTensor = NumericTensor | StringTensor | UnsupportedTensor;

export interface DecodedValue {
  tag: string;
  /** Present when the value carried metadata (after migration). */
  metadata?: TagMetadata;
  /** Absent for values TensorBoard stores no data for (only their metadata). */
  tensor?: DecodedTensor;
}

interface EventBase {
  wallTime: number;
  step: number;
}

/** Everything one Event record can say, after TensorBoard's migrations. */
export type DecodedEvent = EventBase &
  (
    | { kind: 'file_version'; version: string }
    | { kind: 'summary'; values: DecodedValue[] }
    | { kind: 'graph_def'; graph: ByteRef }
    | { kind: 'meta_graph_def'; metaGraph: ByteRef }
    | { kind: 'session_log'; status: number }
    | { kind: 'tagged_run_metadata'; tag: string; runMetadata: ByteRef }
    | { kind: 'other' }
  );

export const SESSION_LOG_START = ENUM.SessionLog_SessionStatus.START;
