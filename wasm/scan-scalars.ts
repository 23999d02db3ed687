// AssemblyScript, compiled to dist/wasm/scan-scalars.wasm by `npm run build:wasm`.
//
// The loader's hot loop as WebAssembly: frames TFRecords, checks both masked
// CRC-32Cs, and reads plain scalar events into column batches, with each
// tag's bytes mapped to a small integer id. WebAssembly runs at full speed
// from its first call, where the same loop in JavaScript spends most of a
// short export warming up the JIT. It stops, leaving the record unread, at
// anything else: the JavaScript reader then takes that record through
// readRecord() (one plain scalar or file_version event, metadata included,
// read here too) or its general decoder.
//
// The protobuf keys, flags and memory layout shared with JavaScript
// (src/events/scalar-scanner.ts) come from ./generated/wire-constants.ts,
// which scripts/generate-wire-constants.js writes from proto/*.proto,
// src/events/scanner-abi.ts and src/tfrecord/framing.ts.
//
// Memory: static CRC tables, then regions handed out once by setup(),
// input() and record() (a bump allocator: input() and record() grow rarely,
// only ever double, and JavaScript copies at most a 1 MiB window per scan).

import {
  CRC32C_POLYNOMIAL,
  CRC_MASK_DELTA,
  CRC_MASK_ROTATION,
  DT_DOUBLE,
  DT_FLOAT,
  GROUP_SIMPLE,
  GROUP_STEPS_32,
  GROUP_VALUES_32,
  KEY_EVENT_FILE_VERSION,
  KEY_EVENT_STEP,
  KEY_EVENT_SUMMARY,
  KEY_EVENT_WALL_TIME,
  KEY_SUMMARY_METADATA_DATA_CLASS,
  KEY_SUMMARY_METADATA_DISPLAY_NAME,
  KEY_SUMMARY_METADATA_PLUGIN_DATA,
  KEY_SUMMARY_METADATA_PLUGIN_DATA_CONTENT,
  KEY_SUMMARY_METADATA_PLUGIN_DATA_PLUGIN_NAME,
  KEY_SUMMARY_METADATA_SUMMARY_DESCRIPTION,
  KEY_SUMMARY_VALUE,
  KEY_SUMMARY_VALUE_METADATA,
  KEY_SUMMARY_VALUE_SIMPLE_VALUE,
  KEY_SUMMARY_VALUE_TAG,
  KEY_SUMMARY_VALUE_TENSOR,
  KEY_TENSOR_PROTO_DOUBLE_VAL,
  KEY_TENSOR_PROTO_DOUBLE_VAL_PACKED,
  KEY_TENSOR_PROTO_DTYPE,
  KEY_TENSOR_PROTO_FLOAT_VAL,
  KEY_TENSOR_PROTO_FLOAT_VAL_PACKED,
  KEY_TENSOR_PROTO_TENSOR_CONTENT,
  KEY_TENSOR_PROTO_TENSOR_SHAPE,
  RECORD_KIND_FILE_VERSION,
  RECORD_KIND_OTHER,
  RECORD_KIND_SCALAR,
  REGION_ACCEPT_TOKENS,
  REGION_BATCH_DTYPES,
  REGION_BATCH_STEPS,
  REGION_BATCH_VALUES,
  REGION_BATCH_WALL_TIMES,
  REGION_COUNT,
  REGION_GROUP_FLAGS,
  REGION_GROUP_LENGTHS,
  REGION_GROUP_STARTS,
  REGION_GROUP_TAGS,
  REGION_RESULTS,
  REGION_TAG_BYTES,
  REGION_TAG_LENGTHS,
  REGION_TAG_OFFSETS,
  RESULT_BATCH_END,
  RESULT_CONTENT_LENGTH,
  RESULT_CONTENT_START,
  RESULT_COUNT,
  RESULT_CUT_AT_END,
  RESULT_DATA_CLASS,
  RESULT_DESCRIPTION_LENGTH,
  RESULT_DESCRIPTION_START,
  RESULT_DISPLAY_NAME_LENGTH,
  RESULT_DISPLAY_NAME_START,
  RESULT_FIRST_WALL_TIME,
  RESULT_GROUP_COUNT,
  RESULT_HAS_METADATA,
  RESULT_LAST_STEP,
  RESULT_LAST_WALL_TIME,
  RESULT_PLUGIN_NAME_LENGTH,
  RESULT_PLUGIN_NAME_START,
  RESULT_STEP,
  RESULT_STOPPED_AT_TAG,
  RESULT_TAG_ID,
  RESULT_TAG_LENGTH,
  RESULT_TAG_START,
  RESULT_VALUE,
  RESULT_VALUE_KIND,
  RESULT_VERSION_LENGTH,
  RESULT_VERSION_START,
  RESULT_WALL_TIME,
  TFRECORD_FOOTER_BYTES,
  TFRECORD_HEADER_BYTES,
  VALUE_KIND_DOUBLE,
  VALUE_KIND_FLOAT,
  VALUE_KIND_SIMPLE,
} from './generated/wire-constants';

