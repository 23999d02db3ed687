import { RecordReader, type TfRecord } from '../../src/tfrecord/record-reader';
import type { DataWarning } from '../../src/warnings';
import { RecordBuilder } from '../support/record-builder';

function readAll(
  bytes: Uint8Array,
  chunkSize = bytes.length,
  options = {},
): { records: TfRecord[]; warnings: DataWarning[]; reader: RecordReader } {
  const warnings: DataWarning[] = [];
  const reader = new RecordReader({ file: 'f', onWarning: (w) => warnings.push(w), ...options });
  const records: TfRecord[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    reader.append(bytes.subarray(at, at + chunkSize));
    for (let r = reader.next(); r !== undefined; r = reader.next())
      records.push({ offset: r.offset, data: new Uint8Array(r.data) });
  }
  reader.finish();
  return { records, warnings, reader };
}

const text = (r: TfRecord): string => new TextDecoder().decode(r.data);

describe('RecordReader', () => {
  it('reads records with their offsets', () => {
    const bytes = new RecordBuilder().record('alpha').record('').record('gamma!').build();
    const { records, warnings } = readAll(bytes);
    expect(records.map(text)).toEqual(['alpha', '', 'gamma!']);
    expect(records.map((r) => r.offset)).toEqual([0, 21, 37]);
    expect(warnings).toEqual([]);
  });

  it('gives the same records fed one byte at a time', () => {
    const bytes = new RecordBuilder().record('alpha').record('b'.repeat(300)).record('c').build();
    expect(readAll(bytes, 1).records).toEqual(readAll(bytes).records);
  });

  it('waits on a partial record, then completes it when the bytes arrive', () => {
    const bytes = new RecordBuilder().record('first').record('second').build();
    const reader = new RecordReader();
    reader.append(bytes.subarray(0, 30));
    expect(text(reader.next() as TfRecord)).toBe('first');
    expect(reader.next()).toBeUndefined();
    expect(reader.bufferedBytes).toBe(30 - 21);
    reader.append(bytes.subarray(30));
    expect(text(reader.next() as TfRecord)).toBe('second');
    expect(reader.offset).toBe(bytes.length);
  });

  it('skips a record whose data CRC fails and reads on', () => {
    const b = new RecordBuilder().record('one');
    const damagedAt = b.length + 12;
    const bytes = b.record('two').record('three').build();
    bytes[damagedAt] = (bytes[damagedAt] as number) ^ 0xff;
    const { records, warnings } = readAll(bytes);
    expect(records.map(text)).toEqual(['one', 'three']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'DATA_CRC_MISMATCH', file: 'f', offset: 19 });
    expect(warnings[0]?.message).toMatch(/masked crc 0x[0-9a-f]{8} \(expected 0x[0-9a-f]{8}\)/);
  });

  it('resynchronises after a corrupted length field', () => {
    const b = new RecordBuilder().record('one');
    const lengthAt = b.length;
    const bytes = b.record('two').record('three').build();
    bytes[lengthAt] = 0xff;
    const { records, warnings } = readAll(bytes);
    expect(records.map(text)).toEqual(['one', 'three']);
    expect(warnings).toEqual([expect.objectContaining({ code: 'LENGTH_CRC_MISMATCH', offset: lengthAt })]);
  });

  it('resynchronises after garbage between records, byte by byte too', () => {
    const bytes = new RecordBuilder()
      .record('one')
      .raw(Array.from({ length: 57 }, (_, i) => (i * 37) & 0xff))
      .record('two')
      .build();
    for (const chunk of [bytes.length, 1, 7]) {
      const { records, warnings } = readAll(bytes, chunk);
      expect(records.map(text)).toEqual(['one', 'two']);
      expect(warnings.map((w) => w.code)).toEqual(['LENGTH_CRC_MISMATCH']);
    }
  });

  it('never allocates an absurd declared length: skips it unread', () => {
    // A valid header declaring 5 GB, followed by a real record.
    const header = new Uint8Array(12);
    const view = new DataView(header.buffer);
    view.setUint32(0, 0x2a05f200, true);
    view.setUint32(4, 1, true);
    const { maskedCrc32c } = jest.requireActual(
      '../../src/tfrecord/masked-crc',
    ) as typeof import('../../src/tfrecord/masked-crc');
    view.setUint32(8, maskedCrc32c(header.subarray(0, 8)), true);
    const reader = new RecordReader({ maxRecordBytes: 1024, onWarning: (w) => warnings.push(w) });
    const warnings: DataWarning[] = [];
    reader.append(header);
    reader.append(new Uint8Array(4096));
    expect(reader.next()).toBeUndefined();
    expect(warnings.map((w) => w.code)).toEqual(['RECORD_TOO_LARGE']);
    // It holds no more than what arrived, not what was declared.
    expect(reader.bufferedBytes).toBe(0);
    reader.finish();
    expect(warnings.map((w) => w.code)).toEqual(['RECORD_TOO_LARGE', 'TRUNCATED_TAIL']);
  });

  it('reports a cut tail only when told the input has ended', () => {
    const bytes = new RecordBuilder().record('whole').record('cut short').build();
    const cut = bytes.subarray(0, bytes.length - 5);
    const warnings: DataWarning[] = [];
    const reader = new RecordReader({ onWarning: (w) => warnings.push(w) });
    reader.append(cut);
    expect(text(reader.next() as TfRecord)).toBe('whole');
    expect(reader.next()).toBeUndefined();
    expect(warnings).toEqual([]);
    reader.finish();
    expect(warnings).toEqual([expect.objectContaining({ code: 'TRUNCATED_TAIL', offset: 21 })]);
  });

  it('resumes from a saved offset', () => {
    const bytes = new RecordBuilder().record('one').record('two').build();
    const reader = new RecordReader({ startOffset: 19 });
    reader.append(bytes.subarray(19));
    expect(reader.next()).toMatchObject({ offset: 19 });
  });

  it('zero and empty input are fine', () => {
    expect(readAll(new Uint8Array(0))).toMatchObject({ records: [], warnings: [] });
  });
});
