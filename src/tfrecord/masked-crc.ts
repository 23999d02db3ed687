import { buf as crc32cSigned } from 'crc-32/crc32c';

/** Added to the rotated CRC by TFRecord's masking (from LevelDB's log format). */
const MASK_DELTA = 0xa282ead8;

/** CRC-32C (Castagnoli) of `data`, as an unsigned 32-bit integer. */
export function crc32c(data: Uint8Array): number {
  return crc32cSigned(data) >>> 0;
}

/**
 * TFRecord stores CRCs "masked" so that a CRC of data that itself holds CRCs
 * stays well distributed: rotate right by 15 bits, then add a constant.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** The masked CRC-32C that TFRecord writes after a length or a payload. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}

/** `0x` followed by eight hex digits, as CRC mismatches are reported. */
export function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}
