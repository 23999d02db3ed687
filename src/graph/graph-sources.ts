import { PLUGIN, RUN_GRAPH_TAG } from '../events/plugins';
import { DATA_CLASS } from '../events/types';
import { readBlob } from '../store/read-blob';
import type { RunData } from '../store/run-data';
import { kerasModelToGraphDef, parseKerasJson, type KerasJson } from './keras-graph';
import { kerasLayerFacts } from './keras-shapes';
import { runInTurns } from './cooperative';
import { decodeGraphDefCooperatively, decodeMetaGraphGraphCooperatively } from './decode-in-turns';
import { modelFromGraphDef, modelSteps, type ModelGraph } from './model';
import { mergeGraphDefs } from './merge-graph-defs';
import { decodeRunMetadata, type GraphDefMsg } from './messages';

/**
 * Where a run keeps model graphs, and how to read them as TensorBoard does.
 * A blob of a tag is the first value of the point at the tag's largest step
 * (TensorBoard downsamples a blob sequence to its last step, then reads the
 * first event at that step).
 */

/** Plugins whose tags hold a RunMetadata with function graphs (TensorBoard's op graph). */
export const OP_GRAPH_PLUGINS = [PLUGIN.GRAPH_RUN_METADATA, PLUGIN.GRAPH_RUN_METADATA_WITH_GRAPH];
/** Plugins whose tags hold a RunMetadata worth showing as a profile. */
export const PROFILE_PLUGINS = [PLUGIN.GRAPH_TAGGED_RUN_METADATA, PLUGIN.GRAPH_RUN_METADATA];

/** The bytes of a tag's latest blob under the first plugin that has one, or undefined. */
export async function readTagBlob(
  run: RunData,
  tag: string,
  plugins: readonly string[],
): Promise<Uint8Array | undefined> {
  for (const plugin of plugins) {
    const metadata = run.metadata.get(tag);
    if (metadata === undefined || metadata.pluginName !== plugin || metadata.dataClass !== DATA_CLASS.BLOB_SEQUENCE)
      continue;
    const series = run.series.get(tag);
    if (series === undefined) continue;
    let best = -1;
    for (let i = 0; i < series.length; i++) {
      if (best < 0 || series.steps.get(i) > series.steps.get(best)) best = i;
    }
    const stored = best < 0 ? undefined : series.tensorAt(best);
    const first = stored?.tensor.kind === 'string' ? stored.tensor.values[0] : undefined;
    if (stored === undefined || first === undefined) continue;
    return readBlob(stored.file, first);
  }
  return undefined;
}

/** The run's `graph_def` (tag `__run_graph__`), decoded a batch of nodes per turn of the event loop. */
export async function readRunGraph(run: RunData): Promise<GraphDefMsg | undefined> {
  const bytes = await readTagBlob(run, RUN_GRAPH_TAG, [PLUGIN.GRAPHS]);
  return bytes === undefined ? undefined : decodeGraphDefCooperatively(bytes);
}

/** A traced op graph: the pre-optimization graphs of a RunMetadata's function graphs, merged. */
export async function readOpGraph(run: RunData, tag: string): Promise<GraphDefMsg | undefined> {
  const bytes = await readTagBlob(run, tag, OP_GRAPH_PLUGINS);
  if (bytes === undefined) return undefined;
  const metadata = decodeRunMetadata(bytes);
  return mergeGraphDefs((metadata.functionGraphs ?? []).map((fg) => fg.preOptimizationGraph ?? {}));
}

