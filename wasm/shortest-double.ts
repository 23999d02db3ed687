// AssemblyScript: the shortest decimal that reads back as the same double
// (Ulf Adams' Ryū algorithm, "Ryū: fast float-to-string conversion", PLDI
// 2018), written out the way JavaScript's Number.prototype.toString writes
// it. Export formats millions of numbers; this is several times faster than
// the engine's conversion plus a string per number.
//
// The 128-bit power-of-5 tables are computed once in JavaScript (BigInt) and
// copied to `pow5Tables` (src/export/wasm-row-formatter.ts).

const MANTISSA_BITS = 52;
const EXPONENT_BITS = 11;
const BIAS = 1023;
const POW5_INV_BITCOUNT = 125;
const POW5_BITCOUNT = 125;
/** Entries of the two tables: 5^-q for q < 342, 5^i for i < 326. */
export const POW5_INV_ENTRIES = 342;
export const POW5_ENTRIES = 326;

/** [lo, hi] u64 pairs: POW5_INV_ENTRIES inverse powers, then POW5_ENTRIES powers. */
export let pow5Tables: usize = 0;

export function allocatePow5Tables(): usize {
  pow5Tables = heap.alloc((POW5_INV_ENTRIES + POW5_ENTRIES) * 16);
  return pow5Tables;
}

// @ts-ignore: decorator
@inline function pow5bits(e: i32): i32 {
  return ((e * 1217359) >> 19) + 1;
}

// @ts-ignore: decorator
@inline function log10Pow2(e: i32): i32 {
  return (e * 78913) >> 18;
}

// @ts-ignore: decorator
@inline function log10Pow5(e: i32): i32 {
  return (e * 732923) >> 20;
}

function pow5Factor(value: u64): i32 {
  let count = 0;
  while (value % 5 == 0) {
    value /= 5;
    count++;
  }
  return count;
}

// @ts-ignore: decorator
@inline function multipleOfPowerOf5(value: u64, p: i32): bool {
  return pow5Factor(value) >= p;
}

// @ts-ignore: decorator
@inline function multipleOfPowerOf2(value: u64, p: i32): bool {
  return (value & ((<u64>1 << <u64>p) - 1)) == 0;
}

/** High 64 bits of a 64 × 64-bit product. */
function mulHigh(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff;
  const aHi = a >> 32;
  const bLo = b & 0xffffffff;
  const bHi = b >> 32;
  const lolo = aLo * bLo;
  const lohi = aLo * bHi;
  const hilo = aHi * bLo;
  const hihi = aHi * bHi;
  const mid = (lolo >> 32) + (lohi & 0xffffffff) + (hilo & 0xffffffff);
  return hihi + (lohi >> 32) + (hilo >> 32) + (mid >> 32);
}

/** (m × (hi·2^64 + lo)) >> j, for 64 < j < 128. */
function mulShift64(m: u64, lo: u64, hi: u64, j: i32): u64 {
  const b0High = mulHigh(m, lo);
  const b2Low = m * hi;
  const b2High = mulHigh(m, hi);
  const sumLow = b2Low + b0High;
  const sumHigh = b2High + (sumLow < b2Low ? 1 : 0);
  const shift = <u64>(j - 64);
  if (shift == 0) return sumLow;
  return (sumLow >> shift) | (sumHigh << (64 - shift));
}

/** The result of shortest(): decimal digits and the power of ten they are multiplied by. */
export let decimalDigits: u64 = 0;
export let decimalExponent: i32 = 0;

