// AssemblyScript, compiled to dist/wasm/scan-scalars.wasm by `npm run build:wasm`.
//
// The loader's hot loop as WebAssembly: frames TFRecords, checks both masked
// CRC-32Cs, and reads plain scalar events (what src/events/wire-scalar.ts
// accepts, less values that carry metadata) into column batches, with each
// tag's bytes mapped to a small integer id. WebAssembly runs at full speed from its first call, where the
// same loop in JavaScript spends most of a short export warming up the JIT.
// It stops, leaving the record unread, at anything else: the JavaScript
// reader then takes that record through its general path exactly as before.
//
// Memory: static CRC tables, then regions handed out once by setup() and
// input() (a bump allocator: input() grows rarely, only ever doubles, and
// JavaScript copies at most a 1 MiB window per scan).

// ---- CRC-32C (Castagnoli), slicing by 8, masked as TFRecord stores it ----

const CRC_TABLES: usize = memory.data(8 * 256 * 4);

function buildCrcTables(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
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
  return ((c >>> 15) | (c << 17)) + 0xa282ead8;
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

// What one record held, when it is a plain scalar event.
let wallTime: f64 = 0;
let step: i64 = 0;
let value: f64 = 0;
/** KIND_SIMPLE (simple_value), KIND_FLOAT or KIND_DOUBLE (rank-0 tensor). */
let kind: u8 = 0;
let tagStart: usize = 0;
let tagLength: usize = 0;

const KIND_SIMPLE: u8 = 1;
const KIND_FLOAT: u8 = 2;
const KIND_DOUBLE: u8 = 3;
const DT_FLOAT: i64 = 1;
const DT_DOUBLE: i64 = 2;

/** Event: wall_time, step and one summary, each at most once, nothing else. */
function readEvent(start: usize, end: usize): bool {
  let sawWallTime = false;
  let sawStep = false;
  let sawSummary = false;
  wallTime = 0;
  step = 0;
  at = start;
  while (at < end) {
    const key = load<u8>(at++);
    if (key == 0x09 && !sawWallTime) {
      if (at + 8 > end) return false;
      wallTime = load<f64>(at);
      at += 8;
      sawWallTime = true;
    } else if (key == 0x10 && !sawStep) {
      const s = varint(end);
      if (s < 0) return false;
      step = s;
      sawStep = true;
    } else if (key == 0x2a && !sawSummary) {
      const len = varint(end);
      if (len < 0 || at + <usize>len > end) return false;
      const summaryEnd = at + <usize>len;
      if (!readSummary(summaryEnd)) return false;
      at = summaryEnd;
      sawSummary = true;
    } else {
      return false;
    }
  }
  return sawSummary;
}

/** Summary: exactly one value, filling the message. */
function readSummary(end: usize): bool {
  if (at >= end || load<u8>(at++) != 0x0a) return false;
  const len = varint(end);
  if (len < 0 || at + <usize>len != end) return false;
  return readValue(end);
}

/** Summary.Value: a non-empty tag and a simple_value or a scalar tensor, nothing else. */
function readValue(end: usize): bool {
  let haveTag = false;
  let haveValue = false;
  while (at < end) {
    const key = load<u8>(at++);
    if (key == 0x0a && !haveTag) {
      const len = varint(end);
      if (len <= 0 || at + <usize>len > end) return false;
      tagStart = at;
      tagLength = <usize>len;
      at += <usize>len;
      haveTag = true;
    } else if (key == 0x15 && !haveValue) {
      if (at + 4 > end) return false;
      value = <f64>load<f32>(at);
      at += 4;
      kind = KIND_SIMPLE;
      haveValue = true;
    } else if (key == 0x42 && !haveValue) {
      const len = varint(end);
      if (len < 0 || at + <usize>len > end) return false;
      const tensorEnd = at + <usize>len;
      if (!readTensor(tensorEnd)) return false;
      at = tensorEnd;
      haveValue = true;
    } else {
      return false;
    }
  }
  return haveTag && haveValue;
}

/** TensorProto: dtype float or double, an empty (rank-0) shape, one value. */
function readTensor(end: usize): bool {
  let dtype: i64 = -1;
  let count = 0;
  let width: i64 = 0;
  let valueAt: usize = 0;
  while (at < end) {
    const key = load<u8>(at++);
    if (key == 0x08 && dtype < 0) {
      dtype = varint(end);
    } else if (key == 0x12) {
      if (varint(end) != 0) return false;
    } else if (key == 0x2a || key == 0x32 || key == 0x22) {
      const len = varint(end);
      if (len < 0 || at + <usize>len > end || count > 0) return false;
      width = key == 0x2a ? 4 : key == 0x32 ? 8 : len;
      if (len != width || (width != 4 && width != 8)) return false;
      valueAt = at;
      count = 1;
      at += <usize>len;
    } else if ((key == 0x2d || key == 0x31) && count == 0) {
      width = key == 0x2d ? 4 : 8;
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
    kind = KIND_FLOAT;
  } else if (dtype == DT_DOUBLE && width == 8) {
    value = load<f64>(valueAt);
    kind = KIND_DOUBLE;
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
let recKinds: usize = 0; // u8
let groupOfTag: usize = 0; // i32 per tag id: group + 1 during grouping, else 0
let groupCursor: usize = 0; // u32 per group

export let batchSteps: usize = 0; // f64 per record, grouped
export let batchWallTimes: usize = 0; // f64
export let batchValues: usize = 0; // f64
export let batchDtypes: usize = 0; // u8: DT_FLOAT or DT_DOUBLE
export let groupTags: usize = 0; // i32 per group
export let groupStarts: usize = 0; // u32
export let groupLengths: usize = 0; // u32
export let groupFlags: usize = 0; // u8: GROUP_* bits
export let groupCount: i32 = 0;
/** Where the last record of the batch ends, from the start of the input. */
export let batchEnd: u32 = 0;
export let batchFirstWallTime: f64 = 0;
export let batchLastWallTime: f64 = 0;
export let batchLastStep: f64 = 0;
/** The tag id of the plain scalar record the scan stopped at because its tag is not accepted; -1 otherwise. */
export let stoppedAtTag: i32 = -1;
/** The scan stopped at a record that does not wholly lie in the input (or at its end). */
export let cutAtEnd: bool = false;

/** Every step of the group is below 2^32 (fits a Uint32 column). */
const GROUP_STEPS_32: u8 = 1;
/** Every value of the group is exactly a float32 (or NaN). */
const GROUP_VALUES_32: u8 = 2;
/** The group has simple_value records (their legacy metadata applies). */
const GROUP_SIMPLE: u8 = 4;

/** Per tag id: the token of the reader that accepts the tag (see scan). */
export let acceptTokens: usize = 0;
export let tagTableOffsets: usize = 0;
export let tagTableLengths: usize = 0;
export let tagTableBytes: usize = 0;

let inputStart: usize = 0;
let inputCap: usize = 0;

/** Lay out the batch and tag regions; call once. */
export function setup(capacity: i32, tags: i32, bytesForTags: i32): void {
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
  tagTableOffsets = tagOffsets;
  tagTableLengths = tagLengths;
  tagTableBytes = tagBytes;
}

/** Where to copy `length` bytes of input (the region only ever grows). */
export function input(length: i32): usize {
  if (<usize>length > inputCap) {
    inputCap = max<usize>(<usize>length, inputCap << 1);
    inputStart = heap.alloc(inputCap);
  }
  return inputStart;
}

/**
 * Reads records from input[from, length) into the batch, up to its capacity,
 * as long as each is whole, intact (high length word 0, length ≤ maxRecord,
 * both CRCs right), a plain scalar event, and its tag is accepted by the
 * reader `token` (acceptTokens[id] == token). With `watchSteps`, it also
 * stops at a step lower than the one before it (`stepFloor` before the
 * first): the reader applies TensorBoard's restart rule to that record.
 * Returns the number of records; the batch is then grouped by tag.
 */
export function scan(from: i32, length: i32, maxRecord: i32, token: u32, stepFloor: f64, watchSteps: bool): i32 {
  const base = inputStart;
  const n = base + <usize>length;
  let p = base + <usize>from;
  let count = 0;
  let previousStep = stepFloor;
  stoppedAtTag = -1;
  cutAtEnd = false;
  while (count < batchCap) {
    if (p + 12 > n) {
      cutAtEnd = true;
      break;
    }
    if (load<u32>(p, 4) != 0) break;
    const len = load<u32>(p);
    if (len > <u32>maxRecord) break;
    const dataStart = p + 12;
    const dataEnd = dataStart + <usize>len;
    if (dataEnd + 4 > n) {
      cutAtEnd = true;
      break;
    }
    if (maskedCrc(p, p + 8) != load<u32>(p, 8)) break;
    if (maskedCrc(dataStart, dataEnd) != load<u32>(dataEnd)) break;
    if (!readEvent(dataStart, dataEnd)) break;
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
    p = dataEnd + 4;
  }
  batchEnd = <u32>(p - base);
  if (count > 0) group(count);
  else groupCount = 0;
  return count;
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
    if (k == KIND_SIMPLE) flags |= GROUP_SIMPLE;
    if (k == KIND_DOUBLE) {
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
    store<u8>(batchDtypes + k, load<u8>(recKinds + at) == KIND_DOUBLE ? <u8>DT_DOUBLE : <u8>DT_FLOAT);
  }
  for (let g = 0; g < groups; g++) store<i32>(groupOfTag + (<usize>load<i32>(groupTags + (<usize>g << 2)) << 2), 0);
  groupCount = groups;
  batchFirstWallTime = load<f64>(recWallTimes);
  batchLastWallTime = load<f64>(recWallTimes + (<usize>(count - 1) << 3));
  batchLastStep = load<f64>(recSteps + (<usize>(count - 1) << 3));
}
