import { Router, type Request } from 'express';
import { PLUGIN, RUN_GRAPH_TAG } from '../../../events/plugins';
import { DATA_CLASS } from '../../../events/types';
import {
  describeSource,
  findGraphSource,
  listGraphSources,
  readConceptualGraph,
  readModel,
  readOpGraph,
  readRunGraph,
  readTagBlob,
  PROFILE_PLUGINS,
} from '../../../graph/graph-sources';
import { runInTurns, nextTurn } from '../../../graph/cooperative';
import { layerTableSteps } from '../../../graph/layer-table';
import type { ModelGraph } from '../../../graph/model';
import { KerasConfigError } from '../../../graph/keras-graph';
import { GraphMergeError } from '../../../graph/merge-graph-defs';
import {
  decodeRunMetadata,
  GraphDecodeError,
  GraphDefType,
  RunMetadataType,
  type GraphDefMsg,
} from '../../../graph/messages';
import { pbtxtSlices } from '../../../protobuf/text-format-printer';
import { dropLargeAttrs, type AttrLimit } from '../../../graph/prepare-for-ui';
import type { RunData } from '../../../store/run-data';
import type { Store } from '../../../store/store';
import type { GraphModelsResponse, ModelResponse } from '../../../common/responses/graph-model';
import { listSeries } from '../../data/series';
import { badRequest, HttpError, notFound } from '../../http/http-error';
import { jsonSlices } from '../../http/json';
import { tensorboardQuery } from '../../http/params';
import { clientGone, JSON_TYPE, sendJson, sendSlices, type TextSlices } from '../../http/send';

/**
 * TensorBoard 2.21's graphs plugin (mounted at /data/plugin/graphs):
 * `/info` lists what each run offers, `/graph` answers a GraphDef as text
 * format, `/run_metadata` a RunMetadata. Differences, on purpose: where
 * TensorBoard fails with a 500 (a non-positive `limit_attr_size`, a limit
 * without `large_attrs_key`, graphs that cannot be merged or decoded, a
 * Keras config it cannot read), featherboard answers 400 or 422 and says why.
 * Two routes are featherboard's own, for its graph view: `/models` and `/model`.
 */
export function graphsRoutes(store: Store): Router {
  const router = Router();
  router.get('/info', (_req, res) => {
    sendJson(res, graphsInfo(store));
  });
  router.get('/graph', async (req, res) => {
    const gone = clientGone(res);
    const text = await graphText(store, req, gone);
    if (text !== undefined) await sendSlices(res, text, gone, PBTXT_TYPE);
  });
  router.get('/run_metadata', async (req, res) => {
    await sendSlices(res, await runMetadataText(store, req), clientGone(res), PBTXT_TYPE);
  });
  // featherboard's own, for its graph view: which graphs each run has, and one as a model structure.
  router.get('/models', (_req, res) => {
    sendJson(res, graphModels(store));
  });
  router.get('/model', async (req, res) => {
    const gone = clientGone(res);
    const model = await graphModel(store, req);
    await sendSlices(res, jsonSlices(model), gone, JSON_TYPE);
  });
  return router;
}

/** Every run with a model graph, and its graphs (run graph, meta graph, traces, Keras models). */
export function graphModels(store: Store): GraphModelsResponse {
  const out: GraphModelsResponse = {};
  for (const name of store.runNames()) {
    const run = store.run(name);
    const sources = run === undefined ? [] : listGraphSources(run);
    if (sources.length > 0) out[name] = sources;
  }
  return out;
}

const SOURCE_KINDS = new Set(['run_graph', 'meta_graph', 'op_graph', 'conceptual']);

/**
 * `/model?run=R[&kind=K][&tag=T]`: a graph as ops with scopes, shapes and
 * parameters, plus its layer table. Decoding, building and the JSON text
 * (tens of MB for 100,000 nodes) all go a slice per turn of the event loop.
 */
