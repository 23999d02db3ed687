import type { RowGroup } from 'hyparquet';
import { ByteWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import { parquetSchema, type ParquetColumn } from './parquet-columns';

/** Where a Parquet file's bytes go, in order; the next row group is appended once the promise resolves. */
export type EmitBytes = (bytes: Uint8Array) => Promise<void>;

/** Snappy: every Parquet reader has it, and hyparquet-writer has it built in on every Node version. */
const CODEC = 'SNAPPY';
/** A Parquet file starts with its magic number, `PAR1`. */
const MAGIC_BYTES = 4;

/**
 * One row group encoded on its own: its column chunks' bytes and its
 * metadata, whose offsets count from the start of a file holding just it.
 * Encoded anywhere (a worker thread, this one), appended to the file in
 * order by ParquetFileWriter.
 */
export interface EncodedRowGroup {
  bytes: Uint8Array;
  rowGroup: RowGroup;
}

function newWriter(writer: ByteWriter, columns: readonly ParquetColumn[]): ParquetWriter {
  return new ParquetWriter({
    writer,
    schema: parquetSchema(columns),
    codec: CODEC,
    statistics: false, // chosen per column: see columnEncoding
    createdBy: 'featherboard',
  });
}

/**
 * Encodes one row group of `rows` rows. Each column chunk is one page
 * (`pageSize: 0`): hyparquet-writer sizes pages by measuring every value
 * (an eighth of its time), and a row group is small already (see
 * parquet-row-group.ts).
 */
export function encodeRowGroup(
  columns: readonly ParquetColumn[],
  sources: ColumnSource[],
  rows: number,
): EncodedRowGroup {
  const bytes = new ByteWriter(1 << 20);
  const writer = newWriter(bytes, columns);
  void writer.write({ columnData: sources, rowGroupSize: rows, pageSize: 0 }); // a ByteWriter: synchronous
  const rowGroup = writer.row_groups[0];
  if (rowGroup === undefined) throw new Error('internal: no row group encoded');
  return { bytes: bytes.getBytes().slice(MAGIC_BYTES), rowGroup };
}

/**
 * hyparquet-writer's byte sink, emptied after every row group and at the
 * end: memory holds one row group, never the file.
 */
class ChunkByteWriter extends ByteWriter {
  constructor(private readonly emit: EmitBytes) {
    super(1 << 16);
  }

  flush(): Promise<void> {
    if (this.index === 0) return Promise.resolve();
    // A copy: the buffer is reused while the bytes wait to be written.
    const bytes = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.emit(bytes);
  }

  override finish(): Promise<void> {
    return this.flush();
  }
}

/**
 * A Parquet file of `columns`, written as row groups arrive: each
 * (encoded on its own) is appended with its offsets moved to where it
 * lands; `finish()` writes the footer listing them.
 */
export class ParquetFileWriter {
  private readonly writer: ParquetWriter;

  constructor(emit: EmitBytes, columns: readonly ParquetColumn[]) {
    this.writer = newWriter(new ChunkByteWriter(emit), columns);
  }

  async append({ bytes, rowGroup }: EncodedRowGroup): Promise<void> {
    const out = this.writer.writer;
    const shift = BigInt(out.offset - MAGIC_BYTES);
    for (const chunk of rowGroup.columns) {
      chunk.file_offset += shift;
      const m = chunk.meta_data;
      if (m === undefined) continue;
      m.data_page_offset += shift;
      if (m.dictionary_page_offset !== undefined) m.dictionary_page_offset += shift;
      if (m.index_page_offset !== undefined) m.index_page_offset += shift;
      if (m.bloom_filter_offset !== undefined) m.bloom_filter_offset += shift;
    }
    if (rowGroup.file_offset !== undefined) rowGroup.file_offset += shift;
    out.appendBytes(bytes);
    this.writer.row_groups.push(rowGroup);
    this.writer.num_rows += rowGroup.num_rows;
    await out.flush?.();
  }

  async finish(): Promise<void> {
    await this.writer.finish();
  }
}
