import { runToEnd, type Steps } from './cooperative';
import type { ModelGraph, ModelOp } from './model';
import { scopeOf } from '../common/scope-tree';

/**
 * A table of layers: a layer is a name scope that directly holds a
 * computing op (`Net/Conv2d[conv]`, `dense1`), or a computing op outside
 * any scope (`x`, `loss`). For Keras configs every node is a layer. Each
 * row shows its main op (the one whose output leaves the scope), that op's
 * output shape, and the parameters (variables, weight constants) inside it.
 */
export interface LayerRow {
  name: string;
  /** The op whose output leaves the layer (its last op when none does). */
  op: string;
  /** Other op types computed directly in the layer, in order. */
  ops: string[];
  /** Output shapes of the main op, "" when the graph does not record them. */
  outputShape: string;
  /** Parameters, undefined when the layer holds none the graph shows. */
  params: number | undefined;
}

export interface LayerTable {
  rows: LayerRow[];
  totalParams: number;
  /** Whether the graph carries parameter counts at all. */
  paramsKnown: boolean;
  totalOps: number;
}

/** Plumbing ops: constants, reads, list building, variables themselves. */
const PLUMBING = new Set([
  'Const',
  'Identity',
  'NoOp',
  'VariableV2',
  'Variable',
  'VarHandleOp',
  'Assign',
  'AssignVariableOp',
  'ReadVariableOp',
  'prim::Constant',
  'prim::ListConstruct',
  'prim::TupleConstruct',
  'prim::TupleUnpack',
  'prim::ListUnpack',
  'prim::GetAttr',
  '_Retval',
  'StopGradient',
  'VarIsInitializedOp',
  'IsVariableInitialized',
]);

/** Ops that only set things up or pass values along: not what a layer computes. */
export function isPlumbing(op: ModelOp): boolean {
  // TF variable initializers live under ".../Initializer/": setup, not the model.
  return PLUMBING.has(op.op) || op.name.includes('/Initializer/');
}

/** Graph inputs and outputs are rows of their own, even when they share a scope (PyTorch's input/x, input/y). */
const OWN_ROW = new Set(['IO Node', 'Placeholder', '_Arg']);

export function buildLayerTable(model: ModelGraph): LayerTable {
  return runToEnd(layerTableSteps(model));
}

/** Ops or layers handled per step of `layerTableSteps` (a few ms). */
const ITEMS_PER_STEP = 5000;

/** `buildLayerTable` as steps of a few thousand ops (see cooperative.ts). */
export function* layerTableSteps(model: ModelGraph): Steps<LayerTable> {
  const keras = model.ops.length > 0 && model.ops.every((op) => op.attrs.keras_class !== undefined);
  const rows = keras ? kerasRows(model) : yield* scopeRows(model);
  return { rows, totalParams: model.totalParams, paramsKnown: model.paramsKnown, totalOps: model.ops.length };
}

function kerasRows(model: ModelGraph): LayerRow[] {
  return model.ops.map((op) => ({
    name: op.name,
    op: op.op,
    ops: [],
    outputShape: op.outputShapes.join(', '),
    params: op.params,
  }));
}

interface Pending {
  name: string;
  direct: ModelOp[];
  params: number | undefined;
}

function* scopeRows(model: ModelGraph): Steps<LayerRow[]> {
  const layers = new Map<string, Pending>();
  // Layers: scopes with a computing op directly inside; ops at the root are their own layer.
  let n = 0;
  for (const op of model.ops) {
    if (++n % ITEMS_PER_STEP === 0) yield;
    if (isPlumbing(op)) continue;
    const scope = scopeOf(op.name);
    const key = scope === '' || OWN_ROW.has(op.op) ? op.name : scope;
    let layer = layers.get(key);
    if (layer === undefined) layers.set(key, (layer = { name: key, direct: [], params: undefined }));
    layer.direct.push(op);
  }
  // Parameters go to the nearest enclosing layer, or make a row of their own.
  for (const op of model.ops) {
    if (++n % ITEMS_PER_STEP === 0) yield;
    if (op.params === undefined) continue;
    let scope = scopeOf(op.name);
    let layer: Pending | undefined;
    while (layer === undefined && scope !== '') {
      layer = layers.get(scope);
      scope = scopeOf(scope);
    }
    if (layer === undefined) {
      layer = layers.get(op.name);
      if (layer === undefined) layers.set(op.name, (layer = { name: op.name, direct: [op], params: undefined }));
    }
    layer.params = (layer.params ?? 0) + op.params;
  }
  const consumedOutside = yield* outsideConsumers(model, layers);
  const rows: LayerRow[] = [];
  let sinceStep = 0;
  for (const layer of layers.values()) {
    sinceStep += layer.direct.length;
    if (sinceStep >= ITEMS_PER_STEP) {
      sinceStep = 0;
      yield;
    }
    const outputs = layer.direct.filter((op) => consumedOutside.has(op.name));
    const main = outputs[outputs.length - 1] ?? layer.direct[layer.direct.length - 1];
    const opTypes = [...new Set(layer.direct.map((op) => op.op))].filter((t) => t !== main?.op);
    rows.push({
      name: layer.name,
      op: main?.op ?? '',
      ops: opTypes,
      outputShape: main?.outputShapes.join(', ') ?? '',
      params: layer.params,
    });
  }
  return rows;
}

/** Ops whose output is read by an op of another layer (or by nothing: graph outputs). */
function* outsideConsumers(model: ModelGraph, layers: Map<string, Pending>): Steps<Set<string>> {
  const layerOf = new Map<string, string>();
  let n = 0;
  for (const layer of layers.values()) {
    for (const op of layer.direct) {
      if (++n % ITEMS_PER_STEP === 0) yield;
      layerOf.set(op.name, layer.name);
    }
  }
  const out = new Set<string>();
  for (const op of model.ops) {
    if (++n % ITEMS_PER_STEP === 0) yield;
    const own = layerOf.get(op.name) ?? scopeOf(op.name);
    for (const input of op.inputs) {
      const producerLayer = layerOf.get(input.name);
      if (producerLayer !== undefined && producerLayer !== own && !isInside(op.name, producerLayer))
        out.add(input.name);
    }
  }
  return out;
}

function isInside(name: string, scope: string): boolean {
  return name.startsWith(`${scope}/`);
}
