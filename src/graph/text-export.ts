import { buildLayerTable, type LayerTable } from './layer-table';
import type { ModelGraph, ModelOp } from './model';
import { buildScopeTree, type ScopeNode } from '../common/scope-tree';

/** Thousands separated by commas: 1234567 → "1,234,567". */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function opLine(op: ModelOp): string {
  const parts = [op.op || '(no op)'];
  if (op.outputShapes.length > 0) parts.push(`→ ${op.outputShapes.join(', ')}`);
  if (op.params !== undefined) parts.push(`${groupDigits(op.params)} params`);
  return parts.join('  ');
}

function scopeSummary(node: ScopeNode): string {
  // Only what is inside the scope: an op of the same name is shown on its own line.
  const ops = node.opCount - (node.op !== undefined ? 1 : 0);
  const params = node.params - (node.op?.params ?? 0);
  const parts = [`${groupDigits(ops)} op${ops === 1 ? '' : 's'}`];
  if (params > 0) parts.push(`${groupDigits(params)} params`);
  return `(${parts.join(', ')})`;
}

/**
 * The scope tree as indented text: scopes end in "/" with their op and
 * parameter counts, ops show their type, output shapes and parameters.
 */
export function scopeTreeText(model: ModelGraph): string {
  const lines: string[] = [];
  const walk = (node: ScopeNode, depth: number): void => {
    const indent = '  '.repeat(depth);
    if (node.op !== undefined) lines.push(`${indent}${node.name}  ${opLine(node.op)}`);
    if (node.children.length > 0) {
      lines.push(`${indent}${node.name}/  ${scopeSummary(node)}`);
      for (const child of node.children) walk(child, depth + 1);
    }
  };
  for (const child of buildScopeTree(model).children) walk(child, 0);
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

/** The layer table as aligned plain-text columns, with a totals line. */
export function layerTableText(table: LayerTable): string {
  const header = ['Layer', 'Op', 'Output shape', 'Params'];
  const body = table.rows.map((r) => [
    r.name,
    r.op + (r.ops.length > 0 ? ` (+${r.ops.join(', ')})` : ''),
    r.outputShape,
    r.params === undefined ? '' : groupDigits(r.params),
  ]);
  const total = [
    'Total',
    `${groupDigits(table.totalOps)} ops`,
    '',
    table.paramsKnown ? groupDigits(table.totalParams) : 'n/a',
  ];
  const all = [header, ...body, total];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((cell, c) => (c === 3 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return `${[line(header), rule, ...body.map(line), rule, line(total)].join('\n')}\n`;
}

/** `featherboard graph --format txt`: the tree, then the table. */
export function modelText(model: ModelGraph): string {
  return `${scopeTreeText(model)}\n${layerTableText(buildLayerTable(model))}`;
}
