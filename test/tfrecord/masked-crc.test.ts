import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32c, hex32, maskCrc, maskedCrc32c } from '../../src/tfrecord/masked-crc';
import { LOGDIRS } from '../support/golden-form';

describe('CRC-32C', () => {
  // Test vectors from RFC 3720 (iSCSI), appendix B.4, and the standard check value.
  it.each([
    ['32 zero bytes', new Uint8Array(32), 0x8a9136aa],
    ['32 bytes of 0xff', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['bytes 0..31', Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ['bytes 31..0', Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c],
    ['"123456789"', new TextEncoder().encode('123456789'), 0xe3069283],
  ])('%s', (_name, data, expected) => {
    expect(crc32c(data)).toBe(expected);
  });

  it('masks as TFRecord does: rotate right 15, add 0xa282ead8', () => {
    expect(maskCrc(0)).toBe(0xa282ead8);
    expect(maskCrc(0x00008000)).toBe((0x00000001 + 0xa282ead8) >>> 0);
    expect(maskCrc(0xffffffff)).toBe((0xffffffff + 0xa282ead8) >>> 0);
  });

  it('agrees with the CRCs TensorFlow wrote in a real event file', () => {
    const dir = path.join(LOGDIRS, 'damaged', 'intact');
    const file = fs.readdirSync(dir).find((f) => f.includes('tfevents')) as string;
    const bytes = fs.readFileSync(path.join(dir, file));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = view.getUint32(0, true);
    expect(maskedCrc32c(bytes.subarray(0, 8))).toBe(view.getUint32(8, true));
    expect(maskedCrc32c(bytes.subarray(12, 12 + length))).toBe(view.getUint32(12 + length, true));
  });

  it('formats CRCs as 0x and eight hex digits', () => {
    expect(hex32(0xab)).toBe('0x000000ab');
  });
});
