import * as fs from 'node:fs';
import { parquetMetadata, parquetReadObjects, type FileMetaData } from 'hyparquet';

/** A Parquet file read back with hyparquet (a reader independent of the writer's code): its rows and metadata. */
export async function readParquet(file: string): Promise<{ rows: Record<string, unknown>[]; metadata: FileMetaData }> {
  const bytes = fs.readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
  return { rows, metadata: parquetMetadata(buffer) };
}

/** A column's schema element and its first row group's chunk metadata. */
export function columnInfo(metadata: FileMetaData, name: string) {
  const element = metadata.schema.find((e) => e.name === name);
  const index = metadata.row_groups[0]?.columns.findIndex((c) => c.meta_data?.path_in_schema.join('.') === name);
  const chunk = index === undefined || index < 0 ? undefined : metadata.row_groups[0]?.columns[index]?.meta_data;
  return { element, chunk };
}
