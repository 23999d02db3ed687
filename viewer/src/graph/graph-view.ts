import { getJson, query } from '../api';
import { clear, el } from '../dom';
import { opDetails } from './details';
import { layoutGraph, OWN_OP, visibleIdOf, type GraphLayout } from './layout';
import {
  buildScopeTree,
  groupDigits,
  opsText,
  isScope,
  sourceLabel,
  type GraphSource,
  type LayerRow,
  type ModelResponse,
  type ScopeNode,
  type ScopeTree,
} from './model';
import { injectGraphStyles } from './styles';
import { SvgCanvas } from './svg-canvas';
import { layerTableView, treeView } from './text-views';

export interface GraphViewOptions {
  /** The run to open first (default: the first run with a graph). */
  run?: string;
  /** Prefix of the server's URLs (default: relative, so --path_prefix works). */
  baseUrl?: string;
  /** Failed requests are reported here (default: shown in the view). */
  onError?: (where: string, err: unknown) => void;
}

export interface GraphViewHandle {
  readonly root: HTMLElement;
  dispose(): void;
  /** State for browser tests. */
  debug(): {
    run: string | undefined;
    mode: Mode;
    visible: number;
    expanded: string[];
    selected: string | undefined;
    ops: number;
  };
}

type Mode = 'graph' | 'tree' | 'table';

/** Boxes drawn before the view stops expanding scopes on its own. */
const AUTO_EXPAND_BOXES = 40;
/** Most boxes "Expand all" opens; beyond, scopes stay collapsed (a 10,000-op graph stays usable). */
const EXPAND_ALL_BOXES = 1500;
const MAX_SEARCH_RESULTS = 50;

/**
 * The model graph view: runs and their graphs, the graph (scopes as
 * collapsible boxes, laid out by dagre; click an op for its details), the
 * scope tree as text and the layer table. Call from the viewer:
 * `renderGraphView(container, { run })`.
 */
export function renderGraphView(container: HTMLElement, opts: GraphViewOptions = {}): GraphViewHandle {
  injectGraphStyles();
  const view = new GraphView(opts);
  container.append(view.root);
  void view.start();
  return view;
}

