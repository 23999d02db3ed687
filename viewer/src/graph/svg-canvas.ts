import type { GraphLayout, LayoutItem } from './layout';
import { groupDigits, opsText, type ScopeNode } from './model';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function clip(text: string, width: number): string {
  const max = Math.max(3, Math.floor((width - 12) / 6.6));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface CanvasEvents {
  /** A collapsed scope or a cluster's title was clicked. */
  toggle(path: string): void;
  /** An op box was clicked. */
  select(item: LayoutItem): void;
}

/**
 * Draws a laid-out graph as SVG: clusters with a clickable title, boxes for
 * scopes and ops, edges with their labels. Drag to pan, wheel to zoom.
 */
export class SvgCanvas {
  readonly root = document.createElementNS(SVG, 'svg');
  private readonly viewport = svg('g');
  private scale = 1;
  private tx = 0;
  private ty = 0;
  private layout: GraphLayout = { items: [], edges: [], width: 0, height: 0 };
  private readonly boxes = new Map<string, SVGGElement>();

  constructor(
    private readonly events: CanvasEvents,
    private readonly subtitle: (node: ScopeNode) => string,
  ) {
    this.root.setAttribute('class', 'fbg-svg');
    const defs = svg('defs');
    const marker = svg('marker', {
      id: 'fbg-arrow',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'fbg-arrowhead' }));
    defs.append(marker);
    this.root.append(defs, this.viewport);
    this.enablePanZoom();
  }

  draw(layout: GraphLayout): void {
    this.layout = layout;
    this.boxes.clear();
    while (this.viewport.firstChild) this.viewport.firstChild.remove();
    const clusters = svg('g');
    const edges = svg('g', { class: 'fbg-edges' });
    const nodes = svg('g');
    for (const item of layout.items) (item.kind === 'cluster' ? clusters : nodes).append(this.box(item));
    for (const e of layout.edges) {
      if (e.points.length < 2) continue;
      const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      const cls = `fbg-edge${e.control ? ' fbg-control' : ''}`;
      edges.append(
        svg('path', {
          d,
          class: cls,
          'marker-end': 'url(#fbg-arrow)',
          'stroke-width': Math.min(1 + Math.log2(e.count), 4),
        }),
      );
      if (e.label) {
        const mid = e.points[Math.floor(e.points.length / 2)] as { x: number; y: number };
        edges.append(svg('text', { x: mid.x + 4, y: mid.y - 3, class: 'fbg-edge-label' }, e.label));
      }
    }
    this.viewport.append(clusters, edges, nodes);
  }

  private box(item: LayoutItem): SVGGElement {
    const { x, y, width: w, height: h, node } = item;
    const g = svg('g', { class: `fbg-item fbg-${item.kind}`, 'data-path': node.path });
    const left = x - w / 2;
    const top = y - h / 2;
    if (item.kind === 'cluster') {
      g.append(svg('rect', { x: left, y: top, width: w, height: h, rx: 6, class: 'fbg-cluster-box' }));
      const title = svg(
        'text',
        { x: left + 8, y: top + 15, class: 'fbg-cluster-title' },
        `▾ ${clip(node.name, w - 16)}`,
      );
      title.addEventListener('click', (ev) => {
        ev.stopPropagation();
        this.events.toggle(node.path);
      });
      g.append(title);
    } else if (item.kind === 'scope') {
      g.append(svg('rect', { x: left, y: top, width: w, height: h, rx: 8, class: 'fbg-scope-box' }));
      g.append(
        svg('text', { x, y: y - 3, class: 'fbg-label', 'text-anchor': 'middle' }, `▸ ${clip(node.name, w - 10)}`),
      );
      g.append(svg('text', { x, y: y + 12, class: 'fbg-sub', 'text-anchor': 'middle' }, clip(this.subtitle(node), w)));
      g.addEventListener('click', () => this.events.toggle(node.path));
      const counts = `${opsText(node.opCount)}${node.params > 0 ? `, ${groupDigits(node.params)} params` : ''}`;
      g.append(svg('title', {}, `${node.path}\n${counts}\nclick to open`));
    } else {
      g.append(svg('rect', { x: left, y: top, width: w, height: h, rx: 3, class: 'fbg-op-box' }));
      g.append(svg('text', { x, y: y - 3, class: 'fbg-label', 'text-anchor': 'middle' }, clip(node.name, w)));
      g.append(svg('text', { x, y: y + 11, class: 'fbg-sub', 'text-anchor': 'middle' }, clip(node.op?.op ?? '', w)));
      g.addEventListener('click', () => this.events.select(item));
      g.append(svg('title', {}, node.path));
    }
    this.boxes.set(item.id, g);
    return g;
  }

  /** Marks boxes: the selection, and search matches. */
  mark(selected: string | undefined, matches: ReadonlySet<string>): void {
    for (const [id, g] of this.boxes) {
      g.classList.toggle('fbg-selected', id === selected);
      g.classList.toggle('fbg-match', matches.has(id));
    }
  }

  /** Whole graph in view. */
  fit(): void {
    const { width, height } = this.root.getBoundingClientRect();
    if (width === 0 || height === 0 || this.layout.width === 0) return;
    this.scale = Math.min(width / this.layout.width, height / this.layout.height, 1.5);
    this.tx = (width - this.layout.width * this.scale) / 2;
    this.ty = (height - this.layout.height * this.scale) / 2;
    this.apply();
  }

  /** Centre a box without changing the zoom (zooming in if the graph is tiny on screen). */
  center(id: string): void {
    const item = this.layout.items.find((i) => i.id === id);
    if (item === undefined) return;
    const { width, height } = this.root.getBoundingClientRect();
    this.scale = Math.max(this.scale, 0.8);
    this.tx = width / 2 - item.x * this.scale;
    this.ty = height / 2 - item.y * this.scale;
    this.apply();
  }

  private apply(): void {
    this.viewport.setAttribute(
      'transform',
      `translate(${this.tx.toFixed(1)},${this.ty.toFixed(1)}) scale(${this.scale.toFixed(4)})`,
    );
  }

  private enablePanZoom(): void {
    let drag: { x: number; y: number; tx: number; ty: number } | undefined;
    this.root.addEventListener('pointerdown', (e) => {
      if ((e.target as Element).closest('.fbg-item') && !(e.target as Element).closest('.fbg-cluster-box')) return;
      drag = { x: e.clientX, y: e.clientY, tx: this.tx, ty: this.ty };
      this.root.setPointerCapture(e.pointerId);
    });
    this.root.addEventListener('pointermove', (e) => {
      if (drag === undefined) return;
      this.tx = drag.tx + e.clientX - drag.x;
      this.ty = drag.ty + e.clientY - drag.y;
      this.apply();
    });
    const end = (): void => {
      drag = undefined;
    };
    this.root.addEventListener('pointerup', end);
    this.root.addEventListener('pointercancel', end);
    this.root.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = this.root.getBoundingClientRect();
        const px = e.clientX - r.left;
        const py = e.clientY - r.top;
        const factor = Math.exp(-e.deltaY * 0.0015);
        const next = Math.min(4, Math.max(0.02, this.scale * factor));
        this.tx = px - ((px - this.tx) * next) / this.scale;
        this.ty = py - ((py - this.ty) * next) / this.scale;
        this.scale = next;
        this.apply();
      },
      { passive: false },
    );
  }
}
