import request from 'supertest';
import { PLUGIN, RUN_GRAPH_TAG } from '../../src/events/plugins';
import { DATA_CLASS, DT, type TagMetadata } from '../../src/events/types';
import { GraphDefType, RunMetadataType } from '../../src/graph/messages';
import { Store } from '../../src/store/store';
import { graphsApp, loadLogdir } from './support';

/** A store whose run "r" holds one blob tag with these bytes (kept inline, as small payloads are). */
function storeWithBlob(tag: string, pluginName: string, bytes: Uint8Array, content = '1'): Store {
  const store = new Store();
  const metadata: TagMetadata = {
    pluginName,
    pluginContent: Buffer.from(content),
    displayName: '',
    description: '',
    dataClass: DATA_CLASS.BLOB_SEQUENCE,
  };
  store.ensureRun('r').addEvent(
    {
      kind: 'summary',
      wallTime: 1,
      step: 0,
      values: [
        {
          tag,
          metadata,
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
  return store;
}

const encode = (type: typeof GraphDefType, message: object): Uint8Array =>
  type.encode(type.fromObject(message)).finish();

describe('graphs routes where featherboard answers better than TensorBoard', () => {
  it('rejects a non-positive limit_attr_size with 400 (TensorBoard: 500)', async () => {
    const app = graphsApp(await loadLogdir('tf1_restart'));
    const res = await request(app)
      .get('/data/plugin/graphs/graph')
      .query({ run: 'session_restart', limit_attr_size: '0', large_attrs_key: 'k' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'limit_attr_size must be > 0, but is 0' });
  });

  it('rejects a limit_attr_size without large_attrs_key with 400 (TensorBoard: 500)', async () => {
    const app = graphsApp(await loadLogdir('tf1_restart'));
    const res = await request(app)
      .get('/data/plugin/graphs/graph')
      .query({ run: 'session_restart', limit_attr_size: '10' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/large_attrs_key/);
  });

  it('reads limit_attr_size as Python int() does', async () => {
    const app = graphsApp(await loadLogdir('tf1_restart'));
    const plain = await request(app)
      .get('/data/plugin/graphs/graph')
      .query({ run: 'session_restart', limit_attr_size: '16', large_attrs_key: 'k' });
    const spaced = await request(app)
      .get('/data/plugin/graphs/graph')
      .query({ run: 'session_restart', limit_attr_size: ' +1_6 ', large_attrs_key: 'k' });
    expect(plain.status).toBe(200);
    expect(plain.text).toContain('key: "k"');
    expect(spaced.text).toBe(plain.text);
  });

  it('answers 422 for a run graph that is not a GraphDef', async () => {
    const app = graphsApp(storeWithBlob(RUN_GRAPH_TAG, PLUGIN.GRAPHS, Uint8Array.of(0x0a, 0xff, 0xff)));
    const res = await request(app).get('/data/plugin/graphs/graph?run=r');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/not a valid GraphDef/);
  });

  it('answers 422 for function graphs of different producer versions (TensorBoard: 500)', async () => {
    const metadata = encode(RunMetadataType, {
      functionGraphs: [
        { preOptimizationGraph: { versions: { producer: 1 } } },
        { preOptimizationGraph: { versions: { producer: 2 } } },
      ],
    });
    const app = graphsApp(storeWithBlob('trace', PLUGIN.GRAPH_RUN_METADATA_WITH_GRAPH, metadata));
    const res = await request(app).get('/data/plugin/graphs/graph?run=r&tag=trace');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Cannot combine GraphDefs of different versions.' });
  });

  it('answers 422 for a Keras config that is not JSON', async () => {
    const app = graphsApp(storeWithBlob('keras', PLUGIN.GRAPH_KERAS_MODEL, Buffer.from('{"config": ')));
    const res = await request(app).get('/data/plugin/graphs/graph?run=r&tag=keras&conceptual=true');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatch(/Keras model config is not JSON/);
  });

  it('lists run-metadata tags only with plugin content "1", as TensorBoard', async () => {
    const good = graphsApp(storeWithBlob('trace', PLUGIN.GRAPH_RUN_METADATA, encode(RunMetadataType, {})));
    const other = graphsApp(storeWithBlob('trace', PLUGIN.GRAPH_RUN_METADATA, encode(RunMetadataType, {}), '2'));
    expect((await request(good).get('/data/plugin/graphs/info')).body).toEqual({
      r: {
        run: 'r',
        run_graph: false,
        tags: { trace: { tag: 'trace', conceptual_graph: false, op_graph: true, profile: true } },
      },
    });
    expect((await request(other).get('/data/plugin/graphs/info')).body).toEqual({});
  });

  it('serves an empty GraphDef for a trace without function graphs', async () => {
    const app = graphsApp(storeWithBlob('trace', PLUGIN.GRAPH_RUN_METADATA_WITH_GRAPH, encode(RunMetadataType, {})));
    const res = await request(app).get('/data/plugin/graphs/graph?run=r&tag=trace');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('serves a run graph from the latest step', async () => {
    const store = storeWithBlob(RUN_GRAPH_TAG, PLUGIN.GRAPHS, encode(GraphDefType, { node: [{ name: 'old' }] }));
    const newer = encode(GraphDefType, { node: [{ name: 'new' }] });
    store.run('r')?.addEvent(
      {
        kind: 'summary',
        wallTime: 2,
        step: 5,
        values: [
          {
            tag: RUN_GRAPH_TAG,
            tensor: {
              kind: 'string',
              dtype: DT.STRING,
              shape: [1],
              values: [{ offset: 0, length: newer.length, inline: newer }],
            },
          },
        ],
      },
      'unused-file',
    );
    const res = await request(graphsApp(store)).get('/data/plugin/graphs/graph?run=r');
    expect(res.text).toBe('node {\n  name: "new"\n}\n');
  });
});
