/** The graph view's styles, added once; they use the viewer's colour variables when present. */
const CSS = `
.fbg { display: flex; flex-direction: column; height: 100%; min-height: 480px; }
.fbg-toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 6px 0; }
.fbg-toolbar select, .fbg-toolbar input, .fbg-toolbar button {
  font: inherit;
  font-size: 12px;
  padding: 3px 8px;
  border: 1px solid var(--border, #d0d5dd);
  border-radius: 4px;
  background: var(--panel, #fff);
  color: var(--fg, #1d2330);
}
.fbg-toolbar button { cursor: pointer; }
.fbg-modes button[aria-selected="true"] {
  background: var(--accent-soft, #e6eefc);
  border-color: var(--accent, #3b6fd8);
  color: var(--accent, #3b6fd8);
}
.fbg-graph-tools { display: inline-flex; gap: 4px; }
.fbg-graph-tools[hidden] { display: none; }
.fbg-status { color: var(--muted, #5f6b7a); font-size: 12px; margin-left: auto; }
.fbg-search-box { position: relative; }
.fbg-search { width: 220px; }
.fbg-results {
  position: absolute;
  z-index: 10;
  top: 100%;
  left: 0;
  margin: 2px 0 0;
  padding: 4px 0;
  list-style: none;
  max-height: 320px;
  overflow: auto;
  min-width: 320px;
  background: var(--panel, #fff);
  border: 1px solid var(--border, #d0d5dd);
  border-radius: 4px;
  box-shadow: 0 4px 12px rgba(0,0,0,.12);
}
.fbg-results button {
  display: block;
  width: 100%;
  text-align: left;
  border: 0;
  background: none;
  padding: 3px 10px;
  font: 12px ui-monospace, monospace;
  color: var(--fg, #1d2330);
  cursor: pointer;
}
.fbg-result-op { color: var(--muted, #5f6b7a); margin-left: 10px; }
.fbg-results button:hover { background: var(--accent-soft, #e6eefc); }
.fbg-muted { color: var(--muted, #5f6b7a); padding: 3px 10px; font-size: 12px; }
.fbg-main {
  display: flex;
  flex: 1;
  min-height: 0;
  border: 1px solid var(--border, #e2e6ec);
  border-radius: 6px;
  background: var(--panel, #fff);
}
.fbg-body { flex: 1; min-width: 0; position: relative; }
.fbg-side { width: 300px; border-left: 1px solid var(--border, #e2e6ec); overflow: auto; font-size: 12px; }
.fbg-side:empty::before {
  content: "Click an op for its details";
  display: block;
  padding: 12px;
  color: var(--muted, #5f6b7a);
}
.fbg-svg {
  width: 100%;
  height: 100%;
  min-height: 460px;
  display: block;
  cursor: grab;
  user-select: none;
  font: 11px ui-sans-serif, system-ui, sans-serif;
}
.fbg-cluster-box {
  fill: var(--accent-soft, #eef3fd);
  fill-opacity: .35;
  stroke: var(--accent, #3b6fd8);
  stroke-opacity: .45;
  stroke-dasharray: 4 3;
}
.fbg-cluster-title { fill: var(--accent, #3b6fd8); font-weight: 600; cursor: pointer; }
.fbg-scope-box { fill: var(--accent-soft, #e6eefc); stroke: var(--accent, #3b6fd8); }
.fbg-op-box { fill: var(--panel, #fff); stroke: var(--muted, #8a94a3); }
.fbg-scope, .fbg-op { cursor: pointer; }
.fbg-label { fill: var(--fg, #1d2330); font-weight: 600; }
.fbg-sub { fill: var(--muted, #5f6b7a); font-size: 10px; }
.fbg-edge { fill: none; stroke: var(--muted, #8a94a3); stroke-opacity: .8; }
.fbg-control { stroke-dasharray: 3 3; stroke-opacity: .5; }
.fbg-arrowhead { fill: var(--muted, #8a94a3); }
.fbg-edge-label { fill: var(--muted, #5f6b7a); font-size: 9px; }
.fbg-selected rect { stroke: #e07a00; stroke-width: 3; }
.fbg-match rect { fill: #fff3c4; stroke: #c98a00; }
.fbg-details { padding: 10px 12px; }
.fbg-details h3 { font-size: 13px; margin: 0 0 8px; word-break: break-all; }
.fbg-details h4 { font-size: 12px; margin: 12px 0 4px; }
.fbg-details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 0; }
.fbg-details dt { color: var(--muted, #5f6b7a); }
.fbg-details dd { margin: 0; word-break: break-all; font-family: ui-monospace, monospace; }
.fbg-details ul { margin: 0; padding-left: 16px; }
.fbg-link {
  border: 0;
  background: none;
  padding: 0;
  color: var(--accent, #3b6fd8);
  cursor: pointer;
  font: 12px ui-monospace, monospace;
  text-align: left;
  word-break: break-all;
}
.fbg-scroll { position: absolute; inset: 0; overflow: auto; padding: 8px 12px; }
.fbg-tree, .fbg-tree ul { list-style: none; margin: 0; padding-left: 16px; font: 12px ui-monospace, monospace; }
.fbg-tree { padding-left: 0; }
.fbg-tree summary { cursor: pointer; }
.fbg-tree-op {
  border: 0;
  background: none;
  padding: 1px 0;
  font: inherit;
  color: inherit;
  cursor: pointer;
  text-align: left;
}
.fbg-tree-op:hover .fbg-tree-name { text-decoration: underline; }
.fbg-tree-type { color: var(--accent, #3b6fd8); margin-left: 10px; }
.fbg-tree-shape, .fbg-tree-count, .fbg-tree-params { color: var(--muted, #5f6b7a); margin-left: 10px; }
.fbg-table { border-collapse: collapse; font-size: 12px; min-width: 60%; }
.fbg-table th, .fbg-table td {
  border-bottom: 1px solid var(--border, #e2e6ec);
  padding: 4px 10px;
  text-align: left;
  font-family: ui-monospace, monospace;
}
.fbg-table th { font-family: inherit; }
.fbg-table tfoot td { font-weight: 600; border-top: 2px solid var(--border, #e2e6ec); }
.fbg-num { text-align: right !important; }
.fbg-empty { padding: 16px; color: var(--muted, #5f6b7a); }
`;

let injected = false;

export function injectGraphStyles(): void {
  if (injected) return;
  injected = true;
  const style = document.createElement('style');
  style.dataset.featherboard = 'graph-view';
  style.textContent = CSS;
  document.head.append(style);
}
