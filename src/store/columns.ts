/** Growable typed-array columns: amortised O(1) push, no per-point objects. */

type TypedArray = Float64Array | Uint8Array;

abstract class Column<T extends TypedArray> {
  protected data: T;
  length = 0;

  constructor(capacity: number) {
    this.data = this.allocate(Math.max(capacity, 4));
  }

  protected abstract allocate(n: number): T;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.allocate(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  get(i: number): number {
    return this.data[i] as number;
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
