/**
 * The protobuf wire format, read by hand: featherboard's one reader for the
 * decoders that walk messages without protobufjs (plugin contents read
 * without a schema, a GraphDef walked node by node). Every read is checked
 * against the bytes left: a truncated or malformed field is a
 * WireFormatError, never a read past the end, and a length-delimited field's
 * declared length is checked before its bytes are taken (as a view: nothing
 * is allocated for a declared length). The WebAssembly scanner has its own
 * copy in AssemblyScript (wasm/scan-scalars.ts): one reader per language.
 */

/** The wire types of a field key's low three bits. */
export const WIRE_TYPE = {
  VARINT: 0,
  FIXED64: 1,
  LENGTH_DELIMITED: 2,
  START_GROUP: 3,
  END_GROUP: 4,
  FIXED32: 5,
} as const;

/** Bytes that are not the wire format they should be (cut short, or malformed). */
export class WireFormatError extends Error {
  override name = 'WireFormatError';
}

/** The longest varint the format allows: 64 bits in 7-bit groups. */
const MAX_VARINT_BYTES = 10;
/** Nesting of groups skipped at most, as protobufjs and protoc limit it. */
const MAX_GROUP_DEPTH = 100;

/** A field key: its number and wire type. */
export interface FieldKey {
  field: number;
  wireType: number;
}

export class WireReader {
  /** Where the next read starts. */
  pos: number;
  /** Where the message ends (exclusive). */
  readonly end: number;
  private view: DataView | undefined;

  /** Reads `bytes[start, end)`. */
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    end = bytes.length,
  ) {
    if (start < 0 || end > bytes.length || start > end) throw new RangeError(`bad range [${start}, ${end})`);
    this.pos = start;
    this.end = end;
  }

  /** Whether every byte of the message has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a number: exact below 2^53, the nearest double beyond (10-byte negative int64s included). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.end) throw new WireFormatError(`varint cut off at byte ${this.pos}`);
      const b = this.bytes[this.pos++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new WireFormatError(`varint longer than ${MAX_VARINT_BYTES} bytes at byte ${this.pos}`);
  }

  /**
   * A varint of at most five bytes below 2^32, as keys and lengths are
   * written (readers disagree on longer ones: protobufjs's uint32 skips
   * five more bytes, protoc drops the high bits).
   */
  varint32(): number {
    const at = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw new WireFormatError(`varint cut off at byte ${this.pos}`);
      const b = this.bytes[this.pos++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (result > 0xffffffff) break;
        return result;
      }
      scale *= 128;
    }
    throw new WireFormatError(`varint at byte ${at} is not a 32-bit one of at most 5 bytes`);
  }

  /** A field key, with its field number and wire type. */
  key(): FieldKey {
    const key = this.varint32();
    return { field: key >>> 3, wireType: key & 7 };
  }

  /** Four little-endian bytes, unsigned. */
  fixed32(): number {
    return this.dataView().getUint32(this.advance(4), true);
  }

  /** A little-endian float (widened to double). */
  float(): number {
    return this.dataView().getFloat32(this.advance(4), true);
  }

  /** A little-endian double. */
  double(): number {
    return this.dataView().getFloat64(this.advance(8), true);
  }

  /** A length-delimited field's bytes: a view of the input, its declared length checked first. */
  bytesField(): Uint8Array {
    return this.take(this.varint());
  }

  /** The next `length` bytes, as a view: a length checked against the bytes left before anything is taken. */
  take(length: number): Uint8Array {
    const start = this.advance(length);
    return this.bytes.subarray(start, start + length);
  }

  /** Passes over a field's value (its key just read); groups are skipped to their end, nested ones too. */
  skip(wireType: number, depth = 0): void {
    switch (wireType) {
      case WIRE_TYPE.VARINT:
        this.varint();
        return;
      case WIRE_TYPE.FIXED64:
        this.take(8);
        return;
      case WIRE_TYPE.LENGTH_DELIMITED:
        this.bytesField();
        return;
      case WIRE_TYPE.FIXED32:
        this.take(4);
        return;
      case WIRE_TYPE.START_GROUP: {
        if (depth >= MAX_GROUP_DEPTH) throw new WireFormatError(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
        for (;;) {
          const { wireType: inner } = this.key();
          if (inner === WIRE_TYPE.END_GROUP) return;
          this.skip(inner, depth + 1);
        }
      }
      default:
        throw new WireFormatError(`wire type ${wireType} cannot start a field (byte ${this.pos})`);
    }
  }

  /** Moves past `size` bytes, checked; returns where they start. */
  private advance(size: number): number {
    if (size > this.end - this.pos)
      throw new WireFormatError(`${size} bytes wanted at byte ${this.pos}, ${this.end - this.pos} are left`);
    const start = this.pos;
    this.pos += size;
    return start;
  }

  private dataView(): DataView {
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.view;
  }
}
