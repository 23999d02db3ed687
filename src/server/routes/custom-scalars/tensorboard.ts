import { Router } from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import { readBlob } from '../../../store/read-blob';
import type { Store } from '../../../store/store';
import { findSeries, listSeries } from '../../data/series';
import { dict } from '../../http/dict';
import { tensorboardQuery } from '../../http/params';
import { sendJson } from '../../http/send';
import { compileUserRegex } from '../../http/user-regex';
import { listFields } from '../../../protobuf/raw-fields';
import type { ServerOptions } from '../../server-options';
import { scalarRows } from '../scalars/tensorboard';

const CONFIG_TAG = 'custom_scalars__config__';

const utf8 = new TextDecoder();
const str = (b: Uint8Array | undefined) => (b === undefined ? '' : utf8.decode(b));

/** The Layout proto as protobuf's MessageToJson prints it (defaults included). */
function layoutToJson(bytes: Uint8Array): { version: number; category: Record<string, unknown>[] } {
  let version = 0;
  const category: Record<string, unknown>[] = [];
  for (const f of listFields(bytes)) {
    if (f.number === 1 && f.varint !== undefined) version = f.varint | 0;
    if (f.number === 2 && f.bytes !== undefined) category.push(categoryToJson(f.bytes));
  }
  return { version, category };
}

function categoryToJson(bytes: Uint8Array): Record<string, unknown> {
  let title = '';
  let closed = false;
  const chart: Record<string, unknown>[] = [];
  for (const f of listFields(bytes)) {
    if (f.number === 1) title = str(f.bytes);
    if (f.number === 2 && f.bytes !== undefined) chart.push(chartToJson(f.bytes));
    if (f.number === 3) closed = (f.varint ?? 0) !== 0;
  }
  return { title, chart, closed };
}

function chartToJson(bytes: Uint8Array): Record<string, unknown> {
  const out: Record<string, unknown> = { title: '' };
  for (const f of listFields(bytes)) {
    if (f.number === 1) out.title = str(f.bytes);
    if (f.number === 2 && f.bytes !== undefined)
      out.multiline = {
        tag: listFields(f.bytes)
          .filter((g) => g.number === 1)
          .map((g) => str(g.bytes)),
      };
    if (f.number === 3 && f.bytes !== undefined) {
      const series = listFields(f.bytes)
        .filter((g) => g.number === 1 && g.bytes !== undefined)
        .map((g) => {
          const s = { value: '', lower: '', upper: '' };
          for (const h of listFields(g.bytes!)) {
            if (h.number === 1) s.value = str(h.bytes);
            if (h.number === 2) s.lower = str(h.bytes);
            if (h.number === 3) s.upper = str(h.bytes);
          }
          return s;
        });
      out.margin = { series };
    }
  }
  return out;
}

/** `/data/plugin/custom_scalars/*`: the merged layout and scalars by tag regex. */
export function customScalarsRoutes(store: Store, options: ServerOptions): Router {
  const router = Router();
  const limit = options.samplesPerPlugin?.[PLUGIN.SCALARS];

  router.get('/layout', async (_req, res) => {
    let merged: ReturnType<typeof layoutToJson> | undefined;
    const byTitle = new Map<string, Record<string, unknown>>();
    for (const [, refs] of listSeries(store, PLUGIN.CUSTOM_SCALARS, DATA_CLASS.TENSOR)) {
      const ref = refs.find((r) => r.tag === CONFIG_TAG);
      const stored = ref?.series?.tensorAt(0);
      const t = stored?.tensor;
      if (stored === undefined || t === undefined || t.kind !== 'string' || t.values[0] === undefined) continue;
      const layout = layoutToJson(await readBlob(stored.file, t.values[0]));
      if (merged === undefined) {
        merged = layout;
        for (const c of layout.category) byTitle.set(c.title as string, c);
        continue;
      }
      for (const c of layout.category) {
        const existing = byTitle.get(c.title as string);
        if (existing === undefined) {
          merged.category.push(c);
          byTitle.set(c.title as string, c);
          continue;
        }
        const charts = existing.chart as Record<string, unknown>[];
        const seen = new Set(charts.map((x) => JSON.stringify(x)));
        for (const chart of c.chart as Record<string, unknown>[])
          if (!seen.has(JSON.stringify(chart))) charts.push(chart);
      }
    }
    sendJson(res, merged ?? {});
  });

  router.get('/scalars', (req, res) => {
    const query = tensorboardQuery(req);
    const pattern = query.get('tag');
    const run = query.get('run');
    // Python's re.match: anchored at the start of the tag.
    const regex = pattern ? compileUserRegex(pattern, true) : undefined;
    if (regex === undefined) return sendJson(res, { regex_valid: false, tag_to_events: {} });
    const tagToEvents: Record<string, unknown> = dict();
    const runData = run === undefined ? undefined : store.run(run);
    if (run !== undefined && runData !== undefined) {
      for (const tag of runData.metadata.keys()) {
        const ref = findSeries(store, run, tag, PLUGIN.SCALARS, DATA_CLASS.SCALAR);
        if (ref !== undefined && regex.test(tag)) tagToEvents[tag] = scalarRows(ref, limit);
      }
    }
    sendJson(res, { regex_valid: true, tag_to_events: tagToEvents });
  });
  return router;
}
