import { createWriteStream, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import type { NumericColumnView } from '../store/columns';
import { numberText } from '../common/format-number';
import { closeStream } from './output-file';
import { csvField, type Row, type RowSink } from './row-sink';
import { writeBytes } from './stream-write';

/**
 * Wide CSV (`--wide`): scalars as one row per run and step, one column per
 * tag — `run,step,wall_time,<tag>,…`, what `df.pivot(index=["run", "step"],
 * columns="tag", values="value")` makes of the long CSV:
 * - a cell is empty where the tag has no value at that step; numbers are
 *   spelled as the long CSV spells them;
 * - wall_time is the earliest wall time among the step's values (when the
 *   step was first logged);
 * - a tag logged twice at one step of a run (a restart kept with
 *   `--purge_orphaned_data false`) shows its last value;
 * - rows go run by run in export order, steps ascending; tag columns in the
 *   order tags are first met.
 *
 * Memory holds one run. The header needs every run's tags, so rows go to a
 * temporary file first and the output gets header and rows at the end
 * (rows of runs read before a tag was first met get its empty cells then).
 */
export function createWideCsvSink(out: Writable): RowSink {
  return new WideCsvSink(out);
}

interface Series {
  tag: string;
  steps: NumericColumnView | number[];
  wallTimes: Float64Array | number[];
  values: NumericColumnView | number[];
}

/** Rows already in the temporary file, written when `columns` tag columns were known. */
interface Segment {
  runFieldBytes: number;
  rows: number;
  columns: number;
}

/** Text gathered before it goes to the file. */
const CHUNK_CHARS = 1 << 20;

class WideCsvSink implements RowSink {
  private readonly tags: string[] = [];
  private readonly column = new Map<string, number>();
  private run: string | undefined;
  private series: Series[] = [];
  private readonly segments: Segment[] = [];
  private body: TemporaryFile | undefined;

  constructor(private readonly out: Writable) {}

  async write(row: Row): Promise<void> {
    await this.enterRun(String(row.run));
    const tag = String(row.tag);
    let s = this.series[this.series.length - 1];
    if (s === undefined || s.tag !== tag || !Array.isArray(s.steps)) {
      s = { tag, steps: [], wallTimes: [], values: [] };
      this.series.push(s);
    }
    (s.steps as number[]).push(row.step as number);
    (s.wallTimes as number[]).push(row.wall_time as number);
    (s.values as number[]).push(row.value as number);
  }

  async writeScalars(
    run: string,
    tag: string,
    steps: NumericColumnView,
    wallTimes: Float64Array,
    values: NumericColumnView,
  ): Promise<void> {
    await this.enterRun(run);
    this.series.push({ tag, steps, wallTimes, values });
  }

  async end(): Promise<void> {
    await this.writeRun();
    const header = ['run', 'step', 'wall_time', ...this.tags].map(csvField).join(',');
    await writeBytes(this.out, `${header}\n`);
    if (this.body === undefined) return;
    try {
      await closeStream(this.body.stream);
      await this.copyBody(this.body);
    } finally {
      this.body.discard();
    }
  }

  private async enterRun(run: string): Promise<void> {
    if (run === this.run) return;
    await this.writeRun();
    this.run = run;
  }

  /** The current run's rows, to the temporary file. */
  private async writeRun(): Promise<void> {
    const run = this.run;
    if (run === undefined || this.series.length === 0) return;
    for (const s of this.series) {
      if (s.steps.length > 0 && !this.column.has(s.tag)) {
        this.column.set(s.tag, this.tags.length);
        this.tags.push(s.tag);
      }
    }
    this.body ??= new TemporaryFile();
    const runField = csvField(run);
    const segment: Segment = { runFieldBytes: Buffer.byteLength(runField), rows: 0, columns: this.tags.length };
    let text = '';
    for (const row of pivotRows(this.series, this.column, this.tags.length)) {
      segment.rows++;
      text += `${runField},${numberText(row.step)},${numberText(row.wallTime)}`;
      for (const v of row.cells) text += v === undefined ? ',' : `,${numberText(v)}`;
      text += '\n';
      if (text.length >= CHUNK_CHARS) {
        await writeBytes(this.body.stream, text);
        text = '';
      }
    }
    if (text !== '') await writeBytes(this.body.stream, text);
    if (segment.rows > 0) this.segments.push(segment);
    this.series = [];
  }

  /**
   * The temporary file's rows to the output, each widened with empty cells
   * to the final column count where its run was written with fewer. A row
   * ends at its first newline past the run field (the one field that may
   * hold a quoted newline).
   */
  private async copyBody(body: TemporaryFile): Promise<void> {
    const total = this.tags.length;
    const handle = await fs.open(body.path, 'r');
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      let segment = 0;
      let rowsLeft = this.segments[0]?.rows ?? 0;
      let skip = this.segments[0]?.runFieldBytes ?? 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        const parts: Buffer[] = [];
        let from = 0;
        for (let i = 0; i < bytesRead; i++) {
          if (skip > 0) {
            const n = Math.min(skip, bytesRead - i);
            skip -= n;
            i += n - 1;
            continue;
          }
          if (buf[i] !== 0x0a) continue;
          const missing = total - (this.segments[segment] as Segment).columns;
          if (missing > 0) {
            parts.push(Buffer.from(buf.subarray(from, i)), Buffer.from(','.repeat(missing)));
            from = i;
          }
          if (--rowsLeft === 0) {
            segment++;
            rowsLeft = this.segments[segment]?.rows ?? 0;
          }
          skip = this.segments[segment]?.runFieldBytes ?? 0;
        }
        parts.push(Buffer.from(buf.subarray(from, bytesRead)));
        await writeBytes(this.out, Buffer.concat(parts));
      }
    } finally {
      await handle.close();
    }
  }
}

