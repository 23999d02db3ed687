import { buf as crc32cSigned } from 'crc-32/crc32c';
import { TFRECORD } from './framing';

/**
 * CRC-32C as TFRecord uses it, masked: the one JavaScript implementation
 * (the WebAssembly scanner has its own, from the same constants in framing.ts).
 */

/** CRC-32C (Castagnoli) of `data`, as an unsigned 32-bit integer. */
export function crc32c(data: Uint8Array): number {
  return crc32cSigned(data) >>> 0;
}

/**
 * TFRecord stores CRCs "masked" so that a CRC of data that itself holds CRCs
 * stays well distributed: rotate right by 15 bits, then add a constant.
 */
export function maskCrc(crc: number): number {
  const r = TFRECORD.MASK_ROTATION;
  return ((((crc >>> r) | (crc << (32 - r))) >>> 0) + TFRECORD.MASK_DELTA) >>> 0;
}

/** The masked CRC-32C that TFRecord writes after a length or a payload. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}

/** `0x` followed by eight hex digits, as CRC mismatches are reported. */
export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** CRC-32C lookup tables for slicing by 8 bytes (table t advances a byte by t more positions). */
const SLICE_TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ TFRECORD.CRC32C_POLYNOMIAL : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n] as number;
    for (let s = 1; s < 8; s++) {
      c = (t[c & 0xff] as number) ^ (c >>> 8);
      t[s * 256 + n] = c;
    }
  }
  return t;
})();

/** From this many bytes on, the crc-32 package (slicing by 16) is the faster one. */
const LARGE_RANGE = 256;

/**
 * CRC-32C of `data[start, end)` without making a subarray: a reader checks
 * two CRCs per record, and for the typical 30–60-byte scalar record the
 * view allocation costs more than the CRC itself.
 */
export function crc32cRange(data: Uint8Array, start: number, end: number): number {
  if (end - start >= LARGE_RANGE) return crc32c(data.subarray(start, end));
  const T = SLICE_TABLES;
  let c = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const lo =
      c ^
      ((data[i] as number) |
        ((data[i + 1] as number) << 8) |
        ((data[i + 2] as number) << 16) |
        ((data[i + 3] as number) << 24));
    c =
      (T[1792 + (lo & 0xff)] as number) ^
      (T[1536 + ((lo >>> 8) & 0xff)] as number) ^
      (T[1280 + ((lo >>> 16) & 0xff)] as number) ^
      (T[1024 + (lo >>> 24)] as number) ^
      (T[768 + (data[i + 4] as number)] as number) ^
      (T[512 + (data[i + 5] as number)] as number) ^
      (T[256 + (data[i + 6] as number)] as number) ^
      (T[data[i + 7] as number] as number);
  }
  for (; i < end; i++) c = (T[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** The masked CRC-32C of `data[start, end)`. */
export function maskedCrc32cRange(data: Uint8Array, start: number, end: number): number {
  return maskCrc(crc32cRange(data, start, end));
}
