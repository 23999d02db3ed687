/**
 * What the WebAssembly scanner (wasm/scan-scalars.ts) and its JavaScript side
 * (scalar-scanner.ts) agree on, written once here: the protobuf fields it
 * reads, the bits and codes it answers with, and where its answers lie in
 * its memory. scripts/generate-wire-constants.js writes this out for
 * AssemblyScript as wasm/generated/wire-constants.ts, with each field's key
 * (number and wire type) taken from proto/*.proto; a test fails when that
 * file is stale. This file imports nothing: the generator evaluates it.
 */

/** The protobuf fields the scanner reads, as [message, field] in proto/ (nested messages joined with `_`). */
export const SCANNED_FIELDS = [
  ['Event', 'wall_time'],
  ['Event', 'step'],
  ['Event', 'file_version'],
  ['Event', 'summary'],
  ['Summary', 'value'],
  ['Summary_Value', 'tag'],
  ['Summary_Value', 'simple_value'],
  ['Summary_Value', 'tensor'],
  ['Summary_Value', 'metadata'],
  ['SummaryMetadata', 'plugin_data'],
  ['SummaryMetadata', 'display_name'],
  ['SummaryMetadata', 'summary_description'],
  ['SummaryMetadata', 'data_class'],
  ['SummaryMetadata_PluginData', 'plugin_name'],
  ['SummaryMetadata_PluginData', 'content'],
  ['TensorProto', 'dtype'],
  ['TensorProto', 'tensor_shape'],
  ['TensorProto', 'tensor_content'],
  ['TensorProto', 'float_val'],
  ['TensorProto', 'double_val'],
] as const;

/** The enum values the scanner compares with, as [enum, value] in proto/. */
export const SCANNED_ENUM_VALUES = [
  ['DataType', 'DT_FLOAT'],
  ['DataType', 'DT_DOUBLE'],
] as const;

/** Facts about a group of a batch (ScalarBatch.groupFlags), as bits. */
export const GROUP = {
  /** Every step is below 2^32. */
  STEPS_32: 1,
  /** Every value is exactly a float32 (or NaN). */
  VALUES_32: 2,
  /** Some records are simple_value (their legacy metadata applies). */
  SIMPLE: 4,
} as const;

/** What readRecord() found a payload to be. */
export const RECORD_KIND = {
  /** Anything else: the general decoder reads it. */
  OTHER: 0,
  /** An Event holding one plain scalar Summary.Value, with or without metadata. */
  SCALAR: 1,
  /** An Event holding only wall_time, step and file_version. */
  FILE_VERSION: 2,
} as const;

/** How a plain scalar record holds its value. */
export const VALUE_KIND = {
  /** `simple_value`, a float. */
  SIMPLE: 1,
  /** A rank-0 DT_FLOAT tensor. */
  FLOAT: 2,
  /** A rank-0 DT_DOUBLE tensor. */
  DOUBLE: 3,
} as const;

/**
 * The regions setup() lays out, in this order: it returns the address of a
 * table holding each region's address (a u32 each). Per record of a batch:
 * steps, wall times and values (f64), dtypes (u8); per group: its tag id
 * (i32), start and length (u32), GROUP bits (u8); per tag id: the accepting
 * reader's token, where its bytes lie in tagBytes (u32s); and `results`.
 */
export const REGIONS = [
  'batchSteps',
  'batchWallTimes',
  'batchValues',
  'batchDtypes',
  'groupTags',
  'groupStarts',
  'groupLengths',
  'groupFlags',
  'acceptTokens',
  'tagOffsets',
  'tagLengths',
  'tagBytes',
  'results',
] as const;

/**
 * What scan() and readRecord() answer besides their return value, as f64
 * slots of the `results` region, in this order. Addresses (…Start) are
 * absolute in the scanner's memory.
 */
export const RESULTS = [
  // scan(): the batch.
  'groupCount',
  /** Where the last record taken ends, from the start of the input. */
  'batchEnd',
  'firstWallTime',
  'lastWallTime',
  'lastStep',
  /** The tag id of the plain scalar record the scan stopped at because its tag is not accepted; -1 otherwise. */
  'stoppedAtTag',
  /** 1 when the scan stopped at a record that does not wholly lie in the input (or at its end). */
  'cutAtEnd',
  // readRecord(): one payload.
  'wallTime',
  'step',
  'value',
  /** VALUE_KIND. */
  'valueKind',
  /** The tag's id, or -1 when the tag table is full. */
  'tagId',
  'tagStart',
  'tagLength',
  /** 1 when the value carries SummaryMetadata (its fields below). */
  'hasMetadata',
  'pluginNameStart',
  'pluginNameLength',
  'contentStart',
  'contentLength',
  'displayNameStart',
  'displayNameLength',
  'descriptionStart',
  'descriptionLength',
  'dataClass',
  'versionStart',
  'versionLength',
] as const;
