import { formatNumber } from './format-number';

/**
 * Scalars as CSV, as `featherboard export --format csv` writes them: its columns, its number
 * text (shortest round trip; "NaN", "Infinity", "-Infinity"), its quoting, "\n" line ends. The
 * viewer's per-chart "CSV" download writes this, so a chart saved from the browser and an export
 * of the same runs and tag give the same rows.
 */

/** Export's columns for scalars. */
export const SCALAR_CSV_COLUMNS = ['run', 'tag', 'step', 'wall_time', 'value'] as const;

/** A text cell: quoted (quotes doubled) when it holds a quote, a comma or a line break. */
export function csvText(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The points of one run's scalar series. */
export interface ScalarCsvSeries {
  run: string;
  tag: string;
  steps: ArrayLike<number>;
  wallTimes: ArrayLike<number>;
  values: ArrayLike<number>;
}

/** A CSV file of the series, in order, with export's header line. */
export function scalarCsv(series: readonly ScalarCsvSeries[]): string {
  const lines = [SCALAR_CSV_COLUMNS.join(',')];
  for (const s of series) {
    const names = `${csvText(s.run)},${csvText(s.tag)}`;
    for (let i = 0; i < s.steps.length; i++) {
      const step = formatNumber(s.steps[i] as number);
      lines.push(`${names},${step},${formatNumber(s.wallTimes[i] as number)},${formatNumber(s.values[i] as number)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
