import { Graph, layout } from '@dagrejs/dagre';
import { isScope, type ScopeNode, type ScopeTree } from './model';

/**
 * What is drawn for a set of expanded scopes: expanded scopes are clusters
 * around their children, collapsed scopes one box, ops one box each. Edges
 * join the visible boxes that hold their ends (many op edges between two
 * collapsed scopes become one edge with a count). Laid out by dagre.
 */
export interface LayoutItem {
  id: string;
  kind: 'op' | 'scope' | 'cluster';
  node: ScopeNode;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
  /** Op edges drawn as this one. */
  count: number;
  control: boolean;
  label: string;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  items: LayoutItem[];
  edges: LayoutEdge[];
  width: number;
  height: number;
}

/** The id an op's own box gets when its name is also an expanded scope. */
export const OWN_OP = '\u0000op';

const CHAR_W = 6.6;

function opBoxSize(node: ScopeNode): [number, number] {
  const text = Math.max(node.name.length, (node.op?.op ?? '').length);
  return [Math.max(70, Math.min(260, text * CHAR_W + 20)), 36];
}

function scopeBoxSize(node: ScopeNode, subtitle: string): [number, number] {
  const text = Math.max(node.name.length + 2, subtitle.length, 12);
  return [Math.max(90, Math.min(280, text * CHAR_W + 24)), 44];
}

/** The visible box that shows an op: the outermost collapsed scope on its path, or the op itself. */
export function visibleIdOf(tree: ScopeTree, opName: string, expanded: ReadonlySet<string>): string | undefined {
  const node = tree.byPath.get(opName);
  if (node === undefined) return undefined;
  const chain: ScopeNode[] = [];
  for (let n: ScopeNode | undefined = node; n !== undefined && n.path !== ''; n = n.parent) chain.push(n);
  for (let i = chain.length - 1; i >= 0; i--) {
    const n = chain[i] as ScopeNode;
    if (i === 0) return isScope(n) && expanded.has(n.path) ? n.path + OWN_OP : n.path;
    if (!expanded.has(n.path)) return n.path;
  }
  return undefined;
}

/** The second line of a collapsed scope's box. */
export type ScopeSubtitle = (node: ScopeNode) => string;

export function layoutGraph(
  tree: ScopeTree,
  expanded: ReadonlySet<string>,
  rankdir: 'TB' | 'LR',
  subtitle: ScopeSubtitle,
): GraphLayout {
  const g = new Graph({ compound: true });
  g.setGraph({ rankdir, nodesep: 18, ranksep: 36, edgesep: 8, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const kinds = new Map<string, { kind: LayoutItem['kind']; node: ScopeNode }>();

  const add = (node: ScopeNode, parent: string | undefined): void => {
    if (isScope(node) && expanded.has(node.path)) {
      g.setNode(node.path, { label: node.name, paddingTop: 24 });
      kinds.set(node.path, { kind: 'cluster', node });
      if (parent !== undefined) g.setParent(node.path, parent);
      if (node.op !== undefined) {
        const [width, height] = opBoxSize(node);
        g.setNode(node.path + OWN_OP, { width, height });
        kinds.set(node.path + OWN_OP, { kind: 'op', node });
        g.setParent(node.path + OWN_OP, node.path);
      }
      for (const child of node.children) add(child, node.path);
      return;
    }
    const [width, height] = isScope(node) ? scopeBoxSize(node, subtitle(node)) : opBoxSize(node);
    g.setNode(node.path, { width, height });
    kinds.set(node.path, { kind: isScope(node) ? 'scope' : 'op', node });
    if (parent !== undefined) g.setParent(node.path, parent);
  };
  for (const child of tree.root.children) add(child, undefined);

  const edges = new Map<string, Omit<LayoutEdge, 'points'>>();
  const visibleCache = new Map<string, string | undefined>();
  const visible = (name: string): string | undefined => {
    if (!visibleCache.has(name)) visibleCache.set(name, visibleIdOf(tree, name, expanded));
    return visibleCache.get(name);
  };
  for (const node of tree.byPath.values()) {
    const op = node.op;
    if (op === undefined || node.op !== op) continue;
    const to = visible(op.name);
    if (to === undefined) continue;
    for (const input of op.inputs) {
      const from = visible(input.name);
      if (from === undefined || from === to) continue;
      const key = `${from}\u0001${to}`;
      const e = edges.get(key);
      if (e === undefined) {
        const shape = tree.byPath.get(input.name)?.op?.outputShapes[input.output] ?? '';
        edges.set(key, { from, to, count: 1, control: input.control, label: input.control ? '' : shape });
      } else {
        e.count++;
        e.control &&= input.control;
        e.label = `×${e.count}`;
      }
    }
  }
  for (const e of edges.values()) {
    g.setEdge(
      e.from,
      e.to,
      e.label ? { label: e.label, width: e.label.length * 5.5 + 4, height: 12, labelpos: 'c' } : {},
    );
  }

  layout(g);

  const items: LayoutItem[] = [];
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number } | undefined;
    const k = kinds.get(id);
    if (n === undefined || k === undefined) continue;
    items.push({ id, kind: k.kind, node: k.node, x: n.x, y: n.y, width: n.width, height: n.height });
  }
  // Clusters first, outer before inner, so boxes paint over the clusters that hold them.
  const depth = (item: LayoutItem): number => item.node.path.split('/').length;
  items.sort((a, b) => (a.kind === 'cluster' ? 0 : 1) - (b.kind === 'cluster' ? 0 : 1) || depth(a) - depth(b));
  const laidEdges: LayoutEdge[] = [...edges.values()].map((e) => {
    const le = g.edge(e.from, e.to) as { points?: { x: number; y: number }[] } | undefined;
    return { ...e, points: le?.points ?? [] };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { items, edges: laidEdges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
