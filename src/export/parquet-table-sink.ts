import type { NumericColumnView } from '../store/columns';
import type { ParquetColumn } from './parquet-columns';
import { RowGroupEncoder } from './parquet-encoder';
import { ParquetFileWriter, type EmitBytes, type EncodedRowGroup } from './parquet-file';
import { RowGroupBuffer } from './parquet-row-group';
import type { Row, RowSink } from './row-sink';

/** Row groups encoding or encoded, not yet appended, at most: bounds their memory. */
const MAX_PENDING_GROUPS = 3;

/**
 * A table of fixed columns as Parquet: rows gather into a row group; a full
 * one is encoded (on a worker thread or here, see parquet-encoder.ts) and
 * appended to the file in order.
 */
export class ParquetTableSink implements RowSink {
  private readonly file: ParquetFileWriter;
  private readonly group: RowGroupBuffer;
  private readonly encoder: RowGroupEncoder;
  private readonly pending: (EncodedRowGroup | Promise<EncodedRowGroup>)[] = [];

  constructor(emit: EmitBytes, columns: readonly ParquetColumn[], useWorker: boolean) {
    this.file = new ParquetFileWriter(emit, columns);
    this.group = new RowGroupBuffer(columns);
    this.encoder = new RowGroupEncoder(columns, useWorker);
  }

  async write(row: Row): Promise<void> {
    this.group.add(row);
    if (this.group.full) await this.endGroup();
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
      if (this.group.full) await this.endGroup();
    }
  }

  async end(): Promise<void> {
    try {
      if (this.group.rows > 0) this.pending.push(this.encoder.encode(this.group.take()));
      while (this.pending.length > 0) await this.appendOldest();
      await this.file.finish();
    } finally {
      await this.encoder.close();
    }
  }

  private async endGroup(): Promise<void> {
    const encoded = this.encoder.encode(this.group.take());
    // A failure is thrown where the group is appended.
    if (encoded instanceof Promise) encoded.catch(() => {});
    this.pending.push(encoded);
    // Groups ready in order go out at once; past the bound, wait for the oldest.
    while (this.pending.length > 0 && !(this.pending[0] instanceof Promise)) await this.appendOldest();
    while (this.pending.length > MAX_PENDING_GROUPS) await this.appendOldest();
  }

  private async appendOldest(): Promise<void> {
    await this.file.append(await (this.pending.shift() as EncodedRowGroup | Promise<EncodedRowGroup>));
  }
}
