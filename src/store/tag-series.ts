import type { DecodedTensor, TagMetadata } from '../events/types';
import { Float64Column, StepColumn, Uint8Column, ValueColumn } from './columns';

/** A tensor that is not a plain scalar, with the file its byte references point into. */
export interface StoredTensor {
  tensor: DecodedTensor;
  file: string;
}

/** One point of a series, materialised on request. */
export interface SeriesPoint {
  step: number;
  wallTime: number;
  dtype: number;
  /** The value of a scalar point. */
  value?: number;
  /** The tensor of any other point. */
  stored?: StoredTensor;
}

/** A series as plain data (typed arrays, cloneable objects), for crossing threads. */
export interface SeriesState {
  tag: string;
  /** Uint32 while every step fits, else Float64 (see StepColumn). */
  steps: Uint32Array | Float64Array;
  wallTimes: Float64Array;
  /** Float32 while every value is exactly a float32, else Float64 (see ValueColumn). */
  values: Float32Array | Float64Array;
  dtypes: Uint8Array;
  tensors: (StoredTensor | undefined)[] | undefined;
  version: number;
}

function isPlainScalar(t: DecodedTensor): t is Extract<DecodedTensor, { kind: 'numeric' }> {
  return t.kind === 'numeric' && t.shape.length === 0 && t.values.length === 1;
}

/**
 * Every point of one tag in one run, in arrival order, stored by column:
 * steps, wall times and scalar values are typed arrays (steps Uint32 and
 * values Float32 while the data allows it: 16 bytes a float32 point instead
 * of 24); other tensors are kept in a side array that exists only once such
 * a point arrives.
 */
export class TagSeries {
  readonly steps = new StepColumn(16);
  readonly wallTimes = new Float64Column(16);
  /** Scalar values; NaN placeholders where a point holds a tensor. */
  readonly values = new ValueColumn(16);
  readonly dtypes = new Uint8Column(16);
  private tensors: (StoredTensor | undefined)[] | undefined;
  /** Bumped on every change, so readers can tell what is new. */
  version = 0;

  constructor(readonly tag: string) {}

  get length(): number {
    return this.steps.length;
  }

  /** True while every point is a plain scalar (the columnar fast path). */
  get allScalar(): boolean {
    return this.tensors === undefined;
  }

  push(step: number, wallTime: number, tensor: DecodedTensor, file: string): void {
    const index = this.steps.length;
    this.steps.push(step);
    this.wallTimes.push(wallTime);
    this.dtypes.push(tensor.dtype);
    if (isPlainScalar(tensor)) {
      this.values.push(tensor.values[0] as number);
      if (this.tensors !== undefined) this.tensors.push(undefined);
    } else {
      this.values.push(NaN);
      if (this.tensors === undefined) this.tensors = new Array<StoredTensor | undefined>(index).fill(undefined);
      this.tensors.push({ tensor, file });
    }
    this.version++;
  }

  /** Exact-size copies of the columns: transfer their buffers, the series keeps its own. */
  toState(): SeriesState {
    return {
      tag: this.tag,
      steps: this.steps.trimmed(),
      wallTimes: this.wallTimes.trimmed(),
      values: this.values.trimmed(),
      dtypes: this.dtypes.trimmed(),
      tensors: this.tensors,
      version: this.version,
    };
  }

  static fromState(state: SeriesState): TagSeries {
    const s = new TagSeries(state.tag);
    s.steps.adopt(state.steps);
    s.wallTimes.adopt(state.wallTimes);
    s.values.adopt(state.values);
    s.dtypes.adopt(state.dtypes);
    s.tensors = state.tensors;
    s.version = state.version;
    return s;
  }

  /**
   * Plain scalar points in bulk (pushScalar() of each, in order), from a
   * scanned batch: `stepsFit32` / `valuesFit32` say whether every step is
   * below 2^32 and every value exactly a float32.
   */
  pushScalars(
    steps: Float64Array,
    wallTimes: Float64Array,
    dtypes: Uint8Array,
    values: Float64Array,
    stepsFit32: boolean,
    valuesFit32: boolean,
  ): void {
    this.steps.pushAll(steps, stepsFit32);
    this.wallTimes.pushAll(wallTimes);
    this.dtypes.pushAll(dtypes);
    this.values.pushAll(values, valuesFit32);
    if (this.tensors !== undefined) for (let i = 0; i < steps.length; i++) this.tensors.push(undefined);
    this.version++;
  }

  /** A plain scalar point: what push() does for a rank-0 one-value tensor, without the tensor. */
  pushScalar(step: number, wallTime: number, dtype: number, value: number): void {
    this.steps.push(step);
    this.wallTimes.push(wallTime);
    this.dtypes.push(dtype);
    this.values.push(value);
    if (this.tensors !== undefined) this.tensors.push(undefined);
    this.version++;
  }

  point(i: number): SeriesPoint {
    const p: SeriesPoint = { step: this.steps.get(i), wallTime: this.wallTimes.get(i), dtype: this.dtypes.get(i) };
    const stored = this.tensors?.[i];
    if (stored !== undefined) p.stored = stored;
    else p.value = this.values.get(i);
    return p;
  }

  /** The tensor of point i, rebuilt for scalar points. */
  tensorAt(i: number): StoredTensor | undefined {
    return this.tensors?.[i];
  }

  /** Drop the points for which `drop(step)` holds; returns how many were dropped. */
  dropWhere(drop: (step: number) => boolean): number {
    const n = this.length;
    const keep = new Uint8Array(n);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (!drop(this.steps.get(i))) {
        keep[i] = 1;
        kept++;
      }
    }
    if (kept === n) return 0;
    this.steps.compact(keep);
    this.wallTimes.compact(keep);
    this.values.compact(keep);
    this.dtypes.compact(keep);
    if (this.tensors !== undefined) this.tensors = this.tensors.filter((_, i) => keep[i]);
    this.version++;
    return n - kept;
  }
}

export type { TagMetadata };
