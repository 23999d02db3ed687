import { el } from '../dom';
import { groupDigits, isScope, type LayerRow, type ModelResponse, type ScopeNode, type ScopeTree } from './model';

/** The scope tree as nested, collapsible lists: scopes with op and parameter counts, ops with type and shapes. */
export function treeView(tree: ScopeTree, onOp: (name: string) => void): HTMLElement {
  const opLine = (node: ScopeNode): HTMLElement => {
    const op = node.op;
    const line = el(
      'button',
      { type: 'button', class: 'fbg-tree-op' },
      el('span', { class: 'fbg-tree-name', text: node.name }),
      el('span', { class: 'fbg-tree-type', text: op?.op ?? '' }),
    );
    if (op && op.outputShapes.length > 0)
      line.append(el('span', { class: 'fbg-tree-shape', text: `→ ${op.outputShapes.join(', ')}` }));
    if (op?.params !== undefined)
      line.append(el('span', { class: 'fbg-tree-params', text: `${groupDigits(op.params)} params` }));
    line.addEventListener('click', () => onOp(node.path));
    return el('li', {}, line);
  };
  const render = (node: ScopeNode, depth: number): HTMLElement[] => {
    const out: HTMLElement[] = [];
    if (node.op !== undefined) out.push(opLine(node));
    if (isScope(node)) {
      const own = node.op !== undefined ? 1 : 0;
      const scopeParams = node.params - (node.op?.params ?? 0);
      const paramsText = scopeParams > 0 ? ` · ${groupDigits(scopeParams)} params` : '';
      const summary = el(
        'summary',
        {},
        el('span', { class: 'fbg-tree-name', text: `${node.name}/` }),
        el('span', {
          class: 'fbg-tree-count',
          text: `${groupDigits(node.opCount - own)} ops${paramsText}`,
        }),
      );
      const list = el('ul');
      const details = el('details', { open: depth < 1 }, summary, list);
      // Children are built when first opened: a 100,000-op tree stays quick.
      const fill = (): void => {
        if (list.childElementCount > 0) return;
        for (const child of node.children) list.append(...render(child, depth + 1));
      };
      if (depth < 1) fill();
      details.addEventListener('toggle', fill);
      out.push(el('li', {}, details));
    }
    return out;
  };
  const ul = el('ul', { class: 'fbg-tree' });
  for (const child of tree.root.children) ul.append(...render(child, 0));
  return ul;
}

/** The layer table, with totals. */
export function layerTableView(model: ModelResponse, onLayer: (name: string) => void): HTMLElement {
  const row = (r: LayerRow): HTMLElement => {
    const name = el('button', { type: 'button', class: 'fbg-link', text: r.name });
    name.addEventListener('click', () => onLayer(r.name));
    return el(
      'tr',
      {},
      el('td', {}, name),
      el('td', { text: r.op + (r.ops.length > 0 ? ` (+${r.ops.join(', ')})` : '') }),
      el('td', { text: r.outputShape }),
      el('td', { class: 'fbg-num', text: r.params === undefined ? '' : groupDigits(r.params) }),
    );
  };
  return el(
    'table',
    { class: 'fbg-table' },
    el('thead', {}, el('tr', {}, ...['Layer', 'Op', 'Output shape', 'Params'].map((h) => el('th', { text: h })))),
    el('tbody', {}, ...model.layers.map(row)),
    el(
      'tfoot',
      {},
      el(
        'tr',
        {},
        el('td', { text: 'Total' }),
        el('td', { text: `${groupDigits(model.ops.length)} ops` }),
        el('td'),
        el('td', { class: 'fbg-num', text: model.paramsKnown ? groupDigits(model.totalParams) : 'not in graph' }),
      ),
    ),
  );
}
