import { DTYPE_NAMES } from '../events/types';
import { toSafeNumber, type TensorShapeMsg } from '../protobuf/schema';
import type { AttrValueMsg, GraphDefMsg, NodeDefMsg } from './messages';
import { runToEnd, type Steps } from './cooperative';
import { escapeBytes, formatFloat32 } from '../protobuf/text-format-printer';

/**
 * One model structure for every graph source (TF graph_def, traced function
 * graphs, Keras configs, PyTorch add_graph): ops with their scope, inputs,
 * output shapes and parameter counts where the graph carries them. The
 * views (tree, table, DOT, the browser graph) all read this form.
 */
export interface ModelOp {
  /** Full name, scopes separated by "/". */
  name: string;
  /** Op type; a Keras layer's class; "" when the graph says nothing. */
  op: string;
  device: string;
  inputs: ModelInput[];
  /** Attribute values as short text (huge ones are summarised). */
  attrs: Record<string, string>;
  /** Output shapes, e.g. "[1,4,8,8]", "?" for unknown dims, when the graph records them. */
  outputShapes: string[];
  /** Elements held by this op when it is a weight (variable or float constant). */
  params?: number;
}

export interface ModelInput {
  /** The producing op's name. */
  name: string;
  /** Output index of the producer (0 when not given). */
  output: number;
  /** A control dependency ("^name"), not data. */
  control: boolean;
}

export interface ModelGraph {
  ops: ModelOp[];
  /** Parameters of all ops together. */
  totalParams: number;
  /** False when no op carries a parameter count (PyTorch graphs, Keras configs): totals mean nothing then. */
  paramsKnown: boolean;
}

/** Longest attribute text kept per attribute. */
const MAX_ATTR_TEXT = 200;

/** Ops that hold trainable state: their `shape` attribute counts parameters. */
const VARIABLE_OPS = new Set(['VariableV2', 'Variable', 'VarHandleOp', 'VarHandle', 'AutoReloadVariable']);
const ASSIGN_OPS = new Set(['Assign', 'AssignVariableOp']);
const FLOAT_DTYPES = new Set([1, 2, 14, 19]);

/** "x:1" → {x, 1}; "^x" → control; names with other colons (PyTorch) stay whole. */
export function parseInput(input: string): ModelInput {
  const control = input.startsWith('^');
  const name = control ? input.slice(1) : input;
  const m = /^(.*):(\d+)$/.exec(name);
  if (m !== null && !control) return { name: m[1] as string, output: Number(m[2]), control };
  return { name, output: 0, control };
}

export function shapeText(shape: TensorShapeMsg | null | undefined): string {
  if (shape === null || shape === undefined) return '?';
  if (shape.unknownRank) return '*';
  return `[${(shape.dim ?? [])
    .map((d) => {
      const n = toSafeNumber(d.size);
      return n < 0 ? '?' : String(n);
    })
    .join(',')}]`;
}

function elementCount(shape: TensorShapeMsg | null | undefined): number | undefined {
  if (shape === null || shape === undefined || shape.unknownRank) return undefined;
  let n = 1;
  for (const d of shape.dim ?? []) {
    const size = toSafeNumber(d.size);
    if (size < 0) return undefined;
    n *= size;
  }
  return n;
}

function bytesText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  return /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)
    ? `"${escapeBytes(bytes.subarray(0, MAX_ATTR_TEXT))}"`
    : JSON.stringify(text);
}

/** A field the message really has (decoded messages keep defaults on their prototype). */
function own<K extends keyof AttrValueMsg>(value: AttrValueMsg, key: K): AttrValueMsg[K] | undefined {
  const v = Object.hasOwn(value, key) ? value[key] : undefined;
  return v === null ? undefined : v;
}

