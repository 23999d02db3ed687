export { toPbtxt, compareMapKeys, formatFloat32, formatDouble, escapeBytes, escapeText } from './pbtxt';
export {
  decodeGraphDef,
  decodeRunMetadata,
  decodeMetaGraphDef,
  GraphDecodeError,
  GraphDefType,
  RunMetadataType,
} from './messages';
export { decodeGraphDefCooperatively, decodeMetaGraphGraphCooperatively } from './decode-in-turns';
export type { GraphDefMsg, NodeDefMsg, AttrValueMsg, RunMetadataMsg } from './messages';
export { mergeGraphDefs, GraphMergeError } from './merge-graph-defs';
export { dropLargeAttrs } from './prepare-for-ui';
export { kerasModelToGraphDef, parseKerasJson, KerasConfigError } from './keras-graph';
export {
  listGraphSources,
  findGraphSource,
  readGraphSource,
  readModel,
  modelFromKerasConfig,
  describeSource,
} from './graph-sources';
export { kerasLayerFacts } from './keras-shapes';
export { pbtxtChunks } from './pbtxt';
export type { GraphSource } from './graph-sources';
export { modelFromGraphDef, parseInput, shapeText } from './model';
export type { ModelGraph, ModelOp, ModelInput } from './model';
export { buildScopeTree } from '../common/scope-tree';
export type { ScopeNode } from '../common/scope-tree';
export { buildLayerTable } from './layer-table';
export type { LayerRow, LayerTable } from './layer-table';
export { scopeTreeText, layerTableText, modelText } from './text-export';
export { modelToDot } from './dot-export';