async function graphModel(store: Store, req: Request): Promise<ModelResponse> {
  const query = tensorboardQuery(req);
  const runName = query.get('run');
  if (runName === undefined) throw badRequest('query parameter "run" is required');
  const kind = query.get('kind');
  if (kind !== undefined && !SOURCE_KINDS.has(kind))
    throw badRequest(`parameter "kind" must be one of ${[...SOURCE_KINDS].join(', ')}`);
  const tag = query.get('tag');
  const run = store.run(runName);
  if (run === undefined) throw notFound(`no run "${runName}"`);
  const source = findGraphSource(run, {
    ...(kind !== undefined ? { kind } : {}),
    ...(tag !== undefined ? { tag } : {}),
  });
  if (source === undefined) throw notFound(`run "${runName}" has no such graph`);
  let model: ModelGraph | undefined;
  try {
    model = await readModel(run, source);
  } catch (err) {
    throw unprocessable(err);
  }
  if (model === undefined) throw notFound(`the ${describeSource(source)} of run "${runName}" holds no data`);
  const table = await runInTurns(layerTableSteps(model));
  return {
    run: runName,
    source,
    ops: model.ops,
    totalParams: model.totalParams,
    paramsKnown: model.paramsKnown,
    layers: table.rows,
  } satisfies ModelResponse;
}

interface TagInfo {
  tag: string;
  conceptual_graph: boolean;
  op_graph: boolean;
  profile: boolean;
}

interface RunInfo {
  run: string;
  tags: Record<string, TagInfo>;
  run_graph: boolean;
}

/** The version TensorFlow writes as the plugin content of run-metadata and Keras tags. */
const VERSION_1 = '1';

function contentIsVersion1(content: Uint8Array): boolean {
  return content.length === 1 && content[0] === VERSION_1.charCodeAt(0);
}

/** `/info`: per run, whether it has a run graph, and per tag what kinds of graph it holds. */
export function graphsInfo(store: Store): Record<string, RunInfo> {
  const result: Record<string, RunInfo> = {};
  const runItem = (run: string): RunInfo => (result[run] ??= { run, tags: {}, run_graph: false });
  const tagItem = (run: string, tag: string): TagInfo | undefined => {
    const item = runItem(run);
    if (!tag) return undefined;
    return (item.tags[tag] ??= { tag, conceptual_graph: false, op_graph: false, profile: false });
  };
  const each = (plugin: string, onTag: (run: string, tag: string, content: Uint8Array) => void): void => {
    for (const [run, refs] of listSeries(store, plugin, DATA_CLASS.BLOB_SEQUENCE)) {
      for (const ref of refs) onTag(run, ref.tag, ref.metadata.pluginContent);
    }
  };
  each(PLUGIN.GRAPH_RUN_METADATA_WITH_GRAPH, (run, tag, content) => {
    if (!contentIsVersion1(content)) return;
    const item = tagItem(run, tag);
    if (item) item.op_graph = true;
  });
  each(PLUGIN.GRAPH_RUN_METADATA, (run, tag, content) => {
    if (!contentIsVersion1(content)) return;
    const item = tagItem(run, tag);
    if (item) {
      item.profile = true;
      item.op_graph = true;
    }
  });
  each(PLUGIN.GRAPH_KERAS_MODEL, (run, tag, content) => {
    if (!contentIsVersion1(content)) return;
    const item = tagItem(run, tag);
    if (item) item.conceptual_graph = true;
  });
  each(PLUGIN.GRAPHS, (run, tag) => {
    if (tag === RUN_GRAPH_TAG) runItem(run).run_graph = true;
  });
  each(PLUGIN.GRAPH_TAGGED_RUN_METADATA, (run, tag) => {
    const item = tagItem(run, tag);
    if (item) item.profile = true;
  });
  return result;
}

