export { renderGraphView } from './graph-view';
export type { GraphViewHandle, GraphViewOptions } from './graph-view';
