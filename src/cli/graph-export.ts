import { describeSource, findGraphSource, listGraphSources, readModel, type GraphSource } from '../graph/graph-sources';
import { buildLayerTable } from '../graph/layer-table';
import type { ModelGraph } from '../graph/model';
import { modelToDot } from '../graph/dot-export';
import { modelText } from '../graph/text-export';
import { buildScopeTree } from '../common/scope-tree';
import { discoverRuns } from '../logdir/discover-runs';
import { loadRun } from '../logdir/load-run';
import type { RunData } from '../store/run-data';
import { GRAPH_FORMATS, type GraphFlags, type GraphFormat } from './graph-flags';
import { requireDirectory } from './path-flags';
import { UsageError } from './usage-error';

/** The export text for the flags; UsageError for anything the caller got wrong. */
export async function graphExport(flags: GraphFlags): Promise<string> {
  if (flags.logdir === undefined) throw new UsageError('graph: --logdir is required');
  if (flags.run === undefined) throw new UsageError('graph: --run is required');
  if (!(GRAPH_FORMATS as readonly string[]).includes(flags.format))
    throw new UsageError(`--format must be one of ${GRAPH_FORMATS.join(', ')}`);
  requireDirectory(flags.logdir);

  const runs = await discoverRuns(flags.logdir);
  const found = runs.find((r) => r.name === flags.run);
  if (found === undefined) {
    const names = runs.map((r) => r.name).join(', ') || 'none';
    throw new UsageError(`graph: no run '${flags.run}' in ${flags.logdir} (runs: ${names})`);
  }
  const run = await loadRun(flags.logdir, found, { purgeOrphanedData: true }, () => {});
  const source = chooseSource(run, flags.tag);
  const model = await readModel(run, source);
  if (model === undefined)
    throw new UsageError(`graph: the ${describeSource(source)} of run '${run.name}' holds no data`);
  return render(model, flags.format as GraphFormat, run.name, source);
}

function chooseSource(run: RunData, tag: string | undefined): GraphSource {
  const found = findGraphSource(run, tag === undefined ? {} : { tag });
  if (found !== undefined) return found;
  if (tag === undefined) throw new UsageError(`graph: run '${run.name}' has no model graph`);
  const known =
    listGraphSources(run)
      .flatMap((s) => ('tag' in s ? [s.tag] : []))
      .join(', ') || 'none';
  throw new UsageError(`graph: run '${run.name}' has no graph tag '${tag}' (graph tags: ${known})`);
}

function render(model: ModelGraph, format: GraphFormat, runName: string, source: GraphSource): string {
  switch (format) {
    case 'txt':
      return `# run ${runName}: ${describeSource(source)}\n${modelText(model)}`;
    case 'dot':
      return `// run ${runName}: ${describeSource(source)}\n${modelToDot(model)}`;
    case 'json':
      return `${JSON.stringify(
        {
          run: runName,
          source,
          ops: model.ops,
          totalParams: model.totalParams,
          paramsKnown: model.paramsKnown,
          layers: buildLayerTable(model).rows,
          scopes: scopeSummary(model),
        },
        null,
        1,
      )}\n`;
  }
}

/** Scope paths with their op and parameter counts, for diffs of model structure. */
function scopeSummary(model: ModelGraph): { path: string; ops: number; params: number }[] {
  const out: { path: string; ops: number; params: number }[] = [];
  const walk = (node: ReturnType<typeof buildScopeTree>): void => {
    if (node.children.length > 0 && node.path !== '')
      out.push({ path: node.path, ops: node.opCount, params: node.params });
    for (const child of node.children) walk(child);
  };
  walk(buildScopeTree(model));
  return out;
}