class GraphView implements GraphViewHandle {
  readonly root = el('div', { class: 'fbg' });
  private readonly runSelect = el('select', { 'aria-label': 'Run' });
  private readonly sourceSelect = el('select', { 'aria-label': 'Graph' });
  private readonly modeButtons = new Map<Mode, HTMLButtonElement>();
  private readonly search = el('input', {
    type: 'search',
    placeholder: 'Find node…',
    'aria-label': 'Find node',
    class: 'fbg-search',
  });
  private readonly results = el('ul', { class: 'fbg-results', hidden: true });
  private readonly graphTools = el('span', { class: 'fbg-graph-tools' });
  private readonly status = el('span', { class: 'fbg-status' });
  private readonly body = el('div', { class: 'fbg-body' });
  private readonly side = el('aside', { class: 'fbg-side' });
  private readonly canvas = new SvgCanvas(
    { toggle: (p) => this.toggle(p), select: (item) => this.select(item.node.path) },
    (n) => this.scopeSubtitle(n),
  );
  private layers = new Map<string, LayerRow>();
  private models: Record<string, GraphSource[]> = {};
  private model: ModelResponse | undefined;
  private tree: ScopeTree | undefined;
  private expanded = new Set<string>();
  private selected: string | undefined;
  private matches = new Set<string>();
  private mode: Mode = 'graph';
  private rankdir: 'TB' | 'LR' = 'TB';
  private layout: GraphLayout | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly opts: GraphViewOptions) {
    const button = (label: string, title: string, onClick: () => void): HTMLButtonElement => {
      const b = el('button', { type: 'button', title, text: label });
      b.addEventListener('click', onClick);
      return b;
    };
    const modes = el('span', { class: 'fbg-modes', role: 'tablist' });
    for (const [mode, label] of [
      ['graph', 'Graph'],
      ['tree', 'Tree'],
      ['table', 'Layers'],
    ] as const) {
      const b = button(label, `Show the ${label.toLowerCase()}`, () => this.setMode(mode));
      b.setAttribute('role', 'tab');
      this.modeButtons.set(mode, b);
      modes.append(b);
    }
    const direction = button('↔', 'Lay out left to right / top to bottom', () => {
      this.rankdir = this.rankdir === 'TB' ? 'LR' : 'TB';
      this.redraw(true);
    });
    this.graphTools.append(
      button('Expand all', 'Open every scope (up to a size that stays usable)', () => this.expandAll()),
      button('Collapse all', 'Close every scope', () => {
        this.expanded.clear();
        this.status.textContent = `${this.model?.ops.length.toLocaleString('en') ?? 0} ops`;
        this.redraw(true);
      }),
      button('Fit', 'Whole graph in view', () => this.canvas.fit()),
      direction,
    );
    const searchBox = el('span', { class: 'fbg-search-box' }, this.search, this.results);
    this.root.append(
      el(
        'div',
        { class: 'fbg-toolbar' },
        this.runSelect,
        this.sourceSelect,
        modes,
        searchBox,
        this.graphTools,
        this.status,
      ),
      el('div', { class: 'fbg-main' }, this.body, this.side),
    );
    this.runSelect.addEventListener('change', () => this.fillSources());
    this.sourceSelect.addEventListener('change', () => void this.load());
    this.search.addEventListener('input', () => this.find());
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.results.querySelector<HTMLButtonElement>('button')?.click();
      if (e.key === 'Escape') this.closeResults();
    });
  }

  private url(path: string): string {
    return `${this.opts.baseUrl ?? ''}data/plugin/graphs/${path}`;
  }

  private error(where: string, err: unknown): void {
    if (this.abort.signal.aborted) return;
    if (this.opts.onError) this.opts.onError(where, err);
    this.status.textContent = `${where}: ${err instanceof Error ? err.message : String(err)}`;
  }

  async start(): Promise<void> {
    try {
      this.models = await getJson<Record<string, GraphSource[]>>(this.url('models'), this.abort.signal);
    } catch (err) {
      this.error('Loading graphs', err);
      return;
    }
    const runs = Object.keys(this.models);
    clear(this.runSelect);
    for (const run of runs) this.runSelect.append(el('option', { value: run, text: run }));
    if (runs.length === 0) {
      clear(this.body);
      this.body.append(
        el('p', {
          class: 'fbg-empty',
          text: 'No run has a model graph (graph_def, traced function, Keras model or meta graph).',
        }),
      );
      return;
    }
    this.runSelect.value =
      this.opts.run !== undefined && runs.includes(this.opts.run) ? this.opts.run : (runs[0] as string);
    this.fillSources();
  }

  private fillSources(): void {
    clear(this.sourceSelect);
    (this.models[this.runSelect.value] ?? []).forEach((s, i) => {
      this.sourceSelect.append(el('option', { value: String(i), text: sourceLabel(s) }));
    });
    void this.load();
  }

  private async load(): Promise<void> {
    const run = this.runSelect.value;
    const source = this.models[run]?.[Number(this.sourceSelect.value)];
    if (source === undefined) return;
    const pairs: [string, string][] = [
      ['run', run],
      ['kind', source.kind],
    ];
    if ('tag' in source) pairs.push(['tag', source.tag]);
    this.status.textContent = 'Loading…';
    try {
      this.model = await getJson<ModelResponse>(this.url(`model?${query(pairs)}`), this.abort.signal);
    } catch (err) {
      this.error('Loading the graph', err);
      return;
    }
    this.tree = buildScopeTree(this.model.ops);
    this.layers = new Map(this.model.layers.map((l) => [l.name, l]));
    this.expanded = autoExpand(this.tree);
    this.selected = undefined;
    this.matches.clear();
    clear(this.side);
    this.status.textContent = `${this.model.ops.length.toLocaleString('en')} ops`;
    this.render(true);
  }

  private setMode(mode: Mode): void {
    this.mode = mode;
    this.render(true);
  }

  private render(fit: boolean): void {
    for (const [m, b] of this.modeButtons) b.setAttribute('aria-selected', String(m === this.mode));
    this.graphTools.hidden = this.mode !== 'graph';
    clear(this.body);
    if (this.model === undefined || this.tree === undefined) return;
    if (this.mode === 'graph') {
      this.body.append(this.canvas.root);
      this.redraw(fit);
    } else if (this.mode === 'tree') {
      this.body.append(
        el(
          'div',
          { class: 'fbg-scroll' },
          treeView(this.tree, (name) => this.goTo(name)),
        ),
      );
    } else {
      this.body.append(
        el(
          'div',
          { class: 'fbg-scroll' },
          layerTableView(this.model, (name) => this.goTo(name)),
        ),
      );
    }
  }

  private redraw(fit: boolean): void {
    if (this.tree === undefined || this.mode !== 'graph') return;
    this.layout = layoutGraph(this.tree, this.expanded, this.rankdir, (n) => this.scopeSubtitle(n));
    this.canvas.draw(this.layout);
    this.markBoxes();
    if (fit) requestAnimationFrame(() => this.canvas.fit());
  }

  /** A collapsed scope says what it computes when it is a layer (main op → output shape), else its size. */
  private scopeSubtitle(node: ScopeNode): string {
    const layer = this.layers.get(node.path);
    if (layer?.op) return `${layer.op}${layer.outputShape ? ` → ${layer.outputShape}` : ''}`;
    // A name that is an op and a scope (TF's `MatMul` with `MatMul/ReadVariableOp`): say the op.
    const own = node.op !== undefined ? `${node.op.op} · ` : '';
    return `${own}${opsText(node.opCount)}${node.params > 0 ? ` · ${groupDigits(node.params)} params` : ''}`;
  }

  private markBoxes(): void {
    if (this.tree === undefined) return;
    const visible = (name: string): string | undefined =>
      this.tree ? visibleIdOf(this.tree, name, this.expanded) : undefined;
    const matched = new Set<string>();
    for (const m of this.matches) {
      const id = visible(m);
      if (id !== undefined) matched.add(id);
    }
    this.canvas.mark(this.selected === undefined ? undefined : visible(this.selected), matched);
  }

  private toggle(path: string): void {
    if (this.expanded.has(path)) {
      for (const p of [...this.expanded]) if (p === path || p.startsWith(`${path}/`)) this.expanded.delete(p);
    } else {
      this.expanded.add(path);
    }
    this.redraw(false);
  }

  private expandAll(): void {
    if (this.tree === undefined) return;
    const { expanded, complete } = expandBreadthFirst(this.tree, EXPAND_ALL_BOXES);
    this.expanded = expanded;
    this.status.textContent = complete
      ? `${this.model?.ops.length.toLocaleString('en')} ops`
      : `Large graph: scopes opened up to ${EXPAND_ALL_BOXES} boxes; open the rest one by one or search`;
    this.redraw(true);
  }

  private select(path: string): void {
    if (this.tree === undefined) return;
    const node = this.tree.byPath.get(path.endsWith(OWN_OP) ? path.slice(0, -OWN_OP.length) : path);
    if (node === undefined) return;
    this.selected = node.path;
    clear(this.side);
    this.side.append(opDetails(this.tree, node, (name) => this.goTo(name)));
    this.markBoxes();
  }

  /** Show an op or scope in the graph: open the scopes around it, select it, centre it. */
  private goTo(name: string): void {
    if (this.tree === undefined) return;
    const node = this.tree.byPath.get(name);
    if (node === undefined) return;
    for (let n = node.parent; n !== undefined && n.path !== ''; n = n.parent) this.expanded.add(n.path);
    if (this.mode !== 'graph') {
      this.mode = 'graph';
      this.render(false);
    } else {
      this.redraw(false);
    }
    this.select(name);
    const id = visibleIdOf(this.tree, name, this.expanded);
    if (id !== undefined) requestAnimationFrame(() => this.canvas.center(id));
  }

  private find(): void {
    const q = this.search.value.trim().toLowerCase();
    clear(this.results);
    this.matches.clear();
    if (q === '' || this.tree === undefined) {
      this.closeResults();
      this.markBoxes();
      return;
    }
    // Ops whose name matches, then ops whose type matches, then scopes.
    const byName: ScopeNode[] = [];
    const byType: ScopeNode[] = [];
    const scopes: ScopeNode[] = [];
    for (const node of this.tree.byPath.values()) {
      if (node.path === '') continue;
      const nameHit = node.path.toLowerCase().includes(q);
      if (node.op !== undefined && nameHit) byName.push(node);
      else if (node.op?.op.toLowerCase().includes(q)) byType.push(node);
      else if (nameHit) scopes.push(node);
    }
    for (const node of [...byName, ...byType]) this.matches.add(node.path);
    const listed = [...byName, ...byType, ...scopes].slice(0, MAX_SEARCH_RESULTS);
    const shown = listed.length;
    for (const node of listed) {
      const b = el('button', { type: 'button' }, node.path + (node.op === undefined ? '/' : ''));
      if (node.op !== undefined) b.append(el('span', { class: 'fbg-result-op', text: node.op.op }));
      b.addEventListener('click', () => {
        this.closeResults();
        this.goTo(node.path);
      });
      this.results.append(el('li', {}, b));
    }
    if (shown === 0) this.results.append(el('li', { class: 'fbg-muted', text: 'No node matches' }));
    this.results.hidden = false;
    this.markBoxes();
  }

  private closeResults(): void {
    this.results.hidden = true;
  }

  dispose(): void {
    this.abort.abort();
    this.root.remove();
  }

  debug(): ReturnType<GraphViewHandle['debug']> {
    return {
      run: this.model?.run,
      mode: this.mode,
      visible: this.layout?.items.filter((i) => i.kind !== 'cluster').length ?? 0,
      expanded: [...this.expanded].sort(),
      selected: this.selected,
      ops: this.model?.ops.length ?? 0,
    };
  }
}

