import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { maskedCrc32c } from '../../src/tfrecord/masked-crc';
import { LOGDIRS } from './golden-form';

/**
 * Damage for fuzzing the reader: real event files, hurt the ways real files
 * get hurt, with the records that must survive worked out from the framing
 * alone (never by asking the reader under test).
 */

/** One record of a clean file, located by walking its length fields. */
export interface Framed {
  offset: number;
  /** Header + data + footer. */
  end: number;
  length: number;
}

export interface FixtureFile {
  name: string;
  bytes: Uint8Array;
  records: Framed[];
}

/** Walks a clean TFRecord file; throws if it is not one. */
export function frame(bytes: Uint8Array): Framed[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Framed[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== maskedCrc32c(bytes.subarray(at, at + 8)))
      throw new Error(`not a clean file: bad header at ${at}`);
    const end = at + 16 + length;
    if (end > bytes.length) throw new Error(`not a clean file: record at ${at} runs past the end`);
    out.push({ offset: at, end, length });
    at = end;
  }
  return out;
}

/** Every intact fixture event file (the `damaged` logdir excluded), with its framing. */
export function fixtureFiles(): FixtureFile[] {
  const files: FixtureFile[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (full !== path.join(LOGDIRS, 'damaged')) walk(full);
      } else if (e.name.includes('tfevents')) {
        const bytes = new Uint8Array(fs.readFileSync(full));
        if (bytes.length > 0) files.push({ name: path.relative(LOGDIRS, full), bytes, records: frame(bytes) });
      }
    }
  };
  walk(LOGDIRS);
  return files;
}

/** Lengths a damaged header may declare: zero, absurd, and merely wrong. */
export const DECLARED_LENGTHS: readonly bigint[] = [
  0n,
  1n,
  0xffffffffn,
  0x100000000n,
  2n ** 40n,
  2n ** 53n + 1n,
  2n ** 63n,
  2n ** 64n - 1n,
  1024n ** 3n + 1n,
];

export type Damage =
  /** Flip one bit. */
  | { kind: 'flip'; at: number; bit: number }
  /** Remove `count` bytes. */
  | { kind: 'delete'; at: number; count: number }
  /** Insert bytes (garbage) before the byte at `at`. */
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  /** Overwrite with zeros (a hole from a lost write). */
  | { kind: 'zeros'; at: number; count: number }
  /** Rewrite record `record`'s header to declare `length`, with a valid or a wrong length CRC. */
  | { kind: 'header'; record: number; length: bigint; validCrc: boolean }
  /** The file ends here (a crash mid-write, a half copy). */
  | { kind: 'cut'; at: number };

/** A fast-check arbitrary of 1..maxDamages damages for `file`. */
export function damagesFor(file: FixtureFile, maxDamages = 3): fc.Arbitrary<Damage[]> {
  const n = file.bytes.length;
  const at = fc.integer({ min: 0, max: n - 1 });
  const damage: fc.Arbitrary<Damage> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 64 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('insert' as const),
        at: fc.integer({ min: 0, max: n }),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 96 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('zeros' as const), at, count: fc.integer({ min: 1, max: 256 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('header' as const),
        record: fc.integer({ min: 0, max: file.records.length - 1 }),
        length: fc.oneof(fc.constantFrom(...DECLARED_LENGTHS), fc.bigInt({ min: 0n, max: 100_000n })),
        validCrc: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), at }) },
  );
  return fc.array(damage, { minLength: 1, maxLength: maxDamages });
}

/** Where a damage sits in the original file: [start, end), end === start for an insertion. */
function span(file: FixtureFile, d: Damage): [number, number] {
  switch (d.kind) {
    case 'flip':
      return [d.at, d.at + 1];
    case 'delete':
    case 'zeros':
      return [d.at, Math.min(d.at + d.count, file.bytes.length)];
    case 'insert':
      return [d.at, d.at];
    case 'header': {
      const r = file.records[d.record] as Framed;
      return [r.offset, r.offset + 12];
    }
    case 'cut':
      return [d.at, file.bytes.length];
  }
}

export interface DamagedFile {
  bytes: Uint8Array;
  /** The damages applied, in file order (overlapping ones are dropped). */
  applied: Damage[];
  /** Untouched records: their offset in the damaged file and their payload. */
  intact: { offset: number; data: Uint8Array }[];
  /** Intact records the reader must return: wholly before the first damage, or after the last one's reach. */
  mustSurvive: Set<number>;
}

/**
 * Applies `damages` to a copy of `file`. Which intact records must survive
 * follows from the framing: a reader trusts a header whose length CRC
 * verifies, so a damage inside a record with an intact header (or a forged
 * header with a valid CRC) reaches as far as that header's declared extent;
 * any other damage reaches only its own end, from where scanning finds the
 * next intact header.
 */
