/** The crc-32 package ships no types for its CRC-32C entry point. */
declare module 'crc-32/crc32c' {
  /** CRC-32C (Castagnoli) of a byte array; `seed` continues a previous CRC. Returns a signed 32-bit int. */
  export function buf(data: Uint8Array, seed?: number): number;
  export function str(data: string, seed?: number): number;
}