/** An attribute value as one short line. */
export function attrText(value: AttrValueMsg): string {
  let text: string;
  const s = own(value, 's');
  const i = own(value, 'i');
  const f = own(value, 'f');
  const b = own(value, 'b');
  const type = own(value, 'type');
  const placeholder = own(value, 'placeholder');
  if (s !== undefined) text = bytesText(s);
  else if (i !== undefined) text = String(toSafeNumber(i));
  else if (f !== undefined) text = formatFloat32(f);
  else if (b !== undefined) text = String(b);
  else if (type !== undefined) text = DTYPE_NAMES[type] ?? String(type);
  else if (value.shape) text = shapeText(value.shape);
  else if (value.tensor) {
    const t = value.tensor;
    text = `${DTYPE_NAMES[t.dtype ?? 0] ?? t.dtype} tensor ${shapeText(t.tensorShape)}`;
  } else if (value.func) text = `function ${value.func.name ?? ''}`;
  else if (placeholder !== undefined) text = `$${placeholder}`;
  else if (value.list) {
    const l = value.list;
    const parts: string[] = [
      ...(l.s ?? []).map(bytesText),
      ...(l.i ?? []).map((i) => String(toSafeNumber(i))),
      ...(l.f ?? []).map(formatFloat32),
      ...(l.b ?? []).map(String),
      ...(l.type ?? []).map((t) => DTYPE_NAMES[t] ?? String(t)),
      ...(l.shape ?? []).map(shapeText),
      ...(l.tensor ?? []).map((t) => `${DTYPE_NAMES[t.dtype ?? 0] ?? t.dtype} tensor ${shapeText(t.tensorShape)}`),
      ...(l.func ?? []).map((f) => `function ${f.name ?? ''}`),
    ];
    text = `[${parts.join(', ')}]`;
  } else text = '';
  return text.length > MAX_ATTR_TEXT ? `${text.slice(0, MAX_ATTR_TEXT)}…` : text;
}

function paramsOf(node: NodeDefMsg, consumers: Map<string, string[]>): number | undefined {
  const attr = node.attr ?? {};
  const op = node.op ?? '';
  if (VARIABLE_OPS.has(op)) return elementCount(attr.shape?.shape);
  if (op === '_Arg' && attr.T?.type === 20) {
    // A variable captured by a traced function: its handle's shape.
    return elementCount(attr._handle_shapes?.list?.shape?.[0]);
  }
  if (op === 'Const') {
    const tensor = attr.value?.tensor;
    if (!tensor || !FLOAT_DTYPES.has(tensor.dtype ?? 0) || (tensor.tensorShape?.dim ?? []).length === 0)
      return undefined;
    // A variable's initial value is not a second copy of its parameters.
    const users = consumers.get(node.name ?? '') ?? [];
    if (users.length > 0 && users.every((op) => ASSIGN_OPS.has(op))) return undefined;
    return elementCount(tensor.tensorShape);
  }
  return undefined;
}

/** Nodes handled per step of `modelSteps` (about 5 ms). */
const NODES_PER_STEP = 1000;

/** The model structure of a GraphDef (any source). Holds no reference to the message. */
export function modelFromGraphDef(graph: GraphDefMsg): ModelGraph {
  return runToEnd(modelSteps(graph));
}

/** `modelFromGraphDef` as steps of a thousand nodes (see cooperative.ts). */
export function* modelSteps(graph: GraphDefMsg): Steps<ModelGraph> {
  const nodes = graph.node ?? [];
  const consumers = new Map<string, string[]>();
  for (let i = 0; i < nodes.length; i++) {
    if (i > 0 && i % NODES_PER_STEP === 0) yield;
    const node = nodes[i] as NodeDefMsg;
    for (const input of node.input ?? []) {
      const { name } = parseInput(input);
      let list = consumers.get(name);
      if (list === undefined) consumers.set(name, (list = []));
      list.push(node.op ?? '');
    }
  }
  let totalParams = 0;
  let paramsKnown = false;
  const ops: ModelOp[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (i % NODES_PER_STEP === 0) yield;
    const node = nodes[i] as NodeDefMsg;
    const op = opOf(node);
    const params = paramsOf(node, consumers);
    if (params !== undefined) {
      op.params = params;
      totalParams += params;
      paramsKnown = true;
    }
    ops.push(op);
  }
  return { ops, totalParams, paramsKnown };
}

/** A node as an op, without its parameter count. */
function opOf(node: NodeDefMsg): ModelOp {
  const attrs: Record<string, string> = {};
  const outputShapes: string[] = [];
  for (const [key, value] of Object.entries(node.attr ?? {})) {
    if (key === '_output_shapes') outputShapes.push(...(value.list?.shape ?? []).map(shapeText));
    else attrs[key] = attrText(value);
  }
  const keras = node.attr?.keras_class?.s;
  return {
    name: node.name ?? '',
    op: node.op || (keras ? Buffer.from(keras).toString('utf8') : ''),
    device: node.device ?? '',
    inputs: (node.input ?? []).map(parseInput),
    attrs,
    outputShapes,
  };
}
