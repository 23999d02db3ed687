#!/usr/bin/env node
'use strict';
/**
 * Figures, not a test: does serving a huge graph stall the rest of the server?
 *
 *   node test/graph/measure-graph-event-loop.js [nodes] [rounds]
 *
 * Writes a 100,000-node GraphDef (test/graph/large-graph.ts) to a temporary
 * logdir, starts createApp in this process and GETs /graph with the graph
 * dashboard's limits, then /model (the graph view's model structure). Meanwhile a child process asks /data/runs every
 * 10 ms
 * and this one samples its event-loop delay: the longest stall and the
 * slowest /data/runs are what a user polling scalars or watching live
 * updates feels.
 * Then it times the steps of both routes on their own, each in one piece
 * (what they would block for if they did not yield).
 *
 * The sources are bundled with esbuild on the fly (dist/ is not needed).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { fork } = require('node:child_process');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const NODES = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const GRAPH_PATH = '/data/plugin/graphs/graph?run=.&limit_attr_size=1024&large_attrs_key=_too_large_attrs';
/** featherboard's own graph view route: the model structure and layer table as JSON. */
const MODEL_PATH = '/data/plugin/graphs/model?run=.';

/** The modules this script needs, bundled into node_modules/.cache so that packages still resolve from the project. */
function load() {
  const esbuild = require('esbuild');
  const outfile = path.join(ROOT, 'node_modules', '.cache', 'featherboard-measure', 'graph-event-loop.js');
  esbuild.buildSync({
    stdin: {
      contents: `
        export { createApp } from './src/server/create-app';
        export { Store } from './src/store/store';
        export { LogdirLoader } from './src/logdir/logdir-loader';
        export { readTagBlob } from './src/graph/graph-sources';
        export { decodeGraphDef } from './src/graph/messages';
        export { modelFromGraphDef } from './src/graph/model';
        export { buildLayerTable } from './src/graph/layer-table';
        export { toJson } from './src/server/http/json';
        export { dropLargeAttrs } from './src/graph/prepare-for-ui';
        export { writeLargeGraphLogdir } from './test/graph/large-graph';`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return require(outfile);
}

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        let bytes = 0;
        res.on('data', (c) => (bytes += c.length));
        res.on('end', () => resolve({ status: res.statusCode, bytes }));
      })
      .on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ms = (ns) => (ns / 1e6).toFixed(1);

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The prober, in a child process so that it keeps sending while the
 * server's event loop is busy: a GET /data/runs every 10 ms (not waiting for
 * the previous one), each timed from send to answer, until told to stop.
 */
function probe(port) {
  const latencies = [];
  const pending = [];
  const timer = setInterval(() => {
    const t0 = process.hrtime.bigint();
    pending.push(get(port, '/data/runs').then(() => latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)));
  }, 10);
  process.send('ready');
  process.once('message', async () => {
    clearInterval(timer);
    await Promise.all(pending);
    process.send(latencies);
    process.disconnect();
  });
}

function startProber(port) {
  const child = fork(__filename, ['--probe', String(port)]);
  return new Promise((resolve) => {
    child.once('message', () =>
      resolve(() => {
        child.send('stop');
        return new Promise((done) => child.once('message', done));
      }),
    );
  });
}

/** One GET of `urlPath` (/graph or /model), probed from outside and with the event-loop delay sampled inside. */
async function round(port, urlPath) {
  const stopProber = await startProber(port);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  await sleep(50); // the monitor ignores its first tick: a stall before it would go unseen
  // Each stall over 50 ms on its own, to tell one long block from several shorter ones.
  const stalls = [];
  let last = process.hrtime.bigint();
  const ticker = setInterval(() => {
    const now = process.hrtime.bigint();
    const gap = Number(now - last) / 1e6 - 5;
    if (gap > 50) stalls.push(Math.round(gap));
    last = now;
  }, 5);
  const t0 = process.hrtime.bigint();
  const graph = await get(port, urlPath);
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(ticker);
  delay.disable();
  const probes = await stopProber();
  if (graph.status !== 200) throw new Error(`${urlPath} answered ${graph.status}`);
  const sorted = [...probes].sort((a, b) => a - b);
  return {
    total,
    bytes: graph.bytes,
    loopMax: delay.max,
    loopP99: delay.percentile(99),
    probes: probes.length,
    probeP50: percentile(sorted, 50),
    probeMax: sorted[sorted.length - 1] ?? NaN,
    stalls,
  };
}

/** The steps that run in one piece before any text is printed, timed alone. */
async function syncSteps(fb, store) {
  const run = store.run('.');
  const blob = await fb.readTagBlob(run, '__run_graph__', ['graphs']);
  let t0 = process.hrtime.bigint();
  const graph = fb.decodeGraphDef(blob);
  const decode = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  fb.dropLargeAttrs(graph, { limitAttrSize: 1024, largeAttrsKey: '_too_large_attrs' });
  const limit = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  const model = fb.modelFromGraphDef(fb.decodeGraphDef(blob));
  const modelMs = Number(process.hrtime.bigint() - t0) / 1e6 - decode;
  t0 = process.hrtime.bigint();
  const table = fb.buildLayerTable(model);
  const tableMs = Number(process.hrtime.bigint() - t0) / 1e6;
  t0 = process.hrtime.bigint();
  const json = fb.toJson({ ops: model.ops, layers: table.rows });
  const jsonMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    decode,
    limit,
    blobBytes: blob.length,
    model: modelMs,
    table: tableMs,
    json: jsonMs,
    jsonBytes: json.length,
  };
}

async function main() {
  const fb = load();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-graph-loop-'));
  const server = http.createServer();
  try {
    const size = fb.writeLargeGraphLogdir(dir, NODES);
    const store = new fb.Store();
    const loader = new fb.LogdirLoader(dir, store);
    await loader.reload();
    loader.finish();
    server.on('request', fb.createApp(store, { logdir: dir, logError: (m) => console.error(m) }));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address();
    console.log(`GraphDef: ${NODES.toLocaleString('en')} nodes, ${(size / 1048576).toFixed(1)} MB serialized`);
    await get(port, '/data/runs'); // warm up the route
    for (const [name, urlPath] of [
      ['/graph', GRAPH_PATH],
      ['/model', MODEL_PATH],
    ])
      for (let i = 1; i <= ROUNDS; i++) {
        const r = await round(port, urlPath);
        console.log(
          `round ${i}: GET ${name} ${r.total.toFixed(0)} ms, ${(r.bytes / 1048576).toFixed(1)} MB; ` +
            `event-loop delay max ${ms(r.loopMax)} ms, p99 ${ms(r.loopP99)} ms; ` +
            `/data/runs x${r.probes}: p50 ${r.probeP50.toFixed(1)} ms, max ${r.probeMax.toFixed(1)} ms; ` +
            `stalls > 50 ms: ${r.stalls.length === 0 ? 'none' : `${r.stalls.join(', ')} ms`}`,
        );
      }
    const s = await syncSteps(fb, store);
    console.log(
      `in one piece: decode (protobufjs) ${s.decode.toFixed(0)} ms, limit_attr_size pass ${s.limit.toFixed(0)} ms`,
    );
    console.log(
      `in one piece: model structure ${s.model.toFixed(0)} ms, layer table ${s.table.toFixed(0)} ms, ` +
        `JSON of ops and layers ${s.json.toFixed(0)} ms (${(s.jsonBytes / 1048576).toFixed(1)} MB)`,
    );
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--probe') {
  probe(Number(process.argv[3]));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
