import { encodeRecord } from '../../src/tfrecord/encode-record';
import { protoType } from '../../src/protobuf/schema';

/**
 * A tiny byte-builder for hand-made TFRecord streams in tests: readable
 * instead of opaque hex.
 */
export class RecordBuilder {
  private parts: Uint8Array[] = [];

  /** A well-formed record holding `data`. */
  record(data: Uint8Array | string): this {
    this.parts.push(encodeRecord(typeof data === 'string' ? new TextEncoder().encode(data) : data));
    return this;
  }

  /** An Event record from a plain object (protobufjs field names). */
  event(fields: Record<string, unknown>): this {
    const Event = protoType('Event');
    return this.record(Event.encode(Event.fromObject(fields)).finish());
  }

  /** Raw bytes, e.g. garbage. */
  raw(bytes: Uint8Array | number[]): this {
    this.parts.push(Uint8Array.from(bytes));
    return this;
  }

  /** Apply `f` to the bytes built so far (flip a bit, cut a tail...). */
  mutate(f: (bytes: Uint8Array) => Uint8Array): this {
    this.parts = [f(this.build())];
    return this;
  }

  /** Offset at which the next part starts. */
  get length(): number {
    return this.parts.reduce((n, p) => n + p.length, 0);
  }

  build(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** An Event with one simple_value scalar, in protobufjs object form. */
export function scalarEvent(tag: string, step: number, value: number, wallTime = 1000 + step): Record<string, unknown> {
  return { wallTime, step, summary: { value: [{ tag, simpleValue: value }] } };
}