/** Boxes shown when these scopes are open. */
function boxCount(tree: ScopeTree, expanded: ReadonlySet<string>): number {
  let n = 0;
  const walk = (node: ScopeNode): void => {
    for (const child of node.children) {
      if (isScope(child) && expanded.has(child.path)) {
        if (child.op !== undefined) n++;
        walk(child);
      } else n++;
    }
  };
  walk(tree.root);
  return n;
}

/** Open scopes level by level while the drawing stays below `limit` boxes (and `open` agrees). */
function expandBreadthFirst(
  tree: ScopeTree,
  limit: number,
  open: (scope: ScopeNode) => boolean = () => true,
): { expanded: Set<string>; complete: boolean } {
  const expanded = new Set<string>();
  let boxes = boxCount(tree, expanded);
  let frontier = tree.root.children.filter(isScope);
  while (frontier.length > 0) {
    const next: ScopeNode[] = [];
    for (const scope of frontier) {
      // Opening a scope replaces its box by its children (and its own op).
      const added = scope.children.length + (scope.op !== undefined ? 1 : 0) - 1;
      if (!open(scope)) continue;
      if (boxes + added > limit) return { expanded, complete: false };
      expanded.add(scope.path);
      boxes += added;
      next.push(...scope.children.filter(isScope));
    }
    frontier = next;
  }
  return { expanded, complete: true };
}

/**
 * What a graph opens with: containers (scopes holding scopes of several
 * ops, like PyTorch's `Net/` or `Sequential[...]`) open while the drawing
 * stays small; layers (`Conv2d[conv]`, `dense1`) stay one box each, labelled
 * with what they compute.
 */
function autoExpand(tree: ScopeTree): Set<string> {
  const isContainer = (scope: ScopeNode): boolean => scope.children.some((c) => isScope(c) && c.opCount > 1);
  return expandBreadthFirst(tree, AUTO_EXPAND_BOXES, isContainer).expanded;
}