interface PivotRow {
  step: number;
  wallTime: number;
  /** By column; undefined where the tag has no value at this step. */
  cells: (number | undefined)[];
}

/**
 * A run's rows: its series merged by step, each read in step order (of
 * equal steps, the last point wins). The row yielded is reused.
 */
function* pivotRows(series: Series[], column: Map<string, number>, width: number): Generator<PivotRow> {
  const cursors = series
    .filter((s) => s.steps.length > 0)
    .map((s) => ({ s, col: column.get(s.tag) as number, order: stepOrder(s.steps), at: 0 }));
  const row: PivotRow = { step: 0, wallTime: 0, cells: new Array<number | undefined>(width) };
  for (;;) {
    let step = Number.POSITIVE_INFINITY;
    for (const c of cursors)
      if (c.at < c.order.length) step = Math.min(step, c.s.steps[c.order[c.at] as number] as number);
    if (step === Number.POSITIVE_INFINITY) return;
    row.cells.fill(undefined);
    row.step = step;
    row.wallTime = Number.POSITIVE_INFINITY;
    for (const c of cursors) {
      for (; c.at < c.order.length; c.at++) {
        const i = c.order[c.at] as number;
        if (c.s.steps[i] !== step) break;
        row.cells[c.col] = c.s.values[i] as number;
        row.wallTime = Math.min(row.wallTime, c.s.wallTimes[i] as number);
      }
    }
    yield row;
  }
}

/** Point indices in step order, stable; the identity when the steps already ascend. */
function stepOrder(steps: ArrayLike<number>): ArrayLike<number> {
  const n = steps.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = (steps[i - 1] as number) <= (steps[i] as number);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (sorted) return order;
  return Array.from(order).sort((a, b) => (steps[a] as number) - (steps[b] as number) || a - b);
}

/**
 * A file in the system's temporary folder, removed when done, when the
 * export fails (`discard`), and at the latest when the process exits
 * (an interrupted export included).
 */
class TemporaryFile {
  readonly path = path.join(os.tmpdir(), `featherboard-wide-${process.pid}-${Date.now()}.csv`);
  readonly stream = createWriteStream(this.path, { highWaterMark: 4 * 1024 * 1024 });
  private readonly onExit = (): void => this.discard();

  constructor() {
    process.once('exit', this.onExit);
  }

  discard(): void {
    process.off('exit', this.onExit);
    this.stream.destroy();
    rmSync(this.path, { force: true });
  }
}
