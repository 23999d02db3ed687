import type { ParquetWriter } from 'hyparquet-writer';
import type { NumericColumnView } from '../store/columns';
import type { ParquetColumn } from './parquet-columns';
import { openParquetWriter, writeRowGroup, type EmitBytes } from './parquet-file';
import { RowGroupBuffer } from './parquet-row-group';
import type { Row, RowSink } from './row-sink';

/** A table of fixed columns as Parquet: rows gather into a row group, written when full and at the end. */
export class ParquetTableSink implements RowSink {
  private readonly writer: ParquetWriter;
  private readonly group: RowGroupBuffer;

  constructor(emit: EmitBytes, columns: readonly ParquetColumn[]) {
    this.writer = openParquetWriter(emit, columns);
    this.group = new RowGroupBuffer(columns);
  }

  async write(row: Row): Promise<void> {
    this.group.add(row);
    if (this.group.full) await this.flush();
  }

  async writeScalars(
    run: string,
    tag: string,
    steps: NumericColumnView,
    wallTimes: Float64Array,
    values: NumericColumnView,
  ): Promise<void> {
    for (let from = 0; from < steps.length; ) {
      from += this.group.addScalars(run, tag, steps, wallTimes, values, from);
      if (this.group.full) await this.flush();
    }
  }

  async end(): Promise<void> {
    await this.flush();
    await this.writer.finish();
  }

  private async flush(): Promise<void> {
    if (this.group.rows === 0) return;
    await writeRowGroup(this.writer, this.group.take(), this.group.rows);
    this.group.clear();
  }
}
