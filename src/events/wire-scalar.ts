import { DATA_CLASS, DT, type TagMetadata } from './types';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The shape of nearly every record in a training logdir: an Event holding
 * one Summary.Value that is a scalar — PyTorch's `simple_value` or TF2's
 * rank-0 float/double tensor — possibly with its metadata; and the
 * file_version event each file starts with. This reads exactly those from
 * the protobuf wire format without building generic message objects (or
 * loading protobufjs at all); anything else (several values, other fields,
 * a field twice, steps beyond 2^49, text that is not UTF-8) is declined and
 * left to the general decoder.
 */
export class WireScalar {
  wallTime = 0;
  step = 0;
  tag = '';
  /** True for `simple_value`, false for a tensor. */
  simple = false;
  dtype: number = DT.FLOAT;
  value = 0;
  /** The value's SummaryMetadata, when it had one (a tag's first value usually does). */
  metadata: TagMetadata | undefined;
  /** The version string of a file_version event (see readFileVersion). */
  fileVersion = '';

  /** Tags seen, by their bytes, so each tag string is decoded (and hashed) once. */
  private readonly tags = new Map<number, TagEntry[]>();
  /**
   * The tag of the previous record: writers cycle through their tags in a fixed order, so its `next` is usually right.
   */
  private lastTag: TagEntry | undefined;
  private readonly f64 = new Float64Array(1);
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);
  private readonly f32 = new Float32Array(1);
  private readonly f32Bytes = new Uint8Array(this.f32.buffer);
  /** Read position, and the end of the varint just read. */
  private p = 0;

  /** Fill this object from `data`; false when the record is not a plain scalar event. */
  read(data: Uint8Array): boolean {
    return this.parse(data, 0, data.length);
  }

  /** Fill wallTime, step and fileVersion from `data`; false when it is not a lone file_version event. */
  readFileVersion(data: Uint8Array): boolean {
    let sawWallTime = false;
    let sawStep = false;
    let version: string | undefined;
    const end = data.length;
    this.wallTime = 0;
    this.step = 0;
    this.p = 0;
    while (this.p < end) {
      const key = data[this.p++] as number;
      if (key === 0x09 && !sawWallTime) {
        if (this.p + 8 > end) return false;
        this.wallTime = this.readF64(data, this.p);
        this.p += 8;
        sawWallTime = true;
      } else if (key === 0x10 && !sawStep) {
        const step = this.varint(data, end);
        if (step < 0) return false;
        this.step = step;
        sawStep = true;
      } else if (key === 0x1a && version === undefined) {
        version = this.text(data, end);
        if (version === undefined) return false;
      } else {
        return false;
      }
    }
    if (version === undefined) return false;
    this.fileVersion = version;
    return true;
  }

  private parse(data: Uint8Array, start: number, end: number): boolean {
    let sawWallTime = false;
    let sawStep = false;
    let sawSummary = false;
    this.wallTime = 0;
    this.step = 0;
    this.p = start;
    while (this.p < end) {
      const key = data[this.p++] as number;
      if (key === 0x09 && !sawWallTime) {
        // wall_time: double
        if (this.p + 8 > end) return false;
        this.wallTime = this.readF64(data, this.p);
        this.p += 8;
        sawWallTime = true;
      } else if (key === 0x10 && !sawStep) {
        // step: int64 varint; only non-negative values below 2^49 here.
        const step = this.varint(data, end);
        if (step < 0) return false;
        this.step = step;
        sawStep = true;
      } else if (key === 0x2a && !sawSummary) {
        const len = this.varint(data, end);
        if (len < 0 || this.p + len > end) return false;
        const summaryEnd = this.p + len;
        if (!this.summary(data, this.p, summaryEnd)) return false;
        this.p = summaryEnd;
        sawSummary = true;
      } else {
        return false;
      }
    }
    return sawSummary;
  }

  /** Summary: exactly one `value` (field 1) filling the message. */
  private summary(data: Uint8Array, start: number, end: number): boolean {
    this.p = start;
    if (this.p >= end || data[this.p++] !== 0x0a) return false;
    const len = this.varint(data, end);
    if (len < 0 || this.p + len !== end) return false;
    return this.summaryValue(data, this.p, end);
  }

  /** Summary.Value: a tag and a simple_value or a scalar tensor, and perhaps metadata; nothing else. */
  private summaryValue(data: Uint8Array, start: number, end: number): boolean {
    this.p = start;
    let tag: string | undefined;
    let haveValue = false;
    this.metadata = undefined;
    let sawMetadata = false;
    while (this.p < end) {
      const key = data[this.p++] as number;
      if (key === 0x4a && !sawMetadata) {
        // metadata: SummaryMetadata
        const len = this.varint(data, end);
        if (len < 0 || this.p + len > end) return false;
        const metadataEnd = this.p + len;
        const metadata = this.summaryMetadata(data, metadataEnd);
        if (metadata === undefined) return false;
        this.metadata = metadata;
        this.p = metadataEnd;
        sawMetadata = true;
        continue;
      }
      if (key === 0x0a && tag === undefined) {
        const len = this.varint(data, end);
        if (len <= 0 || this.p + len > end) return false;
        tag = this.tagAt(data, this.p, this.p + len);
        if (tag === undefined) return false;
        this.p += len;
      } else if (key === 0x15 && !haveValue) {
        // simple_value: float
        if (this.p + 4 > end) return false;
        this.value = this.readF32(data, this.p);
        this.p += 4;
        this.simple = true;
        this.dtype = DT.FLOAT;
        haveValue = true;
      } else if (key === 0x42 && !haveValue) {
        const len = this.varint(data, end);
        if (len < 0 || this.p + len > end) return false;
        const tensorEnd = this.p + len;
        if (!this.tensor(data, this.p, tensorEnd)) return false;
        this.p = tensorEnd;
        this.simple = false;
        haveValue = true;
      } else {
        return false;
      }
    }
    if (tag === undefined || !haveValue) return false;
    this.tag = tag;
    return true;
  }

  /**
   * SummaryMetadata: plugin_data (plugin_name, content), display_name, summary_description, data_class, each at most
   * once.
   */
  private summaryMetadata(data: Uint8Array, end: number): TagMetadata | undefined {
    const md: TagMetadata = {
      pluginName: '',
      pluginContent: new Uint8Array(0),
      displayName: '',
      description: '',
      dataClass: DATA_CLASS.UNKNOWN,
    };
    const seen = new Set<number>();
    while (this.p < end) {
      const key = data[this.p++] as number;
      if (seen.has(key)) return undefined;
      seen.add(key);
      if (key === 0x0a) {
        const len = this.varint(data, end);
        if (len < 0 || this.p + len > end) return undefined;
        const pluginDataEnd = this.p + len;
        const sawPart = new Set<number>();
        while (this.p < pluginDataEnd) {
          const part = data[this.p++] as number;
          if (sawPart.has(part)) return undefined;
          sawPart.add(part);
          if (part === 0x0a) {
            const name = this.text(data, pluginDataEnd);
            if (name === undefined) return undefined;
            md.pluginName = name;
          } else if (part === 0x12) {
            const n = this.varint(data, pluginDataEnd);
            if (n < 0 || this.p + n > pluginDataEnd) return undefined;
            md.pluginContent = new Uint8Array(data.subarray(this.p, this.p + n)); // a copy (Buffer.slice would share)
            this.p += n;
          } else {
            return undefined;
          }
        }
      } else if (key === 0x12 || key === 0x1a) {
        const s = this.text(data, end);
        if (s === undefined) return undefined;
        if (key === 0x12) md.displayName = s;
        else md.description = s;
      } else if (key === 0x20) {
        // data_class: an enum, read as int32 by the general decoder; only plain small values here.
        const c = this.varint(data, end);
        if (c < 0 || c > 0x7fffffff) return undefined;
        md.dataClass = c;
      } else {
        return undefined;
      }
    }
    return md;
  }

  /** A length-delimited UTF-8 string at `p` (advancing it); undefined when cut off or not UTF-8. */
  private text(data: Uint8Array, end: number): string | undefined {
    const len = this.varint(data, end);
    if (len < 0 || this.p + len > end) return undefined;
    let s: string;
    try {
      s = UTF8.decode(data.subarray(this.p, this.p + len));
    } catch {
      return undefined;
    }
    this.p += len;
    return s;
  }

  /** TensorProto: dtype float or double, an empty (rank-0) shape, one value. */
  private tensor(data: Uint8Array, start: number, end: number): boolean {
    this.p = start;
    let dtype = -1;
    let count = 0;
    let width = 0;
    let at = 0;
    while (this.p < end) {
      const key = data[this.p++] as number;
      if (key === 0x08 && dtype < 0) {
        dtype = this.varint(data, end);
      } else if (key === 0x12) {
        // tensor_shape: must be empty (rank 0)
        if (this.varint(data, end) !== 0) return false;
      } else if (key === 0x2a || key === 0x32 || key === 0x22) {
        // packed float_val / double_val, or tensor_content
        const len = this.varint(data, end);
        if (len < 0 || this.p + len > end || count > 0) return false;
        width = key === 0x2a ? 4 : key === 0x32 ? 8 : len;
        if (len !== width || (width !== 4 && width !== 8)) return false;
        at = this.p;
        count = 1;
        this.p += len;
      } else if ((key === 0x2d || key === 0x31) && count === 0) {
        // a single unpacked float_val / double_val
        width = key === 0x2d ? 4 : 8;
        if (this.p + width > end) return false;
        at = this.p;
        count = 1;
        this.p += width;
      } else {
        return false;
      }
    }
    if (count !== 1) return false;
    if (dtype === DT.FLOAT && width === 4) this.value = this.readF32(data, at);
    else if (dtype === DT.DOUBLE && width === 8) this.value = this.readF64(data, at);
    else return false;
    this.dtype = dtype;
    return true;
  }

  /** A varint below 2^49 at `p` (advancing it), or -1 for longer or cut-off ones. */
  private varint(data: Uint8Array, end: number): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (this.p >= end) return -1;
      const b = data[this.p++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    return -1;
  }

  /** Little-endian doubles and floats of the bytes being read. */
  private readF64(data: Uint8Array, at: number): number {
    for (let i = 0; i < 8; i++) this.f64Bytes[i] = data[at + i] as number;
    return this.f64[0] as number;
  }

  private readF32(data: Uint8Array, at: number): number {
    for (let i = 0; i < 4; i++) this.f32Bytes[i] = data[at + i] as number;
    return this.f32[0] as number;
  }

  /**
   * The tag string for these bytes: the same string object every time they
   * recur. Undefined for invalid UTF-8, which the general decoder handles.
   */
  private tagAt(data: Uint8Array, start: number, end: number): string | undefined {
    const guess = this.lastTag?.next;
    if (guess !== undefined && sameBytes(guess.bytes, data, start, end)) {
      this.lastTag = guess;
      return guess.tag;
    }
    const entry = this.lookUpTag(data, start, end);
    if (entry === undefined) return undefined;
    if (this.lastTag !== undefined) this.lastTag.next = entry;
    this.lastTag = entry;
    return entry.tag;
  }

  private lookUpTag(data: Uint8Array, start: number, end: number): TagEntry | undefined {
    let h = end - start;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (data[i] as number)) | 0;
    let bucket = this.tags.get(h);
    if (bucket !== undefined) {
      for (const t of bucket) if (sameBytes(t.bytes, data, start, end)) return t;
    } else {
      bucket = [];
      this.tags.set(h, bucket);
    }
    const bytes = new Uint8Array(data.subarray(start, end)); // a copy, never a view of the chunk
    let tag: string;
    try {
      tag = UTF8.decode(bytes);
    } catch {
      return undefined;
    }
    const entry: TagEntry = { bytes, tag, next: undefined };
    // A few hundred distinct tags per file is usual; stop remembering past that.
    if (this.tags.size < 4096) bucket.push(entry);
    return entry;
  }
}

/** A tag's bytes and string, and the tag that followed it last time. */
interface TagEntry {
  bytes: Uint8Array;
  tag: string;
  next: TagEntry | undefined;
}

function sameBytes(a: Uint8Array, data: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== data[start + i]) return false;
  return true;
}
