/** Growable typed-array columns: amortised O(1) push, no per-point objects. */

type TypedArray = Float64Array | Uint8Array;

/** What a numeric column's view() may be: narrow while the data allows it, Float64 otherwise. */
export type NumericColumnView = Float64Array | Float32Array | Uint32Array;

/** Entries from which a column grows by a quarter instead of doubling. */
const LARGE_COLUMN = 1 << 16;

/**
 * The next capacity of a full column of `n` entries: doubling while small;
 * a quarter more once large, so a big series adopted at exact size (from a
 * worker) and then tailed on keeps at most 25% of its size spare, not 100%.
 */
export function grownCapacity(n: number): number {
  return n < LARGE_COLUMN ? n * 2 : n + (n >> 2);
}

abstract class Column<T extends TypedArray> {
  protected data: T;
  length = 0;

  constructor(capacity: number) {
    this.data = this.allocate(Math.max(capacity, 4));
  }

  protected abstract allocate(n: number): T;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.allocate(grownCapacity(this.data.length));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** Appends every entry of `src` (a typed-array copy, not a loop). */
  pushAll(src: T): void {
    if (this.length + src.length > this.data.length) {
      let n = this.data.length;
      while (n < this.length + src.length) n = grownCapacity(n);
      const bigger = this.allocate(n);
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    this.data.set(src, this.length);
    this.length += src.length;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  /** Entries the column holds room for before it next grows. */
  get capacity(): number {
    return this.data.length;
  }

  /** A view of the filled part; valid until the next push. */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /** An exact-size copy of the filled part: what to hand to another thread. */
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }

  /** Take over `filled` (e.g. from a worker thread) as the whole content, without a copy. */
  adopt(filled: T): void {
    this.data = filled.length > 0 ? filled : this.allocate(4);
    this.length = filled.length;
  }

  /** Keep only the entries whose index passes `keep`, preserving order. */
  compact(keep: Uint8Array): void {
    let w = 0;
    for (let r = 0; r < this.length; r++) {
      if (keep[r]) this.data[w++] = this.data[r] as number;
    }
    this.length = w;
  }
}

export class Float64Column extends Column<Float64Array> {
  protected allocate(n: number): Float64Array {
    return new Float64Array(n);
  }
}

export class Uint8Column extends Column<Uint8Array> {
  protected allocate(n: number): Uint8Array {
    return new Uint8Array(n);
  }
}

/**
 * A numeric column stored in a narrow typed array (N) while every value
 * pushed is exactly representable in it, and as Float64 from the first one
 * that is not: it widens once, copying, and stays wide. Reads give back
 * exactly the numbers pushed (a narrow value widened to double is exact).
 */
abstract class WideningColumn<N extends Float32Array | Uint32Array> {
  protected data: N | Float64Array;
  length = 0;
  /** True once the column holds Float64 (then no value needs checking). */
  protected wide = false;

  constructor(capacity: number) {
    this.data = this.allocateNarrow(Math.max(capacity, 4));
  }

  protected abstract allocateNarrow(n: number): N;

  get isWide(): boolean {
    return this.wide;
  }

  protected widen(): void {
    const doubles = new Float64Array(this.data.length);
    doubles.set(this.data.subarray(0, this.length));
    this.data = doubles;
    this.wide = true;
  }

  protected grow(atLeast = this.data.length + 1): void {
    let n = grownCapacity(this.data.length);
    while (n < atLeast) n = grownCapacity(n);
    const bigger = this.wide ? new Float64Array(n) : this.allocateNarrow(n);
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }

  /**
   * Appends every entry of `src` with typed-array copies; `fitsNarrow` says
   * whether all of them fit the narrow array (the caller knows: see push()).
   */
  pushAll(src: Float64Array, fitsNarrow: boolean): void {
    if (!this.wide && !fitsNarrow) this.widen();
    if (this.length + src.length > this.data.length) this.grow(this.length + src.length);
    this.data.set(src, this.length);
    this.length += src.length;
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  /** Entries the column holds room for before it next grows. */
  get capacity(): number {
    return this.data.length;
  }

  /** A view of the filled part; valid until the next push. */
  view(): N | Float64Array {
    return this.data.subarray(0, this.length) as N | Float64Array;
  }

  /** An exact-size copy of the filled part: what to hand to another thread. */
  trimmed(): N | Float64Array {
    return this.data.slice(0, this.length) as N | Float64Array;
  }

  /** Take over `filled` (e.g. from a worker thread) as the whole content, without a copy. */
  adopt(filled: N | Float64Array): void {
    // By element size, not instanceof: arrays cloned from another realm have other constructors.
    this.wide = filled.BYTES_PER_ELEMENT === 8;
    this.data = filled.length > 0 ? filled : this.wide ? new Float64Array(4) : this.allocateNarrow(4);
    this.length = filled.length;
  }

  /** Keep only the entries whose index passes `keep`, preserving order (and the current width). */
  compact(keep: Uint8Array): void {
    const data = this.data;
    let w = 0;
    for (let r = 0; r < this.length; r++) {
      if (keep[r]) data[w++] = data[r] as number;
    }
    this.length = w;
  }
}

/**
 * Steps: Uint32 while every step is an integer in [0, 2^32) (and not -0),
 * which is what training loops write; Float64 from the first that is not.
 */
export class StepColumn extends WideningColumn<Uint32Array> {
  protected allocateNarrow(n: number): Uint32Array {
    return new Uint32Array(n);
  }

  push(v: number): void {
    // `v >>> 0 === v` holds exactly for the integers 0 .. 2^32-1, and -0; 1/-0 is -Infinity.
    if (!this.wide && (v >>> 0 !== v || (v === 0 && 1 / v < 0))) this.widen();
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
}

/**
 * Scalar values: Float32 while every value is exactly a float32 (float32
 * summaries, the common case, and NaN, ±Infinity, ±0), Float64 from the
 * first that is not.
 */
export class ValueColumn extends WideningColumn<Float32Array> {
  protected allocateNarrow(n: number): Float32Array {
    return new Float32Array(n);
  }

  push(v: number): void {
    // fround keeps ±0 and ±Infinity; NaN fails === but is stored as NaN all the same.
    if (!this.wide && Math.fround(v) !== v && !Number.isNaN(v)) this.widen();
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
}