/** Python's int() of a query string: optional sign, digits (underscores between them), surrounding spaces. */
function parsePythonInt(text: string): number | undefined {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (m === null) return undefined;
  const n = Number((m[2] as string).replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

/** Text format, as TensorBoard's graphs routes answer. */
const PBTXT_TYPE = 'text/x-protobuf; charset=utf-8';

/** `/graph`: the text of the graph asked for, or undefined when the client left while it was prepared. */
async function graphText(store: Store, req: Request, gone: () => boolean): Promise<TextSlices | undefined> {
  const query = tensorboardQuery(req);
  const runName = query.get('run');
  const tag = query.get('tag');
  const conceptual = query.get('conceptual') === 'true';
  if (runName === undefined) throw badRequest('query parameter "run" is required');
  const limitText = query.get('limit_attr_size');
  let limit: number | undefined;
  if (limitText !== undefined) {
    limit = parsePythonInt(limitText);
    if (limit === undefined) throw badRequest('query parameter `limit_attr_size` must be an integer');
  }
  const largeAttrsKey = query.get('large_attrs_key');

  // Decoding, the attribute limit and printing all yield to other requests between slices.
  const graph = await readGraph(store.run(runName), tag, conceptual);
  if (graph === undefined) throw notFound('Not found');
  if (limit !== undefined) {
    if (largeAttrsKey === undefined) throw badRequest('large_attrs_key must be != None when limit_attr_size!= None.');
    if (limit <= 0) throw badRequest(`limit_attr_size must be > 0, but is ${limit}`);
    if (!(await dropLargeAttrsInSlices(graph, { limitAttrSize: limit, largeAttrsKey }, gone))) return undefined;
  }
  return pbtxtSlices(GraphDefType, graph);
}

/** Nodes whose attributes are sized per turn of the event loop (about 4 ms for 5,000 nodes). */
const LIMIT_NODES_PER_SLICE = 5000;

/** `dropLargeAttrs` a slice of nodes at a time, yielding between; false when the client left meanwhile. */
async function dropLargeAttrsInSlices(graph: GraphDefMsg, limit: AttrLimit, gone: () => boolean): Promise<boolean> {
  const nodes = graph.node ?? [];
  for (let i = 0; i < nodes.length; i += LIMIT_NODES_PER_SLICE) {
    if (i > 0) await nextTurn();
    if (gone()) return false;
    // It changes the nodes themselves (their `attr`), so a graph of a slice of them is enough.
    dropLargeAttrs({ node: nodes.slice(i, i + LIMIT_NODES_PER_SLICE) }, limit);
  }
  return true;
}

async function readGraph(
  run: RunData | undefined,
  tag: string | undefined,
  conceptual: boolean,
): Promise<GraphDefMsg | undefined> {
  if (run === undefined) return undefined;
  try {
    if (conceptual) return await readConceptualGraph(run, tag ?? '');
    if (tag === undefined) return await readRunGraph(run);
    return await readOpGraph(run, tag);
  } catch (err) {
    throw unprocessable(err);
  }
}

async function runMetadataText(store: Store, req: Request): Promise<TextSlices> {
  const query = tensorboardQuery(req);
  const tag = query.get('tag');
  if (tag === undefined) throw badRequest('query parameter "tag" is required');
  const runName = query.get('run');
  if (runName === undefined) throw badRequest('query parameter "run" is required');
  const run = store.run(runName);
  const bytes = run === undefined ? undefined : await readTagBlob(run, tag, PROFILE_PLUGINS);
  if (bytes === undefined) throw notFound('Not found');
  try {
    return pbtxtSlices(RunMetadataType, decodeRunMetadata(bytes));
  } catch (err) {
    throw unprocessable(err);
  }
}

/** Data that is there but cannot be read as a graph: 422 with the reason, not a crash. */
function unprocessable(err: unknown): unknown {
  if (err instanceof GraphDecodeError || err instanceof GraphMergeError || err instanceof KerasConfigError) {
    return new HttpError(422, err.message);
  }
  return err;
}
