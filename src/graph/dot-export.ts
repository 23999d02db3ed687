import type { ModelGraph } from './model';
import { buildScopeTree, type ScopeNode } from '../common/scope-tree';

/** A DOT double-quoted ID. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The model as a Graphviz digraph: scopes are clusters, ops are boxes
 * labelled with name and type, data edges carry the producer's output
 * shape where the graph records it, control edges are dashed.
 */
export function modelToDot(model: ModelGraph, options: { rankdir?: 'TB' | 'LR' } = {}): string {
  const lines = [
    'digraph model {',
    `  rankdir=${options.rankdir ?? 'TB'};`,
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8];',
  ];
  const walk = (node: ScopeNode, indent: string): void => {
    if (node.op !== undefined) {
      const op = node.op;
      lines.push(`${indent}${quote(op.name)} [label=${quote(`${node.name}\n${op.op}`)}];`);
    }
    if (node.children.length === 0) return;
    const inner = node.path === '' ? indent : `${indent}  `;
    if (node.path !== '') {
      lines.push(`${indent}subgraph ${quote(`cluster_${node.path}`)} {`);
      lines.push(`${inner}label=${quote(node.name)};`);
    }
    for (const child of node.children) walk(child, inner);
    if (node.path !== '') lines.push(`${indent}}`);
  };
  walk(buildScopeTree(model), '  ');
  const byName = new Map(model.ops.map((op) => [op.name, op]));
  for (const op of model.ops) {
    for (const input of op.inputs) {
      if (!byName.has(input.name)) continue;
      const attrs: string[] = [];
      if (input.control) attrs.push('style=dashed');
      else {
        const shape = byName.get(input.name)?.outputShapes[input.output];
        if (shape !== undefined) attrs.push(`label=${quote(shape)}`);
      }
      lines.push(`  ${quote(input.name)} -> ${quote(op.name)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
