import { el } from '../dom';
import { groupDigits, type ScopeNode, type ScopeTree } from './model';

/**
 * The panel for a clicked op: op type, device, shapes, parameters, attributes, inputs and outputs (click to go there).
 */
export function opDetails(tree: ScopeTree, node: ScopeNode, goTo: (name: string) => void): HTMLElement {
  const op = node.op;
  const box = el('div', { class: 'fbg-details' }, el('h3', { text: node.path }));
  if (op === undefined) {
    box.append(
      el('p', {
        text: `Scope: ${groupDigits(node.opCount)} ops${node.params ? `, ${groupDigits(node.params)} params` : ''}`,
      }),
    );
    return box;
  }
  const rows: [string, string][] = [['Op', op.op || '—']];
  if (op.device) rows.push(['Device', op.device]);
  if (op.outputShapes.length > 0) rows.push(['Output shapes', op.outputShapes.join(', ')]);
  if (op.params !== undefined) rows.push(['Parameters', groupDigits(op.params)]);
  box.append(el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
  const attrs = Object.entries(op.attrs);
  if (attrs.length > 0) {
    box.append(
      el('h4', { text: 'Attributes' }),
      el('dl', { class: 'fbg-attrs' }, ...attrs.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])),
    );
  }
  const link = (name: string, suffix = ''): HTMLElement => {
    const known = tree.byPath.has(name);
    const a = el(known ? 'button' : 'span', {
      class: 'fbg-link',
      type: known ? 'button' : undefined,
      text: name + suffix,
    });
    if (known) a.addEventListener('click', () => goTo(name));
    return el('li', {}, a);
  };
  if (op.inputs.length > 0) {
    box.append(
      el('h4', { text: `Inputs (${op.inputs.length})` }),
      el(
        'ul',
        {},
        ...op.inputs.map((i) => link(i.name, `${i.output ? `:${i.output}` : ''}${i.control ? ' (control)' : ''}`)),
      ),
    );
  }
  const outputs = tree.consumers.get(op.name) ?? [];
  if (outputs.length > 0)
    box.append(el('h4', { text: `Outputs (${outputs.length})` }), el('ul', {}, ...outputs.map((n) => link(n))));
  return box;
}