// ---- CRC-32C (Castagnoli), slicing by 8, masked as TFRecord stores it ----

const CRC_TABLES: usize = memory.data(8 * 256 * 4);

function buildCrcTables(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC32C_POLYNOMIAL : c >>> 1;
    store<u32>(CRC_TABLES + (<usize>n << 2), c);
  }
  for (let n: u32 = 0; n < 256; n++) {
    let c = load<u32>(CRC_TABLES + (<usize>n << 2));
    for (let t: u32 = 1; t < 8; t++) {
      c = load<u32>(CRC_TABLES + (<usize>(c & 0xff) << 2)) ^ (c >>> 8);
      store<u32>(CRC_TABLES + (<usize>(t * 256 + n) << 2), c);
    }
  }
}

// @ts-ignore: decorator
@inline function crcTable(t: u32, i: u32): u32 {
  return load<u32>(CRC_TABLES + (<usize>((t << 8) + i) << 2));
}

function maskedCrc(start: usize, end: usize): u32 {
  let c: u32 = 0xffffffff;
  let p = start;
  while (p + 8 <= end) {
    const lo = c ^ load<u32>(p);
    const hi = load<u32>(p, 4);
    c =
      crcTable(7, lo & 0xff) ^
      crcTable(6, (lo >>> 8) & 0xff) ^
      crcTable(5, (lo >>> 16) & 0xff) ^
      crcTable(4, lo >>> 24) ^
      crcTable(3, hi & 0xff) ^
      crcTable(2, (hi >>> 8) & 0xff) ^
      crcTable(1, (hi >>> 16) & 0xff) ^
      crcTable(0, hi >>> 24);
    p += 8;
  }
  while (p < end) {
    c = crcTable(0, (c ^ <u32>load<u8>(p)) & 0xff) ^ (c >>> 8);
    p++;
  }
  c = ~c;
  return ((c >>> CRC_MASK_ROTATION) | (c << (32 - CRC_MASK_ROTATION))) + CRC_MASK_DELTA;
}

// ---- Tags: bytes → id, with the next tag predicted (writers cycle through theirs) ----

let maxTags: i32 = 0;
let tagCount: i32 = 0;
let tagOffsets: usize = 0; // u32 per tag: where its bytes start in tagBytes
let tagLengths: usize = 0; // u32 per tag
let tagNext: usize = 0; // i32 per tag: the tag that followed it last time, or -1
let tagSlots: usize = 0; // i32 per hash slot: tag id + 1, 0 = empty
let slotMask: u32 = 0;
let tagBytes: usize = 0;
let tagBytesCap: usize = 0;
let tagBytesUsed: usize = 0;
let lastTag: i32 = -1;

