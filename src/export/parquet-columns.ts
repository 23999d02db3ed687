import type { ColumnSource } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';

/**
 * The Parquet columns of each exported table: CSV's columns (one row per
 * bucket, text element, threshold), each with its Parquet type. Integers
 * (step, index, width, height) are INT64, every measured number DOUBLE
 * (float32 values widened exactly, as export writes them everywhere), names
 * and text UTF-8 strings.
 */
export type ParquetType = 'STRING' | 'INT64' | 'DOUBLE' | 'BOOLEAN';

export interface ParquetColumn {
  name: string;
  type: ParquetType;
  /** Values may be missing (null): only the hparams table's hparam columns. */
  nullable?: boolean;
}

const key = (type: ParquetType, ...names: string[]): ParquetColumn[] => names.map((name) => ({ name, type }));
const POINT = [...key('STRING', 'run', 'tag'), ...key('INT64', 'step'), ...key('DOUBLE', 'wall_time')];

export const PARQUET_COLUMNS: Record<string, readonly ParquetColumn[]> = {
  scalars: [...POINT, ...key('DOUBLE', 'value')],
  histograms: [...POINT, ...key('DOUBLE', 'left', 'right', 'count')],
  text: [...POINT, ...key('INT64', 'index'), ...key('STRING', 'text')],
  pr_curves: [
    ...POINT,
    ...key(
      'DOUBLE',
      'threshold',
      'precision',
      'recall',
      'true_positives',
      'false_positives',
      'true_negatives',
      'false_negatives',
    ),
  ],
  // width and height are null where an image's header does not give a number.
  images: [
    ...POINT,
    ...key('INT64', 'index'),
    { name: 'width', type: 'INT64', nullable: true },
    { name: 'height', type: 'INT64', nullable: true },
    ...key('STRING', 'file'),
  ],
  audio: [...POINT, ...key('INT64', 'index'), ...key('STRING', 'file')],
};

/** The file's schema: a root, then one flat column each. */
export function parquetSchema(columns: readonly ParquetColumn[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map((c): SchemaElement => {
      const repetition_type = c.nullable === true ? 'OPTIONAL' : 'REQUIRED';
      if (c.type === 'STRING') return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
      return { name: c.name, type: c.type, repetition_type };
    }),
  ];
}

/**
 * How each column is encoded. run and tag: a dictionary (a few distinct
 * names over millions of rows); step and other integers: delta-encoded
 * (steps mostly count up by one), step with min/max statistics so readers
 * skip row groups by step; doubles: byte stream split, which puts the
 * exponent bytes together so the codec finds their repetition (wall times
 * shrink ~70×), with no statistics (NaN would make them misleading to
 * readers that prune by them). Other strings (text, file names) are left to
 * the writer, which picks a dictionary when it pays. Statistics of strings
 * would cost a third of the encoding time (hyparquet-writer compares them
 * by code point, row by row): none.
 */
export function columnEncoding(column: ParquetColumn): Omit<ColumnSource, 'name' | 'data'> {
  if (column.name === 'run' || column.name === 'tag') return { encoding: 'RLE_DICTIONARY', statistics: false };
  if (column.type === 'INT64') return { encoding: 'DELTA_BINARY_PACKED', statistics: column.name === 'step' };
  if (column.type === 'DOUBLE') return { encoding: 'BYTE_STREAM_SPLIT', statistics: false };
  return { statistics: false };
}
