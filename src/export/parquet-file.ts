import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import { parquetSchema, type ParquetColumn } from './parquet-columns';

/** Where a Parquet file's bytes go, in order; the next row group is encoded once the promise resolves. */
export type EmitBytes = (bytes: Uint8Array) => Promise<void>;

/** Snappy: every Parquet reader has it, and hyparquet-writer has it built in on every Node version. */
const CODEC = 'SNAPPY';

/**
 * hyparquet-writer's byte sink, emptied after every row group (the writer
 * calls `flush()` then) and at the end: memory holds one encoded row group,
 * never the file.
 */
class ChunkByteWriter extends ByteWriter {
  constructor(private readonly emit: EmitBytes) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    if (this.index === 0) return Promise.resolve();
    // A copy: the buffer is reused for the next row group while the bytes wait to be written.
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.emit(bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

/** A ParquetWriter for a table of `columns`, its bytes going to `emit` as it goes. */
export function openParquetWriter(emit: EmitBytes, columns: readonly ParquetColumn[]): ParquetWriter {
  return new ParquetWriter({
    writer: new ChunkByteWriter(emit),
    schema: parquetSchema(columns),
    codec: CODEC,
    statistics: false, // chosen per column: see columnEncoding
    createdBy: 'featherboard',
  });
}

/** Writes one row group (all of `columnData`) and waits until its bytes are taken. */
export async function writeRowGroup(writer: ParquetWriter, columnData: ColumnSource[], rows: number): Promise<void> {
  await writer.write({ columnData, rowGroupSize: rows });
}
