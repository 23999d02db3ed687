import request from 'supertest';
import { PLUGIN, RUN_GRAPH_TAG } from '../../src/events/plugins';
import { DATA_CLASS, DT } from '../../src/events/types';
import { GraphDefType } from '../../src/graph/messages';
import { toPbtxt } from '../../src/protobuf/text-format-printer';
import { Store } from '../../src/store/store';
import { graphsApp, loadLogdir } from './support';

describe("featherboard's graph view routes", () => {
  it('/models lists every run with a graph and what graphs it has', async () => {
    const res = await request(graphsApp(await loadLogdir('tf1_vars'))).get('/data/plugin/graphs/models');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ train: [{ kind: 'run_graph' }, { kind: 'meta_graph' }] });
    const tf2 = await request(graphsApp(await loadLogdir('tf2'))).get('/data/plugin/graphs/models');
    expect(tf2.body).toEqual({ graph: [{ kind: 'op_graph', tag: 'model_trace' }] });
  });

  it('/model answers ops with scopes and shapes, and the layer table', async () => {
    const res = await request(graphsApp(await loadLogdir('pytorch'))).get('/data/plugin/graphs/model?run=.');
    expect(res.status).toBe(200);
    expect(res.body.source).toEqual({ kind: 'run_graph' });
    expect(res.body.ops).toHaveLength(29);
    expect(res.body.ops).toContainEqual(
      expect.objectContaining({ name: 'SmallCNN/Linear[fc]/101', op: 'aten::linear', outputShapes: ['[1,3]'] }),
    );
    expect(res.body.layers).toContainEqual({
      name: 'SmallCNN/Conv2d[conv]',
      op: 'aten::_convolution',
      ops: [],
      outputShape: '[1,4,8,8]',
    });
    expect(res.body.paramsKnown).toBe(false);
  });

  it('/model picks a graph by kind and tag, and says what is wrong', async () => {
    const app = graphsApp(await loadLogdir('tf1_vars'));
    expect((await request(app).get('/data/plugin/graphs/model?run=train&kind=meta_graph')).body.source).toEqual({
      kind: 'meta_graph',
    });
    expect((await request(app).get('/data/plugin/graphs/model')).status).toBe(400);
    expect((await request(app).get('/data/plugin/graphs/model?run=train&kind=picture')).status).toBe(400);
    expect((await request(app).get('/data/plugin/graphs/model?run=nope')).body).toEqual({ error: 'no run "nope"' });
    expect((await request(app).get('/data/plugin/graphs/model?run=train&tag=x')).status).toBe(404);
  });
});

it('streams a large graph in chunks with the same text', async () => {
  const node = Array.from({ length: 3000 }, (_, i) => ({
    name: `scope${i % 7}/op${i}`,
    op: 'Op',
    input: i > 0 ? [`scope${(i - 1) % 7}/op${i - 1}`] : [],
  }));
  const bytes = GraphDefType.encode(GraphDefType.fromObject({ node })).finish();
  const store = new Store();
  store.ensureRun('big').addEvent(
    {
      kind: 'summary',
      wallTime: 1,
      step: 0,
      values: [
        {
          tag: RUN_GRAPH_TAG,
          metadata: {
            pluginName: PLUGIN.GRAPHS,
            pluginContent: new Uint8Array(0),
            displayName: '',
            description: '',
            dataClass: DATA_CLASS.BLOB_SEQUENCE,
          },
          tensor: {
            kind: 'string',
            dtype: DT.STRING,
            shape: [1],
            values: [{ offset: 0, length: bytes.length, inline: bytes }],
          },
        },
      ],
    },
    'unused-file',
  );
  const res = await request(graphsApp(store)).get('/data/plugin/graphs/graph?run=big');
  const expected = toPbtxt(GraphDefType, { node });
  expect(expected.length).toBeGreaterThan(1 << 17);
  expect(res.text).toBe(expected);
});
