import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelFromKerasConfig } from '../../src/graph/graph-sources';
import { kerasModelToGraphDef, parseKerasJson } from '../../src/graph/keras-graph';
import { GraphMergeError, mergeGraphDefs } from '../../src/graph/merge-graph-defs';
import { decodeGraphDef, decodeRunMetadata, GraphDefType, RunMetadataType } from '../../src/graph/messages';
import { toPbtxt } from '../../src/protobuf/text-format-printer';
import { FIXTURES } from '../support/golden-form';

/**
 * Messages built in fixtures/graph_golden.py and printed by TensorBoard's own
 * code: the text format printer on edge values (float and double rounding,
 * escapes, map order, presence of zero oneof values, proto2 fields), graph
 * merging, and Keras configs to GraphDef.
 */
interface Cases {
  pbtxt: { name: string; type: 'GraphDef' | 'RunMetadata'; bytes: string; text: string }[];
  merge: { name: string; run_metadata: string; text: string | null; error: string | null }[];
  keras: {
    name: string;
    config: string;
    text: string;
    facts?: Record<string, { params: number; output_shape?: string }>;
  }[];
}

const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'graph-golden', 'cases.json'), 'utf8')) as Cases;
const bytes = (b64: string): Uint8Array => Buffer.from(b64, 'base64');

describe('text format printer', () => {
  it.each(cases.pbtxt.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text =
      c.type === 'GraphDef'
        ? toPbtxt(GraphDefType, decodeGraphDef(bytes(c.bytes)))
        : toPbtxt(RunMetadataType, decodeRunMetadata(bytes(c.bytes)));
    expect(text).toBe(c.text);
  });
});

describe('merging traced function graphs', () => {
  it.each(cases.merge.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const graphs = (decodeRunMetadata(bytes(c.run_metadata)).functionGraphs ?? []).map(
      (fg) => fg.preOptimizationGraph ?? {},
    );
    if (c.error !== null) {
      expect(() => mergeGraphDefs(graphs)).toThrow(new GraphMergeError(c.error));
    } else {
      expect(toPbtxt(GraphDefType, mergeGraphDefs(graphs))).toBe(c.text);
    }
  });
});

describe('Keras model config to GraphDef', () => {
  it.each(cases.keras.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(toPbtxt(GraphDefType, kerasModelToGraphDef(parseKerasJson(c.config)))).toBe(c.text);
  });
});

/** Parameters and output shapes read from a Keras config agree with Keras's own count_params() and layer.output. */
describe('Keras layer shapes and parameters', () => {
  it.each(cases.keras.filter((c) => c.facts !== undefined).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const model = modelFromKerasConfig(parseKerasJson(c.config));
    for (const [name, fact] of Object.entries(c.facts ?? {})) {
      const op = model.ops.find((o) => o.name === name);
      expect([name, op?.params]).toEqual([name, fact.params]);
      if (fact.output_shape !== undefined) expect([name, op?.outputShapes]).toEqual([name, [fact.output_shape]]);
    }
  });
});