function sameBytes(a: usize, b: usize, n: usize): bool {
  for (let i: usize = 0; i < n; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}

function isTag(id: i32, start: usize, len: usize): bool {
  return (
    <usize>load<u32>(tagLengths + (<usize>id << 2)) == len &&
    sameBytes(tagBytes + <usize>load<u32>(tagOffsets + (<usize>id << 2)), start, len)
  );
}

/** The id of the tag with these bytes, registering it if new; -1 when the table is full. */
function tagId(start: usize, len: usize): i32 {
  if (lastTag >= 0) {
    const guess = load<i32>(tagNext + (<usize>lastTag << 2));
    if (guess >= 0 && isTag(guess, start, len)) {
      lastTag = guess;
      return guess;
    }
  }
  let h: u32 = 2166136261;
  for (let i: usize = 0; i < len; i++) h = (h ^ <u32>load<u8>(start + i)) * 16777619;
  let slot = h & slotMask;
  for (;;) {
    const entry = load<i32>(tagSlots + (<usize>slot << 2));
    if (entry == 0) break;
    if (isTag(entry - 1, start, len)) return follow(entry - 1);
    slot = (slot + 1) & slotMask;
  }
  if (tagCount >= maxTags || tagBytesUsed + len > tagBytesCap) return -1;
  const id = tagCount++;
  memory.copy(tagBytes + tagBytesUsed, start, len);
  store<u32>(tagOffsets + (<usize>id << 2), <u32>tagBytesUsed);
  store<u32>(tagLengths + (<usize>id << 2), <u32>len);
  store<i32>(tagNext + (<usize>id << 2), -1);
  store<i32>(tagSlots + (<usize>slot << 2), id + 1);
  tagBytesUsed += len;
  return follow(id);
}

function follow(id: i32): i32 {
  if (lastTag >= 0) store<i32>(tagNext + (<usize>lastTag << 2), id);
  lastTag = id;
  return id;
}

// ---- Protocol buffer wire format ----

let at: usize = 0;

/** A varint below 2^49 at `at` (advancing it), or -1 for a longer or cut-off one. */
function varint(end: usize): i64 {
  let result: i64 = 0;
  let shift: i64 = 0;
  for (let i = 0; i < 7; i++) {
    if (at >= end) return -1;
    const b = <i64>load<u8>(at++);
    result |= (b & 0x7f) << shift;
    if (b < 0x80) return result;
    shift += 7;
  }
  return -1;
}

/** A length-delimited field's length at `at` (advancing it), checked to lie within `end`; -1 otherwise. */
function lengthWithin(end: usize): i64 {
  const len = varint(end);
  if (len < 0 || at + <usize>len > end) return -1;
  return len;
}

// What one record held, when it is a plain scalar or file_version event.
let wallTime: f64 = 0;
let step: i64 = 0;
let value: f64 = 0;
/** VALUE_KIND_SIMPLE (simple_value), VALUE_KIND_FLOAT or VALUE_KIND_DOUBLE (rank-0 tensor). */
let kind: u8 = 0;
let tagStart: usize = 0;
let tagLength: usize = 0;
let versionStart: usize = 0;
let versionLength: usize = 0;
// The value's SummaryMetadata, when it has one (its strings are checked for UTF-8 by JavaScript).
let hasMetadata = false;
let pluginNameStart: usize = 0;
let pluginNameLength: usize = 0;
let contentStart: usize = 0;
let contentLength: usize = 0;
let displayNameStart: usize = 0;
let displayNameLength: usize = 0;
let descriptionStart: usize = 0;
let descriptionLength: usize = 0;
let dataClass: i64 = 0;

/**
 * Event: wall_time, step and either one summary or a file_version, each at
 * most once, nothing else. Returns RECORD_KIND_SCALAR, RECORD_KIND_FILE_VERSION
 * or RECORD_KIND_OTHER.
 */
function readEvent(start: usize, end: usize): i32 {
  let sawWallTime = false;
  let sawStep = false;
  let sawSummary = false;
  let sawVersion = false;
  wallTime = 0;
  step = 0;
  at = start;
  while (at < end) {
    const key = load<u8>(at++);
    if (key == KEY_EVENT_WALL_TIME && !sawWallTime) {
      if (at + 8 > end) return RECORD_KIND_OTHER;
      wallTime = load<f64>(at);
      at += 8;
      sawWallTime = true;
    } else if (key == KEY_EVENT_STEP && !sawStep) {
      const s = varint(end);
      if (s < 0) return RECORD_KIND_OTHER;
      step = s;
      sawStep = true;
    } else if (key == KEY_EVENT_SUMMARY && !sawSummary && !sawVersion) {
      const len = lengthWithin(end);
      if (len < 0) return RECORD_KIND_OTHER;
      const summaryEnd = at + <usize>len;
      if (!readSummary(summaryEnd)) return RECORD_KIND_OTHER;
      at = summaryEnd;
      sawSummary = true;
    } else if (key == KEY_EVENT_FILE_VERSION && !sawSummary && !sawVersion) {
      const len = lengthWithin(end);
      if (len < 0) return RECORD_KIND_OTHER;
      versionStart = at;
      versionLength = <usize>len;
      at += <usize>len;
      sawVersion = true;
    } else {
      return RECORD_KIND_OTHER;
    }
  }
  return sawSummary ? RECORD_KIND_SCALAR : sawVersion ? RECORD_KIND_FILE_VERSION : RECORD_KIND_OTHER;
}

/** Summary: exactly one value, filling the message. */
function readSummary(end: usize): bool {
  if (at >= end || load<u8>(at++) != KEY_SUMMARY_VALUE) return false;
  const len = varint(end);
  if (len < 0 || at + <usize>len != end) return false;
  return readValue(end);
}

/** Summary.Value: a non-empty tag and a simple_value or a scalar tensor, perhaps metadata, nothing else. */
function readValue(end: usize): bool {
  let haveTag = false;
  let haveValue = false;
  hasMetadata = false;
  while (at < end) {
    const key = load<u8>(at++);
    if (key == KEY_SUMMARY_VALUE_TAG && !haveTag) {
      const len = varint(end);
      if (len <= 0 || at + <usize>len > end) return false;
      tagStart = at;
      tagLength = <usize>len;
      at += <usize>len;
      haveTag = true;
    } else if (key == KEY_SUMMARY_VALUE_SIMPLE_VALUE && !haveValue) {
      if (at + 4 > end) return false;
      value = <f64>load<f32>(at);
      at += 4;
      kind = VALUE_KIND_SIMPLE;
      haveValue = true;
    } else if (key == KEY_SUMMARY_VALUE_TENSOR && !haveValue) {
      const len = lengthWithin(end);
      if (len < 0) return false;
      const tensorEnd = at + <usize>len;
      if (!readTensor(tensorEnd)) return false;
      at = tensorEnd;
      haveValue = true;
    } else if (key == KEY_SUMMARY_VALUE_METADATA && !hasMetadata) {
      const len = lengthWithin(end);
      if (len < 0) return false;
      const metadataEnd = at + <usize>len;
      if (!readMetadata(metadataEnd)) return false;
      at = metadataEnd;
      hasMetadata = true;
    } else {
      return false;
    }
  }
  return haveTag && haveValue;
}

// Bits of the SummaryMetadata fields seen (each may appear once).
const SEEN_PLUGIN_DATA: u32 = 1;
const SEEN_DISPLAY_NAME: u32 = 2;
const SEEN_DESCRIPTION: u32 = 4;
const SEEN_DATA_CLASS: u32 = 8;
const SEEN_PLUGIN_NAME: u32 = 16;
const SEEN_CONTENT: u32 = 32;

/**
 * SummaryMetadata: plugin_data (plugin_name, content), display_name,
 * summary_description and data_class (a plain int32 value), each at most
 * once, nothing else.
 */
function readMetadata(end: usize): bool {
  let seen: u32 = 0;
  pluginNameLength = 0;
  contentLength = 0;
  displayNameLength = 0;
  descriptionLength = 0;
  pluginNameStart = contentStart = displayNameStart = descriptionStart = at;
  dataClass = 0;
  while (at < end) {
    const key = load<u8>(at++);
    let bit: u32 = 0;
    if (key == KEY_SUMMARY_METADATA_PLUGIN_DATA) bit = SEEN_PLUGIN_DATA;
    else if (key == KEY_SUMMARY_METADATA_DISPLAY_NAME) bit = SEEN_DISPLAY_NAME;
    else if (key == KEY_SUMMARY_METADATA_SUMMARY_DESCRIPTION) bit = SEEN_DESCRIPTION;
    else if (key == KEY_SUMMARY_METADATA_DATA_CLASS) bit = SEEN_DATA_CLASS;
    if (bit == 0 || seen & bit) return false;
    seen |= bit;
    if (bit == SEEN_DATA_CLASS) {
      const c = varint(end);
      if (c < 0 || c > 0x7fffffff) return false;
      dataClass = c;
      continue;
    }
    const len = lengthWithin(end);
    if (len < 0) return false;
    const fieldEnd = at + <usize>len;
    if (bit == SEEN_DISPLAY_NAME) {
      displayNameStart = at;
      displayNameLength = <usize>len;
    } else if (bit == SEEN_DESCRIPTION) {
      descriptionStart = at;
      descriptionLength = <usize>len;
    } else {
      // PluginData: plugin_name and content, each at most once, nothing else.
      while (at < fieldEnd) {
        const part = load<u8>(at++);
        const partBit =
          part == KEY_SUMMARY_METADATA_PLUGIN_DATA_PLUGIN_NAME
            ? SEEN_PLUGIN_NAME
            : part == KEY_SUMMARY_METADATA_PLUGIN_DATA_CONTENT
              ? SEEN_CONTENT
              : 0;
        if (partBit == 0 || seen & partBit) return false;
        seen |= partBit;
        const partLen = lengthWithin(fieldEnd);
        if (partLen < 0) return false;
        if (partBit == SEEN_PLUGIN_NAME) {
          pluginNameStart = at;
          pluginNameLength = <usize>partLen;
        } else {
          contentStart = at;
          contentLength = <usize>partLen;
        }
        at += <usize>partLen;
      }
    }
    at = fieldEnd;
  }
  return true;
}

/** TensorProto: dtype float or double, an empty (rank-0) shape, one value. */
function readTensor(end: usize): bool {
  let dtype: i64 = -1;
  let count = 0;
  let width: i64 = 0;
  let valueAt: usize = 0;
  while (at < end) {
    const key = load<u8>(at++);
    if (key == KEY_TENSOR_PROTO_DTYPE && dtype < 0) {
      dtype = varint(end);
    } else if (key == KEY_TENSOR_PROTO_TENSOR_SHAPE) {
      if (varint(end) != 0) return false;
    } else if (
      key == KEY_TENSOR_PROTO_FLOAT_VAL_PACKED ||
      key == KEY_TENSOR_PROTO_DOUBLE_VAL_PACKED ||
      key == KEY_TENSOR_PROTO_TENSOR_CONTENT
    ) {
      const len = varint(end);
      if (len < 0 || at + <usize>len > end || count > 0) return false;
      width = key == KEY_TENSOR_PROTO_FLOAT_VAL_PACKED ? 4 : key == KEY_TENSOR_PROTO_DOUBLE_VAL_PACKED ? 8 : len;
      if (len != width || (width != 4 && width != 8)) return false;
      valueAt = at;
      count = 1;
      at += <usize>len;
    } else if ((key == KEY_TENSOR_PROTO_FLOAT_VAL || key == KEY_TENSOR_PROTO_DOUBLE_VAL) && count == 0) {
      width = key == KEY_TENSOR_PROTO_FLOAT_VAL ? 4 : 8;
      if (at + <usize>width > end) return false;
      valueAt = at;
      count = 1;
      at += <usize>width;
    } else {
      return false;
    }
  }
  if (count != 1) return false;
  if (dtype == DT_FLOAT && width == 4) {
    value = <f64>load<f32>(valueAt);
    kind = VALUE_KIND_FLOAT;
  } else if (dtype == DT_DOUBLE && width == 8) {
    value = load<f64>(valueAt);
    kind = VALUE_KIND_DOUBLE;
  } else {
    return false;
  }
  return true;
}

// ---- Batches ----
//
// scan() reads records in file order into rec* arrays, then hands them over
// grouped by tag (in order of each tag's first record, each group in file
// order), with facts about each group, so that JavaScript appends whole
// groups to its columns with typed-array copies instead of a loop per record.

let batchCap: i32 = 0;
let recSteps: usize = 0; // f64 per record, file order
let recWallTimes: usize = 0;
let recValues: usize = 0;
let recTags: usize = 0; // i32
let recKinds: usize = 0; // u8: VALUE_KIND_*
let groupOfTag: usize = 0; // i32 per tag id: group + 1 during grouping, else 0
let groupCursor: usize = 0; // u32 per group

let batchSteps: usize = 0; // f64 per record, grouped
let batchWallTimes: usize = 0; // f64
let batchValues: usize = 0; // f64
let batchDtypes: usize = 0; // u8: DT_FLOAT or DT_DOUBLE
let groupTags: usize = 0; // i32 per group
let groupStarts: usize = 0; // u32
let groupLengths: usize = 0; // u32
let groupFlags: usize = 0; // u8: GROUP_* bits
/** Per tag id: the token of the reader that accepts the tag (see scan). */
let acceptTokens: usize = 0;
/** RESULT_COUNT f64 slots: what scan() and readRecord() answer besides their return value. */
let results: usize = 0;

// @ts-ignore: decorator
@inline function answer(slot: i32, v: f64): void {
  store<f64>(results + (<usize>slot << 3), v);
}

/** REGION_COUNT u32s: where each region is, for JavaScript. */
let regions: usize = 0;

function region(r: i32, address: usize): void {
  store<u32>(regions + (<usize>r << 2), <u32>address);
}

let inputStart: usize = 0;
let inputCap: usize = 0;
let recordStart: usize = 0;
let recordCap: usize = 0;

/** Lay out the batch and tag regions; call once. Returns where the REGION_* addresses are (u32 each). */
export function setup(capacity: i32, tags: i32, bytesForTags: i32): usize {
  buildCrcTables();
  batchCap = capacity;
  const records = <usize>capacity;
  recSteps = heap.alloc(records << 3);
  recWallTimes = heap.alloc(records << 3);
  recValues = heap.alloc(records << 3);
  recTags = heap.alloc(records << 2);
  recKinds = heap.alloc(records);
  batchSteps = heap.alloc(records << 3);
  batchWallTimes = heap.alloc(records << 3);
  batchValues = heap.alloc(records << 3);
  batchDtypes = heap.alloc(records);
  groupTags = heap.alloc(records << 2);
  groupStarts = heap.alloc(records << 2);
  groupLengths = heap.alloc(records << 2);
  groupFlags = heap.alloc(records);
  groupCursor = heap.alloc(records << 2);
  maxTags = tags;
  let slots: u32 = 1;
  while (slots < <u32>tags * 2) slots <<= 1;
  slotMask = slots - 1;
  tagSlots = heap.alloc(<usize>slots << 2);
  memory.fill(tagSlots, 0, <usize>slots << 2);
  tagOffsets = heap.alloc(<usize>tags << 2);
  tagLengths = heap.alloc(<usize>tags << 2);
  tagNext = heap.alloc(<usize>tags << 2);
  acceptTokens = heap.alloc(<usize>tags << 2);
  memory.fill(acceptTokens, 0, <usize>tags << 2);
  groupOfTag = heap.alloc(<usize>tags << 2);
  memory.fill(groupOfTag, 0, <usize>tags << 2);
  tagBytesCap = <usize>bytesForTags;
  tagBytes = heap.alloc(tagBytesCap);
  results = heap.alloc(<usize>RESULT_COUNT << 3);
  memory.fill(results, 0, <usize>RESULT_COUNT << 3);
  regions = heap.alloc(<usize>REGION_COUNT << 2);
  region(REGION_BATCH_STEPS, batchSteps);
  region(REGION_BATCH_WALL_TIMES, batchWallTimes);
  region(REGION_BATCH_VALUES, batchValues);
  region(REGION_BATCH_DTYPES, batchDtypes);
  region(REGION_GROUP_TAGS, groupTags);
  region(REGION_GROUP_STARTS, groupStarts);
  region(REGION_GROUP_LENGTHS, groupLengths);
  region(REGION_GROUP_FLAGS, groupFlags);
  region(REGION_ACCEPT_TOKENS, acceptTokens);
  region(REGION_TAG_OFFSETS, tagOffsets);
  region(REGION_TAG_LENGTHS, tagLengths);
  region(REGION_TAG_BYTES, tagBytes);
  region(REGION_RESULTS, results);
  return regions;
}

/** Where to copy `length` bytes of input for scan() (the region only ever grows). */
export function input(length: i32): usize {
  if (<usize>length > inputCap) {
    inputCap = max<usize>(<usize>length, inputCap << 1);
    inputStart = heap.alloc(inputCap);
  }
  return inputStart;
}

/** Where to copy one record's payload for readRecord(): apart from the input, which scans reuse. */
export function record(length: i32): usize {
  if (<usize>length > recordCap) {
    recordCap = max<usize>(<usize>length, recordCap << 1);
    recordStart = heap.alloc(recordCap);
  }
  return recordStart;
}

/**
 * Reads records from input[from, length) into the batch, up to its capacity,
 * as long as each is whole, intact (high length word 0, length ≤ maxRecord,
 * both CRCs right), a plain scalar event, and its tag is accepted by the
 * reader `token` (acceptTokens[id] == token). A value's metadata is then
 * passed over: TensorBoard keeps only a tag's first, which the reader has
 * seen before it accepted the tag. With `watchSteps`, it also stops at a
 * step lower than the one before it (`stepFloor` before the first): the
 * reader applies TensorBoard's restart rule to that record. Returns the
 * number of records; the batch is then grouped by tag.
 */
export function scan(from: i32, length: i32, maxRecord: i32, token: u32, stepFloor: f64, watchSteps: bool): i32 {
  const base = inputStart;
  const n = base + <usize>length;
  let p = base + <usize>from;
  let count = 0;
  let previousStep = stepFloor;
  let stoppedAtTag: i32 = -1;
  let cutAtEnd = false;
  while (count < batchCap) {
    if (p + TFRECORD_HEADER_BYTES > n) {
      cutAtEnd = true;
      break;
    }
    if (load<u32>(p, 4) != 0) break;
    const len = load<u32>(p);
    if (len > <u32>maxRecord) break;
    const dataStart = p + TFRECORD_HEADER_BYTES;
    const dataEnd = dataStart + <usize>len;
    if (dataEnd + TFRECORD_FOOTER_BYTES > n) {
      cutAtEnd = true;
      break;
    }
    if (maskedCrc(p, p + 8) != load<u32>(p, 8)) break;
    if (maskedCrc(dataStart, dataEnd) != load<u32>(dataEnd)) break;
    if (readEvent(dataStart, dataEnd) != RECORD_KIND_SCALAR) break;
    const id = tagId(tagStart, tagLength);
    if (id < 0) break;
    if (load<u32>(acceptTokens + (<usize>id << 2)) != token) {
      stoppedAtTag = id;
      break;
    }
    const stepValue = <f64>step;
    if (watchSteps && stepValue < previousStep) break;
    previousStep = stepValue;
    const i = <usize>count;
    store<f64>(recSteps + (i << 3), stepValue);
    store<f64>(recWallTimes + (i << 3), wallTime);
    store<f64>(recValues + (i << 3), value);
    store<i32>(recTags + (i << 2), id);
    store<u8>(recKinds + i, kind);
    count++;
    p = dataEnd + TFRECORD_FOOTER_BYTES;
  }
  answer(RESULT_BATCH_END, <f64>(p - base));
  answer(RESULT_STOPPED_AT_TAG, <f64>stoppedAtTag);
  answer(RESULT_CUT_AT_END, cutAtEnd ? 1 : 0);
  if (count > 0) group(count);
  else answer(RESULT_GROUP_COUNT, 0);
  return count;
}

/**
 * Reads the payload record[0, length) (a record's data, without framing)
 * as readEvent() does: RECORD_KIND_SCALAR or RECORD_KIND_FILE_VERSION with
 * its fields in the results, or RECORD_KIND_OTHER. The tag gets its id
 * (-1 when the tag table is full).
 */
export function readRecord(length: i32): i32 {
  const kindOfRecord = readEvent(recordStart, recordStart + <usize>length);
  if (kindOfRecord == RECORD_KIND_OTHER) return kindOfRecord;
  answer(RESULT_WALL_TIME, wallTime);
  answer(RESULT_STEP, <f64>step);
  if (kindOfRecord == RECORD_KIND_FILE_VERSION) {
    answer(RESULT_VERSION_START, <f64>versionStart);
    answer(RESULT_VERSION_LENGTH, <f64>versionLength);
    return kindOfRecord;
  }
  answer(RESULT_VALUE, value);
  answer(RESULT_VALUE_KIND, <f64>kind);
  answer(RESULT_TAG_ID, <f64>tagId(tagStart, tagLength));
  answer(RESULT_TAG_START, <f64>tagStart);
  answer(RESULT_TAG_LENGTH, <f64>tagLength);
  answer(RESULT_HAS_METADATA, hasMetadata ? 1 : 0);
  if (hasMetadata) {
    answer(RESULT_PLUGIN_NAME_START, <f64>pluginNameStart);
    answer(RESULT_PLUGIN_NAME_LENGTH, <f64>pluginNameLength);
    answer(RESULT_CONTENT_START, <f64>contentStart);
    answer(RESULT_CONTENT_LENGTH, <f64>contentLength);
    answer(RESULT_DISPLAY_NAME_START, <f64>displayNameStart);
    answer(RESULT_DISPLAY_NAME_LENGTH, <f64>displayNameLength);
    answer(RESULT_DESCRIPTION_START, <f64>descriptionStart);
    answer(RESULT_DESCRIPTION_LENGTH, <f64>descriptionLength);
    answer(RESULT_DATA_CLASS, <f64>dataClass);
  }
  return kindOfRecord;
}

/** Sorts the batch's records by tag (stably), groups in order of first appearance. */
function group(count: i32): void {
  let groups = 0;
  for (let i = 0; i < count; i++) {
    const id = load<i32>(recTags + (<usize>i << 2));
    let g = load<i32>(groupOfTag + (<usize>id << 2)) - 1;
    if (g < 0) {
      g = groups++;
      store<i32>(groupOfTag + (<usize>id << 2), g + 1);
      store<i32>(groupTags + (<usize>g << 2), id);
      store<u32>(groupLengths + (<usize>g << 2), 0);
      store<u8>(groupFlags + <usize>g, GROUP_STEPS_32 | GROUP_VALUES_32);
    }
    const at = <usize>g;
    store<u32>(groupLengths + (at << 2), load<u32>(groupLengths + (at << 2)) + 1);
    let flags = load<u8>(groupFlags + at);
    if (load<f64>(recSteps + (<usize>i << 3)) >= 4294967296) flags &= <u8>~GROUP_STEPS_32;
    const k = load<u8>(recKinds + <usize>i);
    if (k == VALUE_KIND_SIMPLE) flags |= GROUP_SIMPLE;
    if (k == VALUE_KIND_DOUBLE) {
      const v = load<f64>(recValues + (<usize>i << 3));
      if (<f64><f32>v != v && v == v) flags &= <u8>~GROUP_VALUES_32;
    }
    store<u8>(groupFlags + at, flags);
  }
  let start: u32 = 0;
  for (let g = 0; g < groups; g++) {
    store<u32>(groupStarts + (<usize>g << 2), start);
    store<u32>(groupCursor + (<usize>g << 2), start);
    start += load<u32>(groupLengths + (<usize>g << 2));
  }
  for (let i = 0; i < count; i++) {
    const at = <usize>i;
    const g = <usize>(load<i32>(groupOfTag + (<usize>load<i32>(recTags + (at << 2)) << 2)) - 1);
    const k = <usize>load<u32>(groupCursor + (g << 2));
    store<u32>(groupCursor + (g << 2), <u32>k + 1);
    store<f64>(batchSteps + (k << 3), load<f64>(recSteps + (at << 3)));
    store<f64>(batchWallTimes + (k << 3), load<f64>(recWallTimes + (at << 3)));
    store<f64>(batchValues + (k << 3), load<f64>(recValues + (at << 3)));
    store<u8>(batchDtypes + k, load<u8>(recKinds + at) == VALUE_KIND_DOUBLE ? <u8>DT_DOUBLE : <u8>DT_FLOAT);
  }
  for (let g = 0; g < groups; g++) store<i32>(groupOfTag + (<usize>load<i32>(groupTags + (<usize>g << 2)) << 2), 0);
  answer(RESULT_GROUP_COUNT, <f64>groups);
  answer(RESULT_FIRST_WALL_TIME, load<f64>(recWallTimes));
  answer(RESULT_LAST_WALL_TIME, load<f64>(recWallTimes + (<usize>(count - 1) << 3)));
  answer(RESULT_LAST_STEP, load<f64>(recSteps + (<usize>(count - 1) << 3)));
}
