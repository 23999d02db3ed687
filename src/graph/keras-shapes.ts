import type { KerasJson } from './keras-graph';

/**
 * Output shapes and parameter counts of Keras layers, from the model config
 * alone (TensorBoard's conceptual graph has neither). Keras 3 writes each
 * built layer's `build_config.input_shape`: a layer's output shape is the
 * input shape of the layer that consumes it; parameters follow the layer's
 * config (units, filters, kernel size...) as `model.summary()` counts them.
 */
export interface KerasLayerFacts {
  outputShape?: string;
  params?: number;
}

type Shape = (number | null)[];
type JsonObject = { [key: string]: KerasJson };

const isObject = (v: KerasJson | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function asShape(v: KerasJson | undefined): Shape | undefined {
  if (!Array.isArray(v) || v.some((d) => d !== null && typeof d !== 'number')) return undefined;
  return v as Shape;
}

/** Several input shapes ([[...], [...]]), or one. */
function asShapes(v: KerasJson | undefined): Shape[] {
  if (Array.isArray(v) && v.length > 0 && v.every((s) => Array.isArray(s) || s === null)) {
    const shapes = v.map(asShape);
    if (shapes.every((s) => s !== undefined)) return shapes as Shape[];
  }
  const one = asShape(v);
  return one === undefined ? [] : [one];
}

export function kerasShapeText(shape: Shape): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]`;
}

const num = (v: KerasJson | undefined, fallback = 0): number => (typeof v === 'number' ? v : fallback);
const last = (s: Shape | undefined): number | undefined => {
  const d = s?.[s.length - 1];
  return typeof d === 'number' ? d : undefined;
};
const tuple = (v: KerasJson | undefined, rank: number, fallback = 1): number[] =>
  Array.isArray(v) ? v.map((x) => num(x, fallback)) : Array.from({ length: rank }, () => num(v, fallback));

/** Parameters of one layer, when its kind is known and its input shape is. */
function layerParams(className: string, config: JsonObject, input: Shape | undefined): number | undefined {
  const bias = config.use_bias !== false;
  const inC = last(input);
  switch (className) {
    case 'Dense':
    case 'EinsumDense': {
      const units = num(config.units);
      return inC === undefined ? undefined : inC * units + (bias ? units : 0);
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Conv1DTranspose':
    case 'Conv2DTranspose':
    case 'Conv3DTranspose': {
      const rank = Number(/(\d)D/.exec(className)?.[1] ?? 2);
      const filters = num(config.filters);
      const kernel = tuple(config.kernel_size, rank).reduce((a, b) => a * b, 1);
      const groups = num(config.groups, 1) || 1;
      return inC === undefined ? undefined : (kernel * inC * filters) / groups + (bias ? filters : 0);
    }
    case 'DepthwiseConv2D': {
      const kernel = tuple(config.kernel_size, 2).reduce((a, b) => a * b, 1);
      const mult = num(config.depth_multiplier, 1);
      return inC === undefined ? undefined : kernel * inC * mult + (bias ? inC * mult : 0);
    }
    case 'BatchNormalization':
      return inC === undefined
        ? undefined
        : inC * ((config.center !== false ? 1 : 0) + (config.scale !== false ? 1 : 0) + 2);
    case 'LayerNormalization':
      return inC === undefined
        ? undefined
        : inC * ((config.center !== false ? 1 : 0) + (config.scale !== false ? 1 : 0));
    case 'Embedding':
      return num(config.input_dim) * num(config.output_dim);
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const units = num(config.units);
      const gates = className === 'LSTM' ? 4 : className === 'GRU' ? 3 : 1;
      const extraBias = className === 'GRU' && config.reset_after !== false ? units * gates : 0;
      return inC === undefined
        ? undefined
        : gates * ((inC + units) * units + (bias ? units : 0)) + (bias ? extraBias : 0);
    }
    default:
      return WEIGHTLESS.test(className) ? 0 : undefined;
  }
}

/** Layer kinds without weights; other unknown kinds (custom layers) get no count rather than a wrong 0. */
const WEIGHTLESS = new RegExp(
  `^(${[
    'InputLayer|Activation|ReLU|LeakyReLU|ELU|Softmax',
    'Dropout|SpatialDropout[123]D|GaussianNoise|GaussianDropout|AlphaDropout',
    'Flatten|Reshape|Permute|RepeatVector',
    'Add|Subtract|Multiply|Average|Maximum|Minimum|Concatenate|Dot',
    '(Global)?(Max|Average)Pooling[123]D|ZeroPadding[123]D|Cropping[123]D|UpSampling[123]D',
    'Rescaling|Resizing|CenterCrop|Identity',
  ].join('|')})$`,
);

/** Output shape from the layer's own config, for layers nobody consumes (the model's outputs). */
function ownOutputShape(className: string, config: JsonObject, inputs: Shape[]): Shape | undefined {
  if (className === 'InputLayer') return asShape(config.batch_shape) ?? asShape(config.batch_input_shape);
  if (inputs.length > 1) return mergedShape(className, config, inputs);
  const input = inputs[0];
  if (input === undefined) return undefined;
  switch (className) {
    case 'Dense':
      return [...input.slice(0, -1), num(config.units)];
    case 'Embedding':
      return [...input, num(config.output_dim)];
    case 'Flatten':
      return [
        input[0] ?? null,
        input.slice(1).every((d) => d !== null) ? (input.slice(1) as number[]).reduce((a, b) => a * b, 1) : null,
      ];
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return config.return_sequences === true
        ? [input[0] ?? null, input[1] ?? null, num(config.units)]
        : [input[0] ?? null, num(config.units)];
    case 'Activation':
    case 'ReLU':
    case 'Dropout':
    case 'BatchNormalization':
    case 'LayerNormalization':
    case 'Softmax':
      return input;
    default:
      return undefined;
  }
}

/** Merging layers: Concatenate sums its axis, the element-wise ones keep the shape. */
function mergedShape(className: string, config: JsonObject, inputs: Shape[]): Shape | undefined {
  const first = inputs[0] as Shape;
  if (/^(Add|Subtract|Multiply|Average|Maximum|Minimum)$/.test(className)) return first;
  if (className !== 'Concatenate' || inputs.some((s) => s.length !== first.length)) return undefined;
  const axis = num(config.axis, -1);
  const at = axis < 0 ? first.length + axis : axis;
  const sizes = inputs.map((s) => s[at]);
  const total = sizes.every((d) => typeof d === 'number') ? (sizes as number[]).reduce((a, b) => a + b, 0) : null;
  return first.map((d, i) => (i === at ? total : d));
}

interface LayerEntry {
  name: string;
  className: string;
  config: JsonObject;
  inputs: Shape[];
  /** Layers feeding this one, in order (scoped names). */
  from: string[];
}

/**
 * Facts per node name of `kerasModelToGraphDef`'s graph. `inputsOf` gives
 * each node's inputs as that graph has them.
 */
export function kerasLayerFacts(
  model: KerasJson,
  nodes: { name: string; inputs: string[] }[],
): Map<string, KerasLayerFacts> {
  const entries = new Map<string, LayerEntry>();
  const walk = (layer: KerasJson, scope: string): void => {
    if (!isObject(layer)) return;
    const config = layer.config;
    if (!isObject(config)) return;
    const layers = config.layers;
    const name = typeof config.name === 'string' ? config.name : '';
    if (Array.isArray(layers)) {
      if (layers.length === 0) return;
      const inner = scope ? `${scope}/${name}` : name;
      for (const sub of layers) walk(sub, inner);
      return;
    }
    const scoped = scope ? `${scope}/${name}` : name;
    const build = layer.build_config;
    entries.set(scoped, {
      name: scoped,
      className: typeof layer.class_name === 'string' ? layer.class_name : '',
      config,
      inputs: isObject(build) ? asShapes(build.input_shape) : [],
      from: [],
    });
  };
  // The model itself is the root: its layers are scoped under its name.
  walk(model, '');
  for (const node of nodes) {
    const entry = entries.get(node.name);
    if (entry !== undefined) entry.from = node.inputs;
  }
  // A layer's output shape is what its consumers were built with.
  const outputs = new Map<string, Shape>();
  for (const entry of entries.values()) {
    entry.from.forEach((producer, i) => {
      const shape =
        entry.inputs.length === entry.from.length
          ? entry.inputs[i]
          : entry.from.length === 1
            ? entry.inputs[0]
            : undefined;
      if (shape !== undefined && !outputs.has(producer)) outputs.set(producer, shape);
    });
  }
  const facts = new Map<string, KerasLayerFacts>();
  for (const entry of entries.values()) {
    const input = entry.inputs.length === 1 ? entry.inputs[0] : undefined;
    const out = outputs.get(entry.name) ?? ownOutputShape(entry.className, entry.config, entry.inputs);
    const params = layerParams(entry.className, entry.config, input);
    const f: KerasLayerFacts = {};
    if (out !== undefined) f.outputShape = kerasShapeText(out);
    if (params !== undefined) f.params = params;
    facts.set(entry.name, f);
  }
  return facts;
}
