import { listGraphSources, readModel } from '../../src/graph/graph-sources';
import { buildLayerTable } from '../../src/graph/layer-table';
import { modelFromGraphDef, parseInput, type ModelGraph } from '../../src/graph/model';
import { buildScopeTree } from '../../src/common/scope-tree';
import { modelToDot } from '../../src/graph/dot-export';
import { scopeTreeText } from '../../src/graph/text-export';
import { loadLogdir } from './support';

/** The model of a fixture run's first graph (or of the source of this kind). */
async function model(logdir: string, run: string, kind?: string): Promise<ModelGraph> {
  const data = (await loadLogdir(logdir)).run(run);
  if (data === undefined) throw new Error(`no run ${run}`);
  const source = listGraphSources(data).find((s) => kind === undefined || s.kind === kind);
  if (source === undefined) throw new Error(`no graph in ${run}`);
  const m = await readModel(data, source);
  if (m === undefined) throw new Error('graph has no data');
  return m;
}

describe('model structure of the fixtures', () => {
  it('PyTorch add_graph: module scopes, layers with op and output shape', async () => {
    const m = await model('pytorch', '.');
    const tree = buildScopeTree(m);
    expect(tree.children.map((c) => c.name)).toEqual(['input', 'output', 'SmallCNN']);
    const net = tree.children[2];
    expect(net?.children.filter((c) => c.children.length > 0).map((c) => c.name)).toEqual([
      'Conv2d[conv]',
      'ReLU[relu]',
      'MaxPool2d[pool]',
      'Linear[fc]',
    ]);
    const rows = buildLayerTable(m).rows.map((r) => [r.name, r.op, r.outputShape]);
    expect(rows).toEqual([
      ['input/x.1', 'IO Node', '[1,1,8,8]'],
      ['output/output.1', 'IO Node', '[1,3]'],
      ['SmallCNN/Conv2d[conv]', 'aten::_convolution', '[1,4,8,8]'],
      ['SmallCNN/ReLU[relu]', 'aten::relu', '[1,4,8,8]'],
      ['SmallCNN/MaxPool2d[pool]', 'aten::max_pool2d', '[1,4,4,4]'],
      ['SmallCNN', 'aten::flatten', '[1,64]'],
      ['SmallCNN/Linear[fc]', 'aten::linear', '[1,3]'],
    ]);
    // add_graph records no weight shapes: no parameter counts, and the table says so.
    expect(m.paramsKnown).toBe(false);
  });

  it('TF2 traced function: name scopes dense1/dense2 with their constant weights', async () => {
    const m = await model('tf2', 'graph');
    const table = buildLayerTable(m);
    expect(table.rows.map((r) => [r.name, r.params])).toEqual([
      ['x', undefined],
      ['dense1', 12],
      ['dense2', 6],
      ['probs', undefined],
    ]);
    expect(table.totalParams).toBe(18);
  });

  it('TF1 graph_def: layer weights from constants, shapes from _output_shapes', async () => {
    const m = await model('tf1_restart', 'session_restart');
    const rows = buildLayerTable(m).rows;
    expect(rows.find((r) => r.name === 'layer1')).toEqual({
      name: 'layer1',
      op: 'Relu',
      ops: ['MatMul'],
      outputShape: '[?,3]',
      params: 12,
    });
    expect(rows.find((r) => r.name === 'layer2')).toMatchObject({ op: 'MatMul', outputShape: '[?,1]', params: 3 });
    expect(m.totalParams).toBe(15);
  });

  it('TF1 variables count once (initial values are not parameters)', async () => {
    const m = await model('tf1_vars', 'train');
    const dense = buildLayerTable(m).rows.find((r) => r.name === 'dense');
    expect(dense?.params).toBe(4 * 3 + 3);
    expect(buildLayerTable(m).rows.some((r) => r.name.includes('Initializer'))).toBe(false);
  });

  it('the meta graph carries the same graph as graph_def', async () => {
    const fromMeta = await model('tf1_vars', 'train', 'meta_graph');
    const fromGraph = await model('tf1_vars', 'train', 'run_graph');
    expect(fromMeta.ops.map((o) => o.name)).toEqual(fromGraph.ops.map((o) => o.name));
  });

  it('Keras config: one layer per row, nested models as scopes', async () => {
    const m = await model('keras_nested', 'train');
    expect(buildScopeTree(m).children[0]?.children.map((c) => c.name)).toEqual([
      'a',
      'features',
      'b',
      'join',
      'side',
      'out',
    ]);
    const rows = buildLayerTable(m).rows;
    expect(rows.map((r) => [r.name, r.op])).toContainEqual(['two_inputs/join', 'Concatenate']);
    expect(rows).toHaveLength(m.ops.length);
    expect(m.ops.find((o) => o.name === 'two_inputs/out')?.attrs.dtype).toBe('DT_DOUBLE');
  });

  it('Keras config: output shapes and parameters from the config (Dense 4→8→3)', async () => {
    const table = buildLayerTable(await model('keras', 'train'));
    expect(table.rows.map((r) => [r.name, r.outputShape, r.params])).toEqual([
      ['sequential/input_layer', '[?,4]', 0],
      ['sequential/hidden', '[?,8]', 4 * 8 + 8],
      ['sequential/out', '[?,3]', 8 * 3 + 3],
    ]);
    expect(table.totalParams).toBe(67);
  });
});

describe('text tree and DOT', () => {
  it('indents ops under their scopes with type, shape and parameters', async () => {
    const text = scopeTreeText(await model('tf1_restart', 'session_restart'));
    expect(text).toContain('layer1/  (3 ops, 12 params)\n  W  Const  → [4,3]  12 params\n  MatMul  MatMul  → [?,3]\n');
  });

  it('DOT: scopes are clusters, edges carry the producer output shape', async () => {
    const dot = modelToDot(await model('pytorch', '.'));
    expect(dot.startsWith('digraph model {')).toBe(true);
    expect(dot).toContain('subgraph "cluster_SmallCNN/Conv2d[conv]" {');
    expect(dot).toContain('"SmallCNN/Conv2d[conv]/input.1" -> "SmallCNN/ReLU[relu]/input.3" [label="[1,4,8,8]"];');
    // Every op appears once as a node.
    const m = await model('pytorch', '.');
    const declared = dot.split('\n').filter((l) => !l.includes(' -> ') && l.includes(' [label='));
    for (const op of m.ops) expect(declared.filter((l) => l.trim().startsWith(`"${op.name}" [label=`))).toHaveLength(1);
    expect(declared).toHaveLength(m.ops.length);
  });

  it('DOT marks control inputs dashed and escapes quotes', () => {
    const m = modelFromGraphDef({
      node: [
        { name: 'a"b', op: 'NoOp' },
        { name: 'c', op: 'Op', input: ['^a"b'] },
      ],
    });
    expect(modelToDot(m)).toContain('"a\\"b" -> "c" [style=dashed];');
  });
});

describe('parseInput', () => {
  it('reads output indices and control inputs, keeps other colons', () => {
    expect(parseInput('x:1')).toEqual({ name: 'x', output: 1, control: false });
    expect(parseInput('^x')).toEqual({ name: 'x', output: 0, control: true });
    expect(parseInput('prim::x')).toEqual({ name: 'prim::x', output: 0, control: false });
  });
});
