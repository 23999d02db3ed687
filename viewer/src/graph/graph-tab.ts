import type { AppContext, View } from '../context';
import { el } from '../dom';
import { renderGraphView, type GraphViewHandle } from './graph-view';

/** Plugin names whose tags hold model graphs: the Graphs tab shows when a run has any of them. */
export const GRAPH_PLUGINS = ['graphs', 'graph_run_metadata', 'graph_run_metadata_graph', 'graph_keras_model'] as const;

/**
 * The graph view as one of the viewer's tabs: `{ id: 'graphs', label:
 * 'Graphs', plugin: 'graphs', make: graphsView }`. It lists runs and graphs
 * itself (a graph does not follow the run filter: one model at a time).
 */
export function graphsView(ctx: AppContext): View & { debug(): ReturnType<GraphViewHandle['debug']> } {
  const root = el('div', { class: 'graphs-view', style: 'height: calc(100vh - 120px)' });
  const handle = renderGraphView(root, { onError: (where, err) => ctx.reportError(where, err) });
  return {
    root,
    update: () => {},
    onData: () => {},
    dispose: () => handle.dispose(),
    debug: () => handle.debug(),
  };
}
