import type { ModelGraph, ModelOp } from './model';

/**
 * Ops grouped by name scope: `Net/Conv2d[conv]/input.1` sits in scope
 * `Net/Conv2d[conv]`. A name can be an op and a scope at once (TF's
 * `dense/add` with `dense/add/y`); the node then has `op` and children.
 */
export interface ScopeNode {
  /** The last name segment ("" for the root). */
  name: string;
  /** Full path ("" for the root). */
  path: string;
  op?: ModelOp;
  /** In order of first appearance in the graph. */
  children: ScopeNode[];
  /** Ops in this subtree, this node's own op included. */
  opCount: number;
  /** Parameters of the ops in this subtree. */
  params: number;
}

export function buildScopeTree(model: ModelGraph): ScopeNode {
  const root: ScopeNode = { name: '', path: '', children: [], opCount: 0, params: 0 };
  const byPath = new Map<string, ScopeNode>([['', root]]);
  for (const op of model.ops) {
    let parent = root;
    const parts = op.name.split('/');
    let path = '';
    for (const part of parts) {
      path = path === '' ? part : `${path}/${part}`;
      let child = byPath.get(path);
      if (child === undefined) {
        child = { name: part, path, children: [], opCount: 0, params: 0 };
        byPath.set(path, child);
        parent.children.push(child);
      }
      child.opCount++;
      child.params += op.params ?? 0;
      parent = child;
    }
    parent.op ??= op;
    root.opCount++;
    root.params += op.params ?? 0;
  }
  return root;
}

/** The scope path of an op: its name without the last segment. */
export function scopeOf(name: string): string {
  const i = name.lastIndexOf('/');
  return i < 0 ? '' : name.slice(0, i);
}
