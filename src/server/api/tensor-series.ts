import type { Request, Response } from 'express';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { PLUGIN } from '../../events/plugins';
import type { NumericTensor, StringTensor } from '../../events/types';
import { readBlob } from '../../store/read-blob';
import type { Store } from '../../store/store';
import { intParam, jsonNumber } from './params';
import { evenSample, lookupSeries } from './series-lookup';

/** GET /api/histograms?run&tag&samples — buckets [left, right, count] per step, evenly sampled. */
export function histogramsHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { run, tag, series } = lookupSeries(store, req, [PLUGIN.HISTOGRAMS]);
    const samples = intParam(req, 'samples', 1, 10000, 500);
    const points = [];
    for (const i of evenSample(series.length, samples)) {
      const t = series.tensorAt(i)?.tensor;
      if (t === undefined || t.kind !== 'numeric') continue;
      const buckets: (number | string)[][] = [];
      for (let b = 0; b + 2 < t.values.length; b += 3) {
        buckets.push([jsonNumber(t.values[b] as number), jsonNumber(t.values[b + 1] as number), jsonNumber(t.values[b + 2] as number)]);
      }
      points.push({ step: series.steps.get(i), wallTime: series.wallTimes.get(i), buckets });
    }
    res.json({ run, tag, total: series.length, points });
  };
}

/** GET /api/pr_curves?run&tag — per step: thresholds, precision, recall and the counts behind them. */
export function prCurvesHandler(store: Store) {
  return (req: Request, res: Response): void => {
    const { run, tag, series } = lookupSeries(store, req, [PLUGIN.PR_CURVES]);
    const samples = intParam(req, 'samples', 1, 10000, 1000);
    const points = [];
    for (const i of evenSample(series.length, samples)) {
      const t = series.tensorAt(i)?.tensor;
      if (t === undefined || t.kind !== 'numeric' || t.shape.length !== 2 || t.shape[0] !== 6) continue;
      const n = t.shape[1] ?? 0;
      const row = (r: number): (number | string)[] => Array.from(t.values.subarray(r * n, (r + 1) * n), jsonNumber);
      points.push({
        step: series.steps.get(i),
        wallTime: series.wallTimes.get(i),
        thresholds: Array.from({ length: n }, (_, k) => (n > 1 ? k / (n - 1) : 0)),
        truePositives: row(0),
        falsePositives: row(1),
        trueNegatives: row(2),
        falseNegatives: row(3),
        precision: row(4),
        recall: row(5),
      });
    }
    res.json({ run, tag, points });
  };
}

// Markdown as TensorBoard's text plugin renders it: GFM tables, raw HTML escaped, then sanitized.
const markdown = new MarkdownIt({ html: false, linkify: true });
function renderMarkdown(source: string): string {
  return sanitizeHtml(markdown.render(source), {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(['h1', 'h2', 'img', 'del']),
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align', 'style'], td: ['align', 'style'] },
    allowedSchemes: ['http', 'https', 'mailto', 'data'],
    allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
  });
}

const TEXT = new TextDecoder();
const MAX_TEXT_BYTES = 1 << 20;

async function stringsOf(t: StringTensor, file: string): Promise<string[]> {
  const out: string[] = [];
  for (const ref of t.values) {
    if (ref.length > MAX_TEXT_BYTES) out.push(`(${ref.length} bytes of text not shown)`);
    else out.push(TEXT.decode(await readBlob(file, ref)));
  }
  return out;
}

/** A string tensor as HTML: a scalar is one markdown document; 1-D and 2-D tensors become tables. */
async function textHtml(t: StringTensor | NumericTensor, file: string): Promise<string> {
  if (t.kind !== 'string') return '';
  const cells = await stringsOf(t, file);
  if (t.shape.length === 0) return renderMarkdown(cells[0] ?? '');
  const cols = t.shape.length >= 2 ? (t.shape[t.shape.length - 1] ?? 1) : 1;
  const rows: string[] = [];
  for (let r = 0; r * cols < cells.length; r++) {
    const row = cells.slice(r * cols, (r + 1) * cols).map((c) => `<td>${renderMarkdown(c)}</td>`);
    rows.push(`<tr>${row.join('')}</tr>`);
  }
  return `<table><tbody>${rows.join('')}</tbody></table>`;
}

/** GET /api/text?run&tag&samples — sanitized HTML per step (the most recent steps when there are many). */
export function textHandler(store: Store) {
  return async (req: Request, res: Response): Promise<void> => {
    const { run, tag, series } = lookupSeries(store, req, [PLUGIN.TEXT]);
    const samples = intParam(req, 'samples', 1, 1000, 100);
    const points = [];
    for (let i = Math.max(0, series.length - samples); i < series.length; i++) {
      const stored = series.tensorAt(i);
      if (stored === undefined || stored.tensor.kind === 'unsupported') continue;
      let html: string;
      try {
        html = await textHtml(stored.tensor, stored.file);
      } catch {
        html = '<em>(this text is no longer in the file)</em>';
      }
      points.push({ step: series.steps.get(i), wallTime: series.wallTimes.get(i), html });
    }
    res.json({ run, tag, total: series.length, points });
  };
}
