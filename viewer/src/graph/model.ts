/** The model structure the server sends (`data/plugin/graphs/model`), and its scope tree. */
import type { GraphSource, ModelOp } from '../../../src/common/responses/graph-model';
import {
  type ScopeNode as CommonScopeNode,
  type ScopeTree as CommonScopeTree,
  scopeTree,
} from '../../../src/common/scope-tree';

export type { GraphSource, LayerRow, ModelOp, ModelResponse } from '../../../src/common/responses/graph-model';

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
export type ScopeNode = CommonScopeNode<ModelOp>;

export interface ScopeTree extends CommonScopeTree<ModelOp> {
  /** Ops reading each op's outputs, by producer name. */
  consumers: Map<string, string[]>;
}

/** The scope tree of the model's ops, and who reads each op's outputs. */
export function buildScopeTree(ops: readonly ModelOp[]): ScopeTree {
  const consumers = new Map<string, string[]>();
  for (const op of ops) {
    for (const input of op.inputs) {
      let list = consumers.get(input.name);
      if (list === undefined) consumers.set(input.name, (list = []));
      list.push(op.name);
    }
  }
  return { ...scopeTree(ops), consumers };
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
