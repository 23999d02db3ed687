/** The model structure the server sends (`data/plugin/graphs/model`), and its scope tree. */

export interface ModelInput {
  name: string;
  output: number;
  control: boolean;
}

export interface ModelOp {
  name: string;
  op: string;
  device: string;
  inputs: ModelInput[];
  attrs: Record<string, string>;
  outputShapes: string[];
  params?: number;
}

export interface LayerRow {
  name: string;
  op: string;
  ops: string[];
  outputShape: string;
  params?: number;
}

export type GraphSource =
  | { kind: 'run_graph' }
  | { kind: 'meta_graph' }
  | { kind: 'op_graph'; tag: string }
  | { kind: 'conceptual'; tag: string };

export interface ModelResponse {
  run: string;
  source: GraphSource;
  ops: ModelOp[];
  totalParams: number;
  paramsKnown: boolean;
  layers: LayerRow[];
}

export function sourceLabel(s: GraphSource): string {
  switch (s.kind) {
    case 'run_graph':
      return 'Run graph';
    case 'meta_graph':
      return 'Meta graph';
    case 'op_graph':
      return `Trace: ${s.tag}`;
    case 'conceptual':
      return `Keras model: ${s.tag}`;
  }
}

/** A name scope, or an op, or both (TF's `add` with `add/y`). */
export interface ScopeNode {
  name: string;
  path: string;
  op?: ModelOp;
  children: ScopeNode[];
  parent: ScopeNode | undefined;
  /** Ops in the subtree, own op included. */
  opCount: number;
  params: number;
}

export interface ScopeTree {
  root: ScopeNode;
  byPath: Map<string, ScopeNode>;
  /** Ops reading each op's outputs, by producer name. */
  consumers: Map<string, string[]>;
}

export function buildScopeTree(ops: ModelOp[]): ScopeTree {
  const root: ScopeNode = { name: '', path: '', children: [], parent: undefined, opCount: 0, params: 0 };
  const byPath = new Map<string, ScopeNode>([['', root]]);
  const consumers = new Map<string, string[]>();
  for (const op of ops) {
    let parent = root;
    let path = '';
    root.opCount++;
    root.params += op.params ?? 0;
    for (const part of op.name.split('/')) {
      path = path === '' ? part : `${path}/${part}`;
      let node = byPath.get(path);
      if (node === undefined) {
        node = { name: part, path, children: [], parent, opCount: 0, params: 0 };
        byPath.set(path, node);
        parent.children.push(node);
      }
      node.opCount++;
      node.params += op.params ?? 0;
      parent = node;
    }
    parent.op ??= op;
    for (const input of op.inputs) {
      let list = consumers.get(input.name);
      if (list === undefined) consumers.set(input.name, (list = []));
      list.push(op.name);
    }
  }
  return { root, byPath, consumers };
}

export function isScope(node: ScopeNode): boolean {
  return node.children.length > 0;
}

/** Thousands separated: 1234567 → "1,234,567". */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 op", "12 ops". */
export function opsText(n: number): string {
  return `${groupDigits(n)} op${n === 1 ? '' : 's'}`;
}
