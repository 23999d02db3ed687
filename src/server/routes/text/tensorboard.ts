import { Router } from 'express';
import type { TextResponse } from '../../../common/responses/tensorboard';
import { evenIndices } from '../../../common/sampling';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import { readBlob } from '../../../store/read-blob';
import type { Store } from '../../../store/store';
import { findSeries, listSeries, pointAt } from '../../data/series';
import { dict } from '../../http/dict';
import { tensorboardQuery } from '../../http/params';
import { sendJson } from '../../http/send';
import { markdownToSafeHtml, markdownToUnsafeHtml, safeHtml } from '../../render/markdown';
import type { ServerOptions } from '../../server-options';

const WARNING_TEMPLATE = (dims: number) =>
  `**Warning:** This text summary contained data of dimensionality ${dims}, but only   2d tables are supported. ` +
  'Showing a 2d slice of the data instead.';

function tableRow(cells: string[], tag = 'td'): string {
  return `<tr>\n${cells.map((c) => `<${tag}>${c}</${tag}>\n`).join('')}</tr>\n`;
}

/** TensorBoard's `make_table`: 1-D laid out vertically, 2-D row by row. */
function makeTable(cells: string[], shape: number[]): string {
  const rows: string[] = [];
  if (shape.length === 1) for (const c of cells) rows.push(tableRow([c]));
  else {
    const [n = 0, m = 0] = shape;
    for (let i = 0; i < n; i++) rows.push(tableRow(cells.slice(i * m, (i + 1) * m)));
  }
  return `<table>\n<tbody>\n${rows.join('')}</tbody>\n</table>`;
}

/** Keep the first index of every dimension beyond two (TensorBoard's `reduce_to_2d`). */
function reduceTo2d(cells: string[], shape: number[]): { cells: string[]; shape: number[] } {
  const n = shape[shape.length - 2] ?? 0;
  const m = shape[shape.length - 1] ?? 0;
  return { cells: cells.slice(0, n * m), shape: [n, m] };
}

/** A text tensor as TensorBoard renders it: one string as markdown, arrays as a table. */
export function textToHtml(strings: string[], shape: number[], enableMarkdown: boolean): string {
  if (shape.length === 0)
    return enableMarkdown ? markdownsToSafeHtml(strings.slice(0, 1), (h) => h[0] ?? '') : safeHtml(strings[0] ?? '');
  let warning = '';
  let cells = strings;
  let dims = shape;
  if (shape.length > 2) {
    warning = markdownToSafeHtml(WARNING_TEMPLATE(shape.length));
    ({ cells, shape: dims } = reduceTo2d(strings, shape));
  }
  const table = enableMarkdown
    ? markdownsToSafeHtml(cells, (h) => makeTable(h, dims))
    : safeHtml(makeTable(cells, dims));
  return warning + table;
}

/** Several markdown documents sanitized once, with TensorBoard's note on dropped NUL bytes. */
function markdownsToSafeHtml(sources: string[], combine: (htmls: string[]) => string): string {
  let nulls = 0;
  const htmls = sources.map((s) => {
    const clean = s.replace(/\0/g, '');
    nulls += s.length - clean.length;
    return markdownToUnsafeHtml(clean);
  });
  const warning =
    nulls > 0 ? `<!-- WARNING: discarded ${nulls} null bytes in markdown string after UTF-8 decoding -->\n` : '';
  return warning + safeHtml(combine(htmls));
}

/** `/data/plugin/text/*`. */
export function textRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.[PLUGIN.TEXT];
  const decoder = new TextDecoder('utf-8');

  router.get('/tags', (_req, res) => {
    const out: Record<string, string[]> = dict();
    for (const [run, refs] of listSeries(store, PLUGIN.TEXT, DATA_CLASS.TENSOR)) out[run] = refs.map((r) => r.tag);
    sendJson(res, out);
  });

  router.get('/text', async (req, res) => {
    const query = tensorboardQuery(req);
    const run = query.get('run');
    const tag = query.get('tag');
    const enableMarkdown = query.get('markdown') !== 'false';
    const ref =
      run === undefined || tag === undefined ? undefined : findSeries(store, run, tag, PLUGIN.TEXT, DATA_CLASS.TENSOR);
    const s = ref?.series;
    if (s === undefined) return sendJson(res, [] satisfies TextResponse);
    const out: TextResponse = [];
    for (const i of evenIndices(s.length, limit)) {
      const p = pointAt(s, i);
      const t = p.stored?.tensor;
      if (t === undefined || t.kind !== 'string') continue;
      const strings = await Promise.all(t.values.map(async (v) => decoder.decode(await readBlob(p.stored!.file, v))));
      out.push({ wall_time: p.wallTime, step: p.step, text: textToHtml(strings, t.shape, enableMarkdown) });
    }
    sendJson(res, out);
  });
  return router;
}