/** The shortest, correctly rounded decimal of a finite positive double's bits. */
function shortest(ieeeMantissa: u64, ieeeExponent: u32): void {
  let e2: i32;
  let m2: u64;
  if (ieeeExponent == 0) {
    e2 = 1 - BIAS - MANTISSA_BITS - 2;
    m2 = ieeeMantissa;
  } else {
    e2 = <i32>ieeeExponent - BIAS - MANTISSA_BITS - 2;
    m2 = (<u64>1 << MANTISSA_BITS) | ieeeMantissa;
  }
  const even = (m2 & 1) == 0;
  const acceptBounds = even;
  const mv = 4 * m2;
  const mmShift: u64 = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0;

  let vr: u64;
  let vp: u64;
  let vm: u64;
  let e10: i32;
  let vmIsTrailingZeros = false;
  let vrIsTrailingZeros = false;
  if (e2 >= 0) {
    const q = log10Pow2(e2) - (e2 > 3 ? 1 : 0);
    e10 = q;
    const k = POW5_INV_BITCOUNT + pow5bits(q) - 1;
    const i = -e2 + q + k;
    const entry = pow5Tables + (<usize>q << 4);
    const lo = load<u64>(entry);
    const hi = load<u64>(entry, 8);
    vr = mulShift64(4 * m2, lo, hi, i);
    vp = mulShift64(4 * m2 + 2, lo, hi, i);
    vm = mulShift64(4 * m2 - 1 - mmShift, lo, hi, i);
    if (q <= 21) {
      if (mv % 5 == 0) vrIsTrailingZeros = multipleOfPowerOf5(mv, q);
      else if (acceptBounds) vmIsTrailingZeros = multipleOfPowerOf5(mv - 1 - mmShift, q);
      else vp -= multipleOfPowerOf5(mv + 2, q) ? 1 : 0;
    }
  } else {
    const q = log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
    e10 = q + e2;
    const i = -e2 - q;
    const k = pow5bits(i) - POW5_BITCOUNT;
    const j = q - k;
    const entry = pow5Tables + (<usize>(POW5_INV_ENTRIES + i) << 4);
    const lo = load<u64>(entry);
    const hi = load<u64>(entry, 8);
    vr = mulShift64(4 * m2, lo, hi, j);
    vp = mulShift64(4 * m2 + 2, lo, hi, j);
    vm = mulShift64(4 * m2 - 1 - mmShift, lo, hi, j);
    if (q <= 1) {
      vrIsTrailingZeros = true;
      if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
      else vp--;
    } else if (q < 63) {
      vrIsTrailingZeros = multipleOfPowerOf2(mv, q);
    }
  }

  let removed = 0;
  let lastRemovedDigit: u64 = 0;
  let output: u64;
  if (vmIsTrailingZeros || vrIsTrailingZeros) {
    // The rare general case: exact ties and trailing zeros matter.
    while (vp / 10 > vm / 10) {
      vmIsTrailingZeros = vmIsTrailingZeros && vm % 10 == 0;
      vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0;
      lastRemovedDigit = vr % 10;
      vr /= 10;
      vp /= 10;
      vm /= 10;
      removed++;
    }
    if (vmIsTrailingZeros) {
      while (vm % 10 == 0) {
        vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0;
        lastRemovedDigit = vr % 10;
        vr /= 10;
        vp /= 10;
        vm /= 10;
        removed++;
      }
    }
    // Exactly halfway: round to even.
    if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4;
    output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1 : 0);
  } else {
    let roundUp = false;
    if (vp / 100 > vm / 100) {
      roundUp = vr % 100 >= 50;
      vr /= 100;
      vp /= 100;
      vm /= 100;
      removed += 2;
    }
    while (vp / 10 > vm / 10) {
      roundUp = vr % 10 >= 5;
      vr /= 10;
      vp /= 10;
      vm /= 10;
      removed++;
    }
    output = vr + (vr == vm || roundUp ? 1 : 0);
  }
  decimalDigits = output;
  decimalExponent = e10 + removed;
}

/** 10^0 … 10^19. */
const POW10: usize = memory.data<u64>([
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
  1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
  1000000000000000000, 10000000000000000000,
]);

// @ts-ignore: decorator
@inline function pow10(n: i32): u64 {
  return load<u64>(POW10 + (<usize>n << 3));
}

export function digitCount(v: u64): i32 {
  let n = 1;
  while (n < 20 && v >= pow10(n)) n++;
  return n;
}

/** "00" … "99": two digits per division. */
const DIGIT_PAIRS: usize = memory.data(200);

