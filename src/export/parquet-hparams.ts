import type { Writable } from 'node:stream';
import type { ColumnSource } from 'hyparquet-writer';
import { formatNumber } from '../common/format-number';
import { columnEncoding, type ParquetColumn, type ParquetType } from './parquet-columns';
import { encodeRowGroup, ParquetFileWriter } from './parquet-file';
import { writeBytes } from './stream-write';
import type { Row, RowSink } from './row-sink';

/**
 * The hparams table in Parquet: one row per session as JSON Lines has it
 * (`run, group_name, start_time_secs`), each hyperparameter a typed column
 * named as pandas' `json_normalize` names the JSON Lines fields
 * (`hparams.lr`). A column is DOUBLE, BOOLEAN or STRING as its values are;
 * one whose values mix kinds is STRING (numbers spelled as CSV spells them);
 * a run without that hyperparameter has null. The columns are known only
 * once every run is read, so rows wait until the end: one per run, small.
 */
export function createParquetHparamsSink(out: Writable): RowSink {
  const rows: Row[] = [];
  return {
    async write(row) {
      rows.push(row);
    },
    async writeScalars() {
      throw new Error('internal: hparams rows are not scalars');
    },
    async end() {
      const names: string[] = [];
      const seen = new Set<string>();
      for (const r of rows)
        for (const k of Object.keys(hparamsOf(r)))
          if (!seen.has(k)) {
            seen.add(k);
            names.push(k);
          }
      const fixed: ParquetColumn[] = [
        { name: 'run', type: 'STRING' },
        { name: 'group_name', type: 'STRING' },
        { name: 'start_time_secs', type: 'DOUBLE' },
      ];
      const hparamColumns = names.map((k) =>
        hparamColumn(
          k,
          rows.map((r) => hparamsOf(r)[k]),
        ),
      );
      const columns = [...fixed, ...hparamColumns.map((h) => h.column)];
      const file = new ParquetFileWriter((bytes) => writeBytes(out, bytes), columns);
      if (rows.length > 0) {
        const data: ColumnSource[] = [
          ...fixed.map((c) => ({
            name: c.name,
            data:
              c.type === 'DOUBLE'
                ? Float64Array.from(rows, (r) => Number(r[c.name]))
                : rows.map((r) => String(r[c.name])),
            ...columnEncoding(c),
          })),
          ...hparamColumns.map((h) => ({ name: h.column.name, data: h.values, ...columnEncoding(h.column) })),
        ];
        await file.append(encodeRowGroup(columns, data, rows.length));
      }
      await file.finish();
    },
  };
}

function hparamsOf(row: Row): Record<string, unknown> {
  return (row.hparams ?? {}) as Record<string, unknown>;
}

function hparamColumn(name: string, values: unknown[]): { column: ParquetColumn; values: unknown[] } {
  const kinds = new Set(values.filter((v) => v !== undefined && v !== null).map((v) => typeof v));
  const only = kinds.size === 1 ? [...kinds][0] : undefined;
  const type: ParquetType = only === 'number' ? 'DOUBLE' : only === 'boolean' ? 'BOOLEAN' : 'STRING';
  const column: ParquetColumn = { name: `hparams.${name}`, type, nullable: true };
  if (type !== 'STRING') return { column, values: values.map((v) => v ?? null) };
  return {
    column,
    values: values.map((v) =>
      v === undefined || v === null ? null : typeof v === 'number' ? formatNumber(v) : String(v),
    ),
  };
}
