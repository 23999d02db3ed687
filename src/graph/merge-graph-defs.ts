import type { FunctionDefMsg, GraphDefMsg, NodeDefMsg } from './messages';

/** Merging GraphDefs whose producer versions differ, as TensorBoard refuses to. */
export class GraphMergeError extends Error {
  override name = 'GraphMergeError';
}

/**
 * TensorBoard's `merge_graph_defs`: one graph is returned as is, none gives
 * an empty GraphDef; otherwise graph i's nodes become `graph_<i>/<name>`
 * (inputs too, control inputs included, as TensorBoard does), its functions
 * `graph_<i>_<name>`, and a PartitionedCall's `f` points at the renamed
 * function. Throws GraphMergeError when producer versions differ.
 */
export function mergeGraphDefs(graphs: GraphDefMsg[]): GraphDefMsg {
  if (graphs.length === 1) return graphs[0] as GraphDefMsg;
  const merged: GraphDefMsg = {};
  if (graphs.length === 0) return merged;
  const producer = graphs[0]?.versions?.producer ?? 0;
  if (producer) merged.versions = { ...graphs[0]?.versions };
  const nodes: NodeDefMsg[] = [];
  const functions: FunctionDefMsg[] = [];
  const gradients: NonNullable<NonNullable<GraphDefMsg['library']>['gradient']> = [];
  graphs.forEach((graph, index) => {
    if ((merged.versions?.producer ?? 0) !== (graph.versions?.producer ?? 0)) {
      throw new GraphMergeError('Cannot combine GraphDefs of different versions.');
    }
    const prefix = `graph_${index + 1}`;
    for (const node of graph.node ?? []) nodes.push(prefixedNode(prefix, node));
    for (const fn of graph.library?.function ?? []) {
      functions.push({ ...fn, signature: { ...fn.signature, name: `${prefix}_${fn.signature?.name ?? ''}` } });
    }
    for (const g of graph.library?.gradient ?? []) {
      gradients.push({
        ...g,
        functionName: `${prefix}_${g.functionName ?? ''}`,
        gradientFunc: `${prefix}_${g.gradientFunc ?? ''}`,
      });
    }
  });
  if (nodes.length > 0) merged.node = nodes;
  if (functions.length > 0 || gradients.length > 0) {
    merged.library = {};
    if (functions.length > 0) merged.library.function = functions;
    if (gradients.length > 0) merged.library.gradient = gradients;
  }
  return merged;
}

function prefixedNode(prefix: string, node: NodeDefMsg): NodeDefMsg {
  const copy: NodeDefMsg = { ...node, name: `${prefix}/${node.name ?? ''}` };
  if (node.input !== undefined && node.input.length > 0) copy.input = node.input.map((i) => `${prefix}/${i}`);
  if (node.op === 'PartitionedCall') {
    // TensorBoard reads attr["f"], which creates it when missing.
    const f = node.attr?.f ?? {};
    const funcName = f.func?.name ?? '';
    copy.attr = { ...node.attr, f: { func: { ...f.func, name: `${prefix}_${funcName}` } } };
  }
  return copy;
}
