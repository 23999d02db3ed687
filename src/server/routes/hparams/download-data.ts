import type { Store } from '../../../store/store';
import { badRequest } from '../../http/http-error';
import { buildExperiment } from './experiment';
import { valueToNative, type PbExperiment } from './hparams-data';
import type { ListSessionGroupsRequest } from './request';
import { sessionGroupsPage, type SessionGroup } from './session-groups';
import { tableCsv, tableJson, tableLatex, type Cell, type Table } from './table-formats';

/**
 * `/data/plugin/hparams/download_data`: the HParams dashboard's session table
 * (one row per session group on the requested page, one column per hparam
 * then per metric of the experiment, hidden columns left out) as CSV, JSON or
 * LaTeX. Content types as TensorBoard's `http_util.Respond` sets them:
 * `text/csv` gets a charset, `application/x-latex` is not a text type to it.
 */
const FORMATS: Record<string, { contentType: string; render: (t: Table) => string }> = {
  csv: { contentType: 'text/csv; charset=utf-8', render: tableCsv },
  json: { contentType: 'application/json', render: tableJson },
  latex: { contentType: 'application/x-latex', render: tableLatex },
};

export function downloadFormat(format: string | undefined): { contentType: string; render: (t: Table) => string } {
  const f = format !== undefined && Object.hasOwn(FORMATS, format) ? FORMATS[format] : undefined;
  if (f === undefined) throw badRequest(`Invalid response format: ${format ?? '(none)'}; expected csv, json or latex`);
  return f;
}

/** Python's truth value of a JSON value (the dashboard sends booleans). */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** `columnsVisibility`: a JSON list, one entry per column (hparams, then metrics). */
export function parseColumnsVisibility(text: string | undefined): boolean[] {
  if (text === undefined) throw badRequest('query parameter "columnsVisibility" is required');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('columnsVisibility must be a JSON list');
  }
  if (!Array.isArray(parsed)) throw badRequest('columnsVisibility must be a JSON list');
  return parsed.map(truthy);
}

/** Keep the visible columns; like Python's `zip`, columns past the list's end are dropped. */
function visibleOnly<T>(row: T[], visibility: boolean[]): T[] {
  return row.slice(0, visibility.length).filter((_v, i) => visibility[i]);
}

/** A metric's key in TensorBoard's table: `group.tag` (so names may collide, as there). */
const metricKey = (group: string | undefined, tag: string | undefined) => `${group ?? ''}.${tag ?? ''}`;

export function sessionTable(experiment: PbExperiment, groups: SessionGroup[], visibility: boolean[]): Table {
  const hparamInfos = experiment.hparamInfos ?? [];
  const metricInfos = experiment.metricInfos ?? [];
  const header = [
    ...hparamInfos.map((h) => h.displayName || (h.name ?? '')),
    ...metricInfos.map((m) => m.displayName || (m.name?.tag ?? '')),
  ];
  const rows = groups.map((g) => {
    const metrics = new Map(g.metricValues.map((m) => [metricKey(m.name.group, m.name.tag), m.value]));
    const row: Cell[] = [
      // An hparam the group does not have is an empty string, not a missing value.
      ...hparamInfos.map((h) => valueToNative(g.hparams.get(h.name ?? '')) ?? ''),
      ...metricInfos.map((m) => metrics.get(metricKey(m.name?.group, m.name?.tag)) ?? null),
    ];
    return visibleOnly(row, visibility);
  });
  return { header: visibleOnly(header, visibility), rows };
}

/**
 * The download body for a ListSessionGroups request: same groups as `/session_groups`, same experiment as
 * `/experiment`.
 */
export function downloadData(
  store: Store,
  req: ListSessionGroupsRequest,
  format: string | undefined,
  columnsVisibility: string | undefined,
): { contentType: string; body: string } {
  const f = downloadFormat(format);
  const visibility = parseColumnsVisibility(columnsVisibility);
  const { groups } = sessionGroupsPage(store, req);
  const experiment = buildExperiment(store, req.includeMetrics);
  return { contentType: f.contentType, body: f.render(sessionTable(experiment, groups, visibility)) };
}
