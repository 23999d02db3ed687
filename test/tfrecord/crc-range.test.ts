import fc from 'fast-check';
import { crc32c, crc32cRange, maskedCrc32c, maskedCrc32cRange } from '../../src/tfrecord/masked-crc';

/** The range CRC the record reader uses equals the crc-32 package's on the same bytes. */
it('crc32cRange agrees with crc32c on every range, small and large', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(), fc.nat(), (bytes, a, b) => {
      const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
      const end = start + (bytes.length - start === 0 ? 0 : b % (bytes.length - start + 1));
      expect(crc32cRange(bytes, start, end)).toBe(crc32c(bytes.subarray(start, end)));
      expect(maskedCrc32cRange(bytes, start, end)).toBe(maskedCrc32c(bytes.subarray(start, end)));
    }),
    { numRuns: 3000 },
  );
});

it('matches the CRC-32C check value', () => {
  const ascii = new TextEncoder().encode('123456789');
  expect(crc32cRange(ascii, 0, ascii.length)).toBe(0xe3069283);
});
