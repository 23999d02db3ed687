'use strict';
/**
 * CRC-32C (Castagnoli), slicing by 8, and TFRecord's masked form. The bench's
 * own copy: corpora are written without featherboard's code, so the encoder
 * cannot share a mistake with the reader it measures.
 */
const POLY = 0x82f63b78;
const T = new Int32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++)
  for (let s = 1; s < 8; s++) T[s * 256 + n] = (T[(s - 1) * 256 + n] >>> 8) ^ T[T[(s - 1) * 256 + n] & 0xff];

/** CRC-32C of buf[start, end). */
function crc32c(buf, start = 0, end = buf.length) {
  let c = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
    c =
      T[1792 + (a & 0xff)] ^
      T[1536 + ((a >>> 8) & 0xff)] ^
      T[1280 + ((a >>> 16) & 0xff)] ^
      T[1024 + (a >>> 24)] ^
      T[768 + buf[i + 4]] ^
      T[512 + buf[i + 5]] ^
      T[256 + buf[i + 6]] ^
      T[buf[i + 7]];
  }
  for (; i < end; i++) c = T[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** TFRecord's mask: rotate right by 15 bits and add a constant, so a CRC of CRCs is not trivial. */
function maskedCrc32c(buf, start, end) {
  const c = crc32c(buf, start, end);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

module.exports = { crc32c, maskedCrc32c };
