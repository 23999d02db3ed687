/**
 * Ops grouped by name scope: `Net/Conv2d[conv]/input.1` sits in scope
 * `Net/Conv2d[conv]`. A name can be an op and a scope at once (TF's
 * `dense/add` with `dense/add/y`); the node then has `op` and children.
 * Built the same way for the CLI's tree and DOT exports and the browser's graph view.
 */

import type { ModelOp } from './responses/graph-model';

/** What the tree needs of an op: its full name, scopes separated by "/", and its parameters. */
export interface ScopeOp {
  name: string;
  params?: number | undefined;
}

export interface ScopeNode<Op extends ScopeOp = ModelOp> {
  /** The last name segment ("" for the root). */
  name: string;
  /** Full path ("" for the root). */
  path: string;
  /** The first op of that exact name. */
  op?: Op;
  /** In order of first appearance in the graph. */
  children: ScopeNode<Op>[];
  /** Undefined for the root. */
  parent: ScopeNode<Op> | undefined;
  /** Ops in this subtree, this node's own op included. */
  opCount: number;
  /** Parameters of the ops in this subtree. */
  params: number;
}

export interface ScopeTree<Op extends ScopeOp = ModelOp> {
  root: ScopeNode<Op>;
  /** Every node by path, the root ("") first, then in order of first appearance. */
  byPath: Map<string, ScopeNode<Op>>;
}

/** The scope tree of a list of ops, with every node by path. */
export function scopeTree<Op extends ScopeOp>(ops: readonly Op[]): ScopeTree<Op> {
  const root: ScopeNode<Op> = { name: '', path: '', children: [], parent: undefined, opCount: 0, params: 0 };
  const byPath = new Map<string, ScopeNode<Op>>([['', root]]);
  for (const op of ops) {
    const params = op.params ?? 0;
    root.opCount++;
    root.params += params;
    let parent = root;
    let path = '';
    for (const part of op.name.split('/')) {
      path = path === '' ? part : `${path}/${part}`;
      let node = byPath.get(path);
      if (node === undefined) {
        node = { name: part, path, children: [], parent, opCount: 0, params: 0 };
        byPath.set(path, node);
        parent.children.push(node);
      }
      node.opCount++;
      node.params += params;
      parent = node;
    }
    parent.op ??= op;
  }
  return { root, byPath };
}

/** The root of the scope tree of a model's ops. */
export function buildScopeTree<Op extends ScopeOp>(model: { ops: readonly Op[] }): ScopeNode<Op> {
  return scopeTree(model.ops).root;
}

/** The scope path of an op: its name without the last segment. */
export function scopeOf(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? '' : name.slice(0, i);
}