export function buildDigitPairs(): void {
  for (let i: u32 = 0; i < 100; i++) {
    store<u8>(DIGIT_PAIRS + (<usize>i << 1), <u8>(48 + i / 10));
    store<u8>(DIGIT_PAIRS + (<usize>i << 1) + 1, <u8>(48 + i % 10));
  }
}

/** Writes the `count` (≤ 8) low decimal digits of a 32-bit v ending just before `end`. */
function writeDigits32(v: u32, end: usize, count: i32): void {
  let p = end;
  let left = count;
  while (left >= 2) {
    const q = v / 100;
    p -= 2;
    store<u16>(p, load<u16>(DIGIT_PAIRS + (<usize>(v - q * 100) << 1)));
    v = q;
    left -= 2;
  }
  if (left > 0) store<u8>(p - 1, <u8>(48 + v % 10));
}

/**
 * Writes the `count` decimal digits of v ending just before `end`. 64-bit
 * division is slow: split off eight digits at a time, then work in 32 bits.
 */
export function writeDigits(v: u64, end: usize, count: i32): void {
  let p = end;
  let left = count;
  while (left > 8) {
    const high = v / 100000000;
    writeDigits32(<u32>(v - high * 100000000), p, 8);
    p -= 8;
    v = high;
    left -= 8;
  }
  writeDigits32(<u32>v, p, left);
}

/**
 * Writes a finite double at `out` as JavaScript's String(x) does (shortest
 * round-trip digits; plain notation for 1e-7 ≤ |x| < 1e21, otherwise
 * d.ddde±n) and returns the number of bytes. -0 and non-finite values are
 * the caller's: it writes them as its format wants.
 */
export function writeShortest(x: f64, out: usize): i32 {
  const bits = reinterpret<u64>(x);
  let p = out;
  if (bits >> 63) {
    store<u8>(p++, 45); // '-'
  }
  const ieeeMantissa = bits & ((<u64>1 << MANTISSA_BITS) - 1);
  const ieeeExponent = <u32>((bits >> MANTISSA_BITS) & ((1 << EXPONENT_BITS) - 1));
  if (ieeeExponent == 0 && ieeeMantissa == 0) {
    store<u8>(p++, 48);
    return <i32>(p - out);
  }
  shortest(ieeeMantissa, ieeeExponent);
  const digits = decimalDigits;
  const k = digitCount(digits);
  const n = decimalExponent + k; // x = 0.d1d2…dk × 10^n
  if (k <= n && n <= 21) {
    writeDigits(digits, p + <usize>k, k);
    p += <usize>k;
    for (let i = k; i < n; i++) store<u8>(p++, 48);
  } else if (0 < n && n <= 21) {
    // d1…dn . dn+1…dk
    writeDigits(digits / pow10(k - n), p + <usize>n, n);
    p += <usize>n;
    store<u8>(p++, 46);
    writeDigits(digits % pow10(k - n), p + <usize>(k - n), k - n);
    p += <usize>(k - n);
  } else if (-6 < n && n <= 0) {
    store<u8>(p++, 48);
    store<u8>(p++, 46);
    for (let i = n; i < 0; i++) store<u8>(p++, 48);
    writeDigits(digits, p + <usize>k, k);
    p += <usize>k;
  } else {
    // d1[.d2…dk]e±(n-1)
    const lead = digits / pow10(k - 1);
    store<u8>(p++, <u8>(48 + <u32>lead));
    if (k > 1) {
      store<u8>(p++, 46);
      writeDigits(digits % pow10(k - 1), p + <usize>(k - 1), k - 1);
      p += <usize>(k - 1);
    }
    store<u8>(p++, 101); // 'e'
    let e = n - 1;
    store<u8>(p++, e < 0 ? 45 : 43);
    if (e < 0) e = -e;
    const en = digitCount(<u64>e);
    writeDigits(<u64>e, p + <usize>en, en);
    p += <usize>en;
  }
  return <i32>(p - out);
}

