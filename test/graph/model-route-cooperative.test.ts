import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PLUGIN, RUN_GRAPH_TAG } from '../../src/events/plugins';
import * as decodeInTurns from '../../src/graph/decode-in-turns';
import { readTagBlob } from '../../src/graph/graph-sources';
import * as layerTable from '../../src/graph/layer-table';
import { decodeGraphDef } from '../../src/graph/messages';
import * as model from '../../src/graph/model';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { createApp } from '../../src/server/create-app';
import * as jsonSlices from '../../src/server/http/json';
import { toJson } from '../../src/server/http/json';
import type { RunData } from '../../src/store/run-data';
import { Store } from '../../src/store/store';
import { writeLargeGraphLogdir } from './large-graph';

/**
 * A huge graph's model must not freeze the server: /model decodes the
 * GraphDef, builds the model, its layer table and its JSON a slice per turn
 * of the event loop, and /graph decodes the same way. Asserted as order of
 * events (a /data/runs asked once a stage has begun is answered before the
 * stage ends), not as timings.
 */

/** Enough nodes for a dozen or more turns in every stage (4.5 MB of GraphDef, 7 MB of JSON). */
const NODES = 30_000;
const MODEL_PATH = '/data/plugin/graphs/model?run=.';
const GRAPH_PATH = '/data/plugin/graphs/graph?run=.';

function get(
  port: number,
  urlPath: string,
): Promise<{ status: number; body: string; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: res.headers['content-type'],
          }),
        );
      })
      .on('error', reject);
  });
}

/** One stage of the route's work, watched through a wrapper around the function that does it. */
interface Stage {
  /** Called once when the stage begins. */
  onStart: () => void;
  finished: boolean;
}

/** Wraps a generator function of `module`: the stage begins at its first step and finishes when it returns. */
function watchSteps(module: object, name: string): Stage {
  const stage: Stage = { onStart: () => {}, finished: false };
  const real = (module as Record<string, (...args: unknown[]) => Generator<void, unknown, undefined>>)[name] as (
    ...args: unknown[]
  ) => Generator<void, unknown, undefined>;
  jest.spyOn(module as Record<string, (...args: unknown[]) => unknown>, name).mockImplementation(function* (
    ...args: unknown[]
  ) {
    stage.onStart();
    const result: unknown = yield* real(...args);
    stage.finished = true;
    return result;
  });
  return stage;
}

/** Wraps the cooperative decoder: the stage begins when it is called and finishes when its promise settles. */
function watchDecode(): Stage {
  const stage: Stage = { onStart: () => {}, finished: false };
  const real = decodeInTurns.decodeGraphDefCooperatively;
  jest.spyOn(decodeInTurns, 'decodeGraphDefCooperatively').mockImplementation((bytes, perTurn) => {
    stage.onStart();
    return real(bytes, perTurn).finally(() => (stage.finished = true));
  });
  return stage;
}

describe('/model and /graph on a large graph', () => {
  let dir: string;
  let store: Store;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-model-coop-'));
    writeLargeGraphLogdir(dir, NODES);
    store = new Store();
    const loader = new LogdirLoader(dir, store);
    await loader.reload();
    loader.finish();
    server = http.createServer(createApp(store, { logdir: dir, logError: () => {} }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => jest.restoreAllMocks());

  it('sends the same JSON as building the model in one piece', async () => {
    const slices = watchSteps(jsonSlices, 'jsonSlices');
    const res = await get(port, MODEL_PATH);
    const bytes = (await readTagBlob(store.run('.') as RunData, RUN_GRAPH_TAG, [PLUGIN.GRAPHS])) as Uint8Array;
    const built = model.modelFromGraphDef(decodeGraphDef(bytes));
    const table = layerTable.buildLayerTable(built);
    const expected = toJson({
      run: '.',
      source: { kind: 'run_graph' },
      ops: built.ops,
      totalParams: built.totalParams,
      paramsKnown: built.paramsKnown,
      layers: table.rows,
    });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    expect(res.body.length).toBeGreaterThan(5 << 20);
    expect(res.body).toBe(expected);
    expect(slices.finished).toBe(true);
  });

  const stages: [string, string, () => Stage][] = [
    ['/model', 'decoding the GraphDef', watchDecode],
    ['/model', 'building the model', () => watchSteps(model, 'modelSteps')],
    ['/model', 'building the layer table', () => watchSteps(layerTable, 'layerTableSteps')],
    ['/model', 'writing the JSON', () => watchSteps(jsonSlices, 'jsonSlices')],
    ['/graph', 'decoding the GraphDef', watchDecode],
  ];

  it.each(stages)('%s answers /data/runs while %s', async (route, _stage, watch) => {
    const stage = watch();
    let routeEnded = false;
    let runs: Promise<{ status: number; body: string; stageFinished: boolean; routeEnded: boolean }> | undefined;
    stage.onStart = () => {
      runs ??= get(port, '/data/runs').then((r) => ({ ...r, stageFinished: stage.finished, routeEnded }));
    };
    const answer = await get(port, route === '/model' ? MODEL_PATH : GRAPH_PATH).then((r) => {
      routeEnded = true;
      return r;
    });
    expect(answer.status).toBe(200);
    expect(stage.finished).toBe(true);
    expect(runs).toBeDefined();
    const probe = await (runs as NonNullable<typeof runs>);
    expect(probe.status).toBe(200);
    expect(JSON.parse(probe.body)).toEqual(['.']);
    expect(probe.stageFinished).toBe(false);
    expect(probe.routeEnded).toBe(false);
  });
});
