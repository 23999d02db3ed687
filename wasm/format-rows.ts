// AssemblyScript, compiled to dist/wasm/format-rows.wasm by `npm run build:wasm`.
//
// Rows of three numbers as bytes: fixed parts (run, tag, separators) around
// three columns per row — for export step, wall time, value — written exactly
// as src/export/format-number.ts writes them (JavaScript's shortest
// round-trip text; NaN, Infinity, -Infinity and -0.0 spelled out, quoted in
// JSON), or as JSON.stringify does for the server's scalars JSON (-0 as 0).
// JavaScript fills the columns and fixed parts, calls format(), and copies
// the bytes out (src/export/wasm-row-formatter.ts).

import { allocatePow5Tables, buildDigitPairs, digitCount, writeDigits, writeShortest } from './shortest-double';

export let columnSteps: usize = 0; // f64 per row
export let columnWallTimes: usize = 0; // f64
export let columnValues: usize = 0; // f64
export let parts: usize = 0; // prefix, afterStep, afterWallTime, end, back to back
export let output: usize = 0;

let prefixLength: i32 = 0;
let afterStepLength: i32 = 0;
let afterWallTimeLength: i32 = 0;
let endLength: i32 = 0;
/** JSON spells non-finite numbers as strings. */
let quoteSpecial = false;
/** -0 as JSON.stringify writes it ("0"), not as export does ("-0.0"). */
let plainZero = false;

/** Lays out the regions; returns where the power-of-5 tables go. */
export function setup(rows: i32, bytesForParts: i32, bytesForOutput: i32): usize {
  columnSteps = heap.alloc(<usize>rows << 3);
  columnWallTimes = heap.alloc(<usize>rows << 3);
  columnValues = heap.alloc(<usize>rows << 3);
  parts = heap.alloc(<usize>bytesForParts);
  output = heap.alloc(<usize>bytesForOutput);
  buildDigitPairs();
  return allocatePow5Tables();
}

/** The lengths of the fixed parts JavaScript wrote at `parts`, and the format's spelling of special numbers. */
export function shape(
  prefix: i32,
  afterStep: i32,
  afterWallTime: i32,
  end: i32,
  json: bool,
  zeroWithoutSign: bool,
): void {
  prefixLength = prefix;
  afterStepLength = afterStep;
  afterWallTimeLength = afterWallTime;
  endLength = end;
  quoteSpecial = json;
  plainZero = zeroWithoutSign;
}

/** Copies a fixed part: byte by byte for the short ones (separators), memory.copy for names. */
// @ts-ignore: decorator
@inline function copy(to: usize, from: usize, n: i32): usize {
  if (n <= 8) {
    for (let i: usize = 0; i < <usize>n; i++) store<u8>(to + i, load<u8>(from + i));
  } else {
    memory.copy(to, from, <usize>n);
  }
  return to + <usize>n;
}

/** "NaN", "Infinity", "-Infinity" (quoted for JSON) or "-0.0" (or "0") for the numbers writeShortest leaves out. */
function writeSpecial(x: f64, p: usize): usize {
  if (x == 0) {
    if (plainZero) {
      store<u8>(p, 48);
      return p + 1;
    }
    store<u32>(p, 0x302e302d); // "-0.0"
    return p + 4;
  }
  if (quoteSpecial) store<u8>(p++, 34);
  if (isNaN(x)) {
    store<u16>(p, 0x614e); // "Na"
    store<u8>(p, 78, 2); // "N"
    p += 3;
  } else {
    if (x < 0) store<u8>(p++, 45);
    store<u64>(p, 0x7974696e69666e49); // "Infinity"
    p += 8;
  }
  if (quoteSpecial) store<u8>(p++, 34);
  return p;
}

function writeNumber(x: f64, p: usize): usize {
  if (!isFinite(x) || (x == 0 && 1 / x < 0)) return writeSpecial(x, p);
  // Integers up to 2^53 (steps, counts): their digits, as String(x) writes them.
  if (x == Math.floor(x) && Math.abs(x) <= 9007199254740992) {
    if (x < 0) store<u8>(p++, 45);
    const v = <u64>Math.abs(x);
    const digits = digitCount(v);
    writeDigits(v, p + <usize>digits, digits);
    return p + <usize>digits;
  }
  return p + <usize>writeShortest(x, p);
}

/** Rows [from, from + count) of the columns into `output`; returns the bytes written. */
export function format(from: i32, count: i32): i32 {
  const afterStep = parts + <usize>prefixLength;
  const afterWallTime = afterStep + <usize>afterStepLength;
  const end = afterWallTime + <usize>afterWallTimeLength;
  let p = output;
  for (let i = from; i < from + count; i++) {
    const at = <usize>i << 3;
    p = copy(p, parts, prefixLength);
    p = writeNumber(load<f64>(columnSteps + at), p);
    p = copy(p, afterStep, afterStepLength);
    p = writeNumber(load<f64>(columnWallTimes + at), p);
    p = copy(p, afterWallTime, afterWallTimeLength);
    p = writeNumber(load<f64>(columnValues + at), p);
    p = copy(p, end, endLength);
  }
  return <i32>(p - output);
}

/** One number alone, at `output` (for tests that compare with JavaScript's own text). */
export function formatNumber(x: f64): i32 {
  return <i32>(writeNumber(x, output) - output);
}
