import { Router } from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { findSeries, listSeries, type SeriesRef } from '../../data/series';
import { dict } from '../../http/dict';
import { HttpError, badRequest, notFound } from '../../http/http-error';
import { tensorboardForm, tensorboardQuery } from '../../http/params';
import { formBody } from '../../http/request-body';
import { sendJson, sendJsonText, sendText } from '../../http/send';
import { markdownToSafeHtml } from '../../render/markdown';
import { pythonFloatRepr } from '../../render/python-float';
import type { ServerOptions } from '../../server-options';
import { ResponseBuffers, rowsFromColumns, scalarSeriesJson, type ScalarRow } from './rows-json';

/** `[wall_time, step, value]` rows of a scalar series, as TensorBoard serves them. */
export function scalarRows(ref: SeriesRef, limit: number | undefined): ScalarRow[] {
  return ref.series === undefined ? [] : rowsFromColumns(ref.series, limit);
}

/** `/data/plugin/scalars/*`: tags, one series (JSON or CSV), many runs of one tag. */
export function scalarsRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.[PLUGIN.SCALARS];
  const find = (run: string, tag: string) => findSeries(store, run, tag, PLUGIN.SCALARS, DATA_CLASS.SCALAR);
  const buffers = new ResponseBuffers();

  router.get('/tags', (_req, res) => {
    const out: Record<string, Record<string, { displayName: string; description: string }>> = dict();
    for (const [run, refs] of listSeries(store, PLUGIN.SCALARS, DATA_CLASS.SCALAR)) {
      const tags: Record<string, { displayName: string; description: string }> = dict();
      for (const r of refs)
        tags[r.tag] = { displayName: r.metadata.displayName, description: markdownToSafeHtml(r.metadata.description) };
      out[run] = tags;
    }
    sendJson(res, out);
  });

  router.get('/scalars', (req, res) => {
    const query = tensorboardQuery(req);
    const tag = query.get('tag');
    const run = query.get('run');
    if (tag === undefined || run === undefined) throw badRequest('Both run and tag must be specified');
    const ref = find(run, tag);
    if (ref === undefined) throw notFound(`No scalar data for run=${JSON.stringify(run)}, tag=${JSON.stringify(tag)}`);
    if (query.get('format') === 'csv') {
      const rows = scalarRows(ref, limit);
      const lines = [
        'Wall time,Step,Value',
        ...rows.map(([w, s, v]) => `${pythonFloatRepr(w)},${s},${pythonFloatRepr(v)}`),
      ];
      sendText(res, `${lines.join('\r\n')}\r\n`, 'text/csv; charset=utf-8');
      return;
    }
    if (ref.series === undefined) {
      sendJsonText(res, '[]');
      return;
    }
    const body = scalarSeriesJson(ref.series, limit, buffers);
    // Reused only once the socket is done with it: sent ('finish') or dropped ('close').
    res.once('close', () => buffers.give(body));
    sendJsonText(res, body);
  });

  router.post('/scalars_multirun', formBody, (req, res) => {
    const form = tensorboardForm(req);
    const tags = form.all('tag');
    if (tags.length !== 1) throw badRequest('tag must be specified exactly once');
    const tag = tags[0] as string;
    const out: Record<string, ScalarRow[]> = dict();
    for (const run of new Set(form.all('runs'))) {
      const ref = find(run, tag);
      if (ref !== undefined) out[run] = scalarRows(ref, limit);
    }
    sendJson(res, out);
  });
  router.all('/scalars_multirun', () => {
    throw new HttpError(405, 'scalars_multirun takes POST');
  });
  return router;
}
