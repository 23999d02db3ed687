import { TFRECORD } from './framing';
import { maskedCrc32c } from './masked-crc';

/** Frame one payload as a TFRecord (length, masked CRCs). */
export function encodeRecord(data: Uint8Array): Uint8Array {
  const header = TFRECORD.HEADER_BYTES;
  const out = new Uint8Array(header + data.length + TFRECORD.FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length % 0x100000000, true);
  view.setUint32(4, Math.floor(data.length / 0x100000000), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, header);
  view.setUint32(header + data.length, maskedCrc32c(data), true);
  return out;
}
