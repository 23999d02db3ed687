export { renderGraphView } from './graph-view';
export type { GraphViewHandle, GraphViewOptions } from './graph-view';
export { graphsView, GRAPH_PLUGINS } from './graph-tab';
