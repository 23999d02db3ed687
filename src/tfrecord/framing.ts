/**
 * TFRecord framing, per record:
 *   u64 LE length | u32 LE masked CRC-32C of those 8 bytes | data | u32 LE masked CRC-32C of data
 * and how its CRCs are masked. Written once here for both languages:
 * scripts/generate-wire-constants.js writes these out for the WebAssembly
 * scanner (wasm/generated/wire-constants.ts), so this file imports nothing.
 */
export const TFRECORD = {
  /** Length (8 bytes) and its masked CRC (4). */
  HEADER_BYTES: 12,
  /** The data's masked CRC. */
  FOOTER_BYTES: 4,
  /** CRC-32C (Castagnoli), bit-reversed, as table-driven CRCs use it. */
  CRC32C_POLYNOMIAL: 0x82f63b78,
  /** Masking (from LevelDB's log format): rotate the CRC right by this many bits… */
  MASK_ROTATION: 15,
  /** …then add this. */
  MASK_DELTA: 0xa282ead8,
} as const;
