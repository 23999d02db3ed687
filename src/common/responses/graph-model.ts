/**
 * The JSON of featherboard's own graph routes (`/data/plugin/graphs/models` and `/model`), as the
 * viewer's graph view reads it. The server builds it from src/graph's model structure; the
 * handlers check their answers against these types with `satisfies`.
 */

/** One input of an op. */
export interface ModelInput {
  /** The producing op's name. */
  name: string;
  /** Output index of the producer (0 when not given). */
  output: number;
  /** A control dependency ("^name"), not data. */
  control: boolean;
}

/** One op of a model graph (TF graph_def, traced function graph, Keras config, PyTorch add_graph). */
export interface ModelOp {
  /** Full name, scopes separated by "/". */
  name: string;
  /** Op type; a Keras layer's class; "" when the graph says nothing. */
  op: string;
  device: string;
  inputs: ModelInput[];
  /** Attribute values as short text (huge ones are summarised). */
  attrs: Record<string, string>;
  /** Output shapes, e.g. "[1,4,8,8]", "?" for unknown dims, when the graph records them. */
  outputShapes: string[];
  /** Elements held by this op when it is a weight (variable or float constant). */
  params?: number;
}

/** One row of the layer table. */
export interface LayerRow {
  name: string;
  /** The op whose output leaves the layer. */
  op: string;
  /** Other op types computed directly in the layer, in order. */
  ops: string[];
  /** Output shapes of the main op, "" when the graph does not record them. */
  outputShape: string;
  /** Absent when the layer holds no parameters the graph shows. */
  params?: number | undefined;
}

/** One model graph a run offers. */
export type GraphSource =
  | { kind: 'run_graph' }
  | { kind: 'meta_graph' }
  | { kind: 'op_graph'; tag: string }
  | { kind: 'conceptual'; tag: string };

/** `/data/plugin/graphs/models`: every run with a model graph, and its graphs. */
export type GraphModelsResponse = Record<string, GraphSource[]>;

/** `/data/plugin/graphs/model?run=R[&kind=K][&tag=T]`: one graph as ops, plus its layer table. */
export interface ModelResponse {
  run: string;
  source: GraphSource;
  ops: ModelOp[];
  totalParams: number;
  /** False when no op carries a parameter count (PyTorch graphs, Keras configs). */
  paramsKnown: boolean;
  layers: LayerRow[];
}