export function applyDamages(file: FixtureFile, damages: Damage[]): DamagedFile {
  const sorted = [...damages].sort((a, b) => span(file, a)[0] - span(file, b)[0] || (a.kind === 'insert' ? -1 : 1));
  const applied: Damage[] = [];
  let lastEnd = -1;
  for (const d of sorted) {
    const [s, e] = span(file, d);
    // Overlapping damages are dropped, and nothing follows a cut.
    if (s < lastEnd || applied.some((a) => a.kind === 'cut')) continue;
    applied.push(d);
    lastEnd = e;
  }

  // Build the damaged bytes and a map from original to new offsets.
  const parts: Uint8Array[] = [];
  /** (original offset, shift applying to bytes at or after it). */
  const shifts: [number, number][] = [];
  let shift = 0;
  let pos = 0;
  const src = file.bytes;
  const spans: { newStart: number; newEnd: number; reachHeader?: { newOffset: number; length: bigint } }[] = [];
  for (const d of applied) {
    const [s, e] = span(file, d);
    parts.push(src.subarray(pos, s));
    pos = s;
    const newStart = s + shift;
    switch (d.kind) {
      case 'flip': {
        const b = Uint8Array.of((src[s] as number) ^ (1 << d.bit));
        parts.push(b);
        pos = e;
        spans.push({ newStart, newEnd: newStart + 1 });
        break;
      }
      case 'zeros':
        parts.push(new Uint8Array(e - s));
        pos = e;
        spans.push({ newStart, newEnd: newStart + (e - s) });
        break;
      case 'delete':
        pos = e;
        shift -= e - s;
        shifts.push([e, shift]);
        spans.push({ newStart, newEnd: newStart });
        break;
      case 'insert':
        parts.push(d.bytes);
        shift += d.bytes.length;
        shifts.push([s, shift]);
        spans.push({ newStart, newEnd: newStart + d.bytes.length });
        break;
      case 'header': {
        const h = new Uint8Array(12);
        const view = new DataView(h.buffer);
        view.setBigUint64(0, d.length, true);
        const crc = maskedCrc32c(h.subarray(0, 8));
        view.setUint32(8, d.validCrc ? crc : (crc ^ 0x5a5a5a5a) >>> 0, true);
        parts.push(h);
        pos = e;
        spans.push({
          newStart,
          newEnd: newStart + 12,
          ...(d.validCrc ? { reachHeader: { newOffset: newStart, length: d.length } } : {}),
        });
        break;
      }
      case 'cut':
        pos = src.length;
        spans.push({ newStart, newEnd: Infinity });
        break;
    }
  }
  parts.push(src.subarray(pos));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const newOffset = (orig: number): number => {
    let s = 0;
    for (const [from, value] of shifts) if (orig >= from) s = value;
    return orig + s;
  };

  // Records no damage touched (an insertion on a record boundary touches none).
  const touches = (r: Framed, d: Damage): boolean => {
    const [s, e] = span(file, d);
    if (d.kind === 'insert') return s > r.offset && s < r.end;
    return s < r.end && e > r.offset;
  };
  const intactRecords = file.records.filter((r) => !applied.some((d) => touches(r, d)));
  const intact = intactRecords.map((r) => ({
    offset: newOffset(r.offset),
    data: bytes.subarray(newOffset(r.offset) + 12, newOffset(r.offset) + 12 + r.length),
  }));

  // How far each damage reaches in the damaged file.
  let firstDamage = Infinity;
  let reach = -Infinity;
  applied.forEach((d, i) => {
    const sp = spans[i] as (typeof spans)[number];
    firstDamage = Math.min(firstDamage, sp.newStart);
    let r = sp.newEnd;
    if (sp.reachHeader !== undefined) r = Math.max(r, sp.reachHeader.newOffset + 16 + Number(sp.reachHeader.length));
    const [s] = span(file, d);
    const host = file.records.find((rec) =>
      d.kind === 'insert' ? s > rec.offset && s < rec.end : s >= rec.offset && s < rec.end,
    );
    // Damage behind an intact header: the reader takes that header's declared extent as one record.
    if (host !== undefined && d.kind !== 'header' && s >= host.offset + 12)
      r = Math.max(r, newOffset(host.offset) + host.end - host.offset);
    reach = Math.max(reach, r);
  });
  const mustSurvive = new Set<number>();
  intactRecords.forEach((rec, i) => {
    const o = (intact[i] as { offset: number }).offset;
    if (o + (rec.end - rec.offset) <= firstDamage || o >= reach) mustSurvive.add(o);
  });
  return { bytes, applied, intact, mustSurvive };
}

/** A pattern of chunk sizes (1-byte chunks included), cycled to split a stream. */
export const chunkPattern: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 4096 })),
  { minLength: 1, maxLength: 32 },
);

/** `bytes` cut into consecutive chunks whose sizes cycle through `pattern`. */
export function splitBy(bytes: Uint8Array, pattern: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = pattern[i % pattern.length] as number;
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}