/** A tag's Keras model config (`model.to_json()`), parsed. */
async function readKerasConfig(run: RunData, tag: string): Promise<KerasJson | undefined> {
  const bytes = await readTagBlob(run, tag, [PLUGIN.GRAPH_KERAS_MODEL]);
  if (bytes === undefined) return undefined;
  return parseKerasJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

/** A Keras model config, as the conceptual graph TensorBoard draws of it. */
export async function readConceptualGraph(run: RunData, tag: string): Promise<GraphDefMsg | undefined> {
  const config = await readKerasConfig(run, tag);
  return config === undefined ? undefined : kerasModelToGraphDef(config);
}

/** The GraphDef inside the run's `meta_graph_def`, if any (TensorBoard's routes do not serve it). */
export async function readMetaGraphGraph(run: RunData): Promise<GraphDefMsg | undefined> {
  if (run.metaGraph === undefined) return undefined;
  return decodeMetaGraphGraphCooperatively(await readBlob(run.metaGraph.file, run.metaGraph.ref));
}

/** One model graph a run offers. */
export type GraphSource =
  | { kind: 'run_graph' }
  | { kind: 'meta_graph' }
  | { kind: 'op_graph'; tag: string }
  | { kind: 'conceptual'; tag: string };

/** Every model graph of a run, the run's own graph first. */
export function listGraphSources(run: RunData): GraphSource[] {
  const out: GraphSource[] = [];
  const graphsTags = run.tagsForPlugin(PLUGIN.GRAPHS);
  if (graphsTags.includes(RUN_GRAPH_TAG) || run.graph !== undefined) out.push({ kind: 'run_graph' });
  if (run.metaGraph !== undefined) out.push({ kind: 'meta_graph' });
  for (const plugin of OP_GRAPH_PLUGINS)
    for (const tag of run.tagsForPlugin(plugin)) out.push({ kind: 'op_graph', tag });
  for (const tag of run.tagsForPlugin(PLUGIN.GRAPH_KERAS_MODEL)) out.push({ kind: 'conceptual', tag });
  return out;
}

/**
 * The graph a user means: the one of this kind and/or tag, or without
 * either the run's first (its graph_def, else meta graph, else traces, else
 * Keras models). Undefined when the run has no such graph.
 */
export function findGraphSource(run: RunData, want: { kind?: string; tag?: string } = {}): GraphSource | undefined {
  return listGraphSources(run).find(
    (s) =>
      (want.kind === undefined || s.kind === want.kind) &&
      (want.tag === undefined || ('tag' in s && s.tag === want.tag)),
  );
}

export async function readGraphSource(run: RunData, source: GraphSource): Promise<GraphDefMsg | undefined> {
  switch (source.kind) {
    case 'run_graph':
      return (
        (await readRunGraph(run)) ??
        (run.graph === undefined
          ? undefined
          : decodeGraphDefCooperatively(await readBlob(run.graph.file, run.graph.ref)))
      );
    case 'meta_graph':
      return readMetaGraphGraph(run);
    case 'op_graph':
      return readOpGraph(run, source.tag);
    case 'conceptual':
      return readConceptualGraph(run, source.tag);
  }
}

/**
 * The model structure of a graph source, built a thousand nodes per turn of
 * the event loop. For a Keras model it also carries each layer's output
 * shape and parameters, read from the config (the conceptual GraphDef has
 * neither).
 */
export async function readModel(run: RunData, source: GraphSource): Promise<ModelGraph | undefined> {
  if (source.kind !== 'conceptual') {
    const graph = await readGraphSource(run, source);
    return graph === undefined ? undefined : runInTurns(modelSteps(graph));
  }
  const config = await readKerasConfig(run, source.tag);
  return config === undefined ? undefined : modelFromKerasConfig(config);
}

/** A Keras model config's structure: TensorBoard's conceptual graph, plus shapes and parameters from the config. */
export function modelFromKerasConfig(config: KerasJson): ModelGraph {
  const model = modelFromGraphDef(kerasModelToGraphDef(config));
  const facts = kerasLayerFacts(
    config,
    model.ops.map((op) => ({ name: op.name, inputs: op.inputs.map((i) => i.name) })),
  );
  let total = 0;
  let known = false;
  for (const op of model.ops) {
    const f = facts.get(op.name);
    if (f?.outputShape !== undefined) op.outputShapes = [f.outputShape];
    if (f?.params !== undefined) {
      op.params = f.params;
      total += f.params;
      known = true;
    }
  }
  return { ops: model.ops, totalParams: total, paramsKnown: known };
}

export function describeSource(source: GraphSource): string {
  switch (source.kind) {
    case 'run_graph':
      return 'run graph (graph_def)';
    case 'meta_graph':
      return 'meta graph (meta_graph_def)';
    case 'op_graph':
      return `op graph of tag "${source.tag}"`;
    case 'conceptual':
      return `Keras model of tag "${source.tag}"`;
  }
}
