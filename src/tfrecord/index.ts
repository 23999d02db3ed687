export { crc32c, maskCrc, maskedCrc32c, hex32 } from './masked-crc';
export { RecordReader, DEFAULT_MAX_RECORD_BYTES } from './record-reader';
export type { TfRecord, RecordReaderOptions } from './record-reader';
export { encodeRecord } from './encode-record';
