import type { GraphDefMsg, NodeDefMsg } from './messages';

/**
 * A Keras model config (`model.to_json()`) as the GraphDef TensorBoard's
 * `keras_model_to_graph_def` makes of it: one node per layer, named
 * `<model>/<layer>` (nested models are scopes), attributes `keras_class` and
 * `dtype`, inputs from Keras 3 `inbound_nodes` or, for Sequential models,
 * the previous layer.
 */

/** A config TensorBoard would fail on (it answers 500): featherboard says why. */
export class KerasConfigError extends Error {
  override name = 'KerasConfigError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Python truthiness, which the original's `if x.get(...)` tests rely on. */
function truthy(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

function configOf(layer: Json | undefined): JsonObject {
  if (!isObject(layer)) throw new KerasConfigError('a layer of the Keras model config is not an object');
  const config = layer.config;
  if (!isObject(config)) throw new KerasConfigError('a layer of the Keras model config has no "config" object');
  return config;
}

function text(v: Json | undefined): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return 'None';
  return typeof v === 'number' || typeof v === 'boolean' ? pythonScalar(v) : JSON.stringify(v);
}

function pythonScalar(v: number | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

function scoped(scope: string, name: string): string {
  return scope ? `${scope}/${name}` : name;
}

function* walkLayers(layer: Json): Generator<[string, Json]> {
  yield ['', layer];
  const config = configOf(layer);
  const layers = config.layers;
  if (truthy(layers) && Array.isArray(layers)) {
    const scope = text(config.name);
    for (const sub of layers) {
      for (const [subScope, subLayer] of walkLayers(sub)) yield [subScope ? `${scope}/${subScope}` : scope, subLayer];
    }
  }
}

const isModel = (layer: Json): boolean => {
  const layers = configOf(layer).layers;
  return layers !== undefined && layers !== null;
};

type Inbound = [string, number, number];

/** Keras 3 `inbound_nodes`: dicts whose `args` carry `keras_history` [layer, node index, tensor index]. */
function inboundNodes(layer: JsonObject): Inbound[] {
  const out: Inbound[] = [];
  const nodes = layer.inbound_nodes;
  if (nodes === undefined || nodes === null || !Array.isArray(nodes)) return out;
  for (const node of nodes) {
    if (!isObject(node)) continue; // Keras 2 lists: TensorBoard skips them too.
    const args = node.args;
    for (const arg0 of Array.isArray(args) ? args : []) {
      for (const arg of Array.isArray(arg0) ? arg0 : [arg0]) {
        if (!isObject(arg)) continue;
        const config = arg.config;
        const history = isObject(config) ? config.keras_history : undefined;
        if (!Array.isArray(history) || history.length < 3) continue;
        out.push([text(history[0]), Number(history[1]), Number(history[2])]);
      }
    }
  }
  return out;
}

function outputLayerNames(outputLayers: Json[]): Json[][] {
  return Array.isArray(outputLayers[0]) ? (outputLayers as Json[][]) : [outputLayers];
}

/** TensorFlow DataType numbers for the dtype names TensorBoard's dtype table knows. */
const DTYPES: Record<string, number> = {
  float16: 19,
  half: 19,
  float32: 1,
  float: 1,
  float64: 2,
  double: 2,
  int32: 3,
  uint8: 4,
  uint16: 17,
  uint32: 22,
  uint64: 23,
  int16: 5,
  int8: 6,
  string: 7,
  complex64: 8,
  complex128: 18,
  int64: 9,
  bool: 10,
  qint8: 11,
  quint8: 12,
  qint16: 15,
  quint16: 16,
  qint32: 13,
  bfloat16: 14,
  resource: 20,
  variant: 21,
};

function dtypeNumber(dtype: Json): number | undefined {
  if (typeof dtype === 'string') {
    if (DTYPES[dtype] !== undefined) return DTYPES[dtype];
    const ref = /^(.*)_ref$/.exec(dtype);
    const base = ref?.[1] !== undefined ? DTYPES[ref[1]] : undefined;
    return base !== undefined ? base + 100 : undefined;
  }
  // DataType numbers themselves are accepted (true and 1.0 equal 1 in Python).
  const n = typeof dtype === 'boolean' ? Number(dtype) : dtype;
  if (typeof n === 'number' && Number.isInteger(n) && ((n >= 1 && n <= 23) || (n >= 101 && n <= 123))) return n;
  return undefined;
}

export function kerasModelToGraphDef(model: Json): GraphDefMsg {
  const inputToLayer = new Map<string, string>();
  const modelOutputs = new Map<string, string[]>();
  const nodes: NodeDefMsg[] = [];
  let prevNodeName: string | undefined;

  for (const [scope, layer] of walkLayers(model)) {
    const layerObj = layer as JsonObject;
    if (isModel(layer)) {
      prevNodeName = updateModelMaps(scope, layerObj, inputToLayer, modelOutputs, prevNodeName);
      continue;
    }
    const config = configOf(layer);
    const node: NodeDefMsg & { attr: NonNullable<NodeDefMsg['attr']>; input: string[] } = {
      name: scoped(scope, text(config.name)),
      attr: {},
      input: [],
    };
    const className = layerObj.class_name;
    if (className !== undefined && className !== null)
      node.attr.keras_class = { s: Buffer.from(text(className), 'ascii') };

    const dtypeOrPolicy = config.dtype;
    let dtype: Json | undefined;
    if (isObject(dtypeOrPolicy) && 'config' in dtypeOrPolicy) {
      const policy = dtypeOrPolicy.config;
      dtype = isObject(policy) ? policy.name : undefined;
    } else if (dtypeOrPolicy !== undefined && dtypeOrPolicy !== null) {
      dtype = dtypeOrPolicy;
    }
    if (dtype !== undefined && dtype !== null) {
      const n = dtypeNumber(dtype);
      if (n !== undefined) node.attr.dtype = { type: n };
    }

    if (layerObj.inbound_nodes !== undefined && layerObj.inbound_nodes !== null) {
      for (const [name, , index] of inboundNodes(layerObj)) {
        const inboundName = scoped(scope, name);
        const names = modelOutputs.get(inboundName) ?? [inboundName];
        node.input.push((index < names.length ? names[index] : names[names.length - 1]) as string);
      }
    } else if (prevNodeName !== undefined) {
      node.input.push(prevNodeName);
    }
    const fromParent = inputToLayer.get(node.name as string);
    if (fromParent !== undefined) node.input.push(fromParent);
    prevNodeName = node.name;
    nodes.push(node);
  }
  return nodes.length > 0 ? { node: nodes } : {};
}

/** `_update_dicts`: links a nested model's inputs and outputs to the layers around it. */
function updateModelMaps(
  scope: string,
  model: JsonObject,
  inputToLayer: Map<string, string>,
  modelOutputs: Map<string, string[]>,
  prevNodeName: string | undefined,
): string | undefined {
  const config = configOf(model);
  const layers = config.layers;
  if (!truthy(layers) || !Array.isArray(layers)) throw new KerasConfigError('layer is not a model.');
  const nodeName = scoped(scope, text(config.name));
  const inputLayers = config.input_layers;
  const outputLayers = config.output_layers;
  const inbound = inboundNodes(model);
  const isFunctional = truthy(inputLayers) && truthy(outputLayers);
  const parentIsFunctional = inbound.length > 0;
  const inputs = Array.isArray(inputLayers) ? inputLayers : [];

  if (parentIsFunctional && isFunctional) {
    // TensorBoard formats a [name, i, j] entry itself into the key, which
    // then never matches a layer: only plain names link.
    inputs.forEach((input, i) => {
      const node = inbound[i];
      if (node !== undefined && !Array.isArray(input))
        inputToLayer.set(scoped(nodeName, text(input)), scoped(scope, node[0]));
    });
  } else if (parentIsFunctional && !isFunctional) {
    prevNodeName = scoped(scope, (inbound[0] as Inbound)[0]);
  } else if (!parentIsFunctional && prevNodeName && isFunctional) {
    if (inputs.length !== 1)
      throw new KerasConfigError('Cannot have multi-input Functional model when parent model is not Functional.');
    const input = inputs[0] as Json;
    if (!Array.isArray(input)) inputToLayer.set(scoped(nodeName, text(input)), prevNodeName);
  }

  if (isFunctional && Array.isArray(outputLayers)) {
    modelOutputs.set(
      nodeName,
      outputLayerNames(outputLayers).map((l) => scoped(nodeName, text(Array.isArray(l) ? l[0] : l))),
    );
  } else {
    const last = layers[layers.length - 1];
    modelOutputs.set(nodeName, [scoped(nodeName, text(configOf(last).name))]);
  }
  return prevNodeName;
}

/** JSON as Python's json.loads reads it: NaN and Infinity are allowed. */
export function parseKerasJson(source: string): Json {
  try {
    return JSON.parse(source) as Json;
  } catch {
    const replaced = source.replace(/("(?:[^"\\]|\\.)*")|-?\bInfinity\b|\bNaN\b/g, (m, str: string | undefined) =>
      str !== undefined ? m : 'null',
    );
    try {
      return JSON.parse(replaced) as Json;
    } catch (err) {
      throw new KerasConfigError(`the Keras model config is not JSON (${(err as Error).message})`);
    }
  }
}

export type { Json as KerasJson };
