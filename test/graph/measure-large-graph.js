#!/usr/bin/env node
'use strict';
/**
 * Figures, not a test: how featherboard handles a 100,000-node GraphDef.
 *
 *   node --expose-gc test/graph/measure-large-graph.js [nodes]
 *
 * Writes a graph_def event (TF1-like ops: 2 inputs, T, _output_shapes, a
 * weight constant every 10 nodes) to a temporary logdir, loads it (the store
 * keeps only a file reference), then times and sizes each step: reading the
 * blob, decoding the GraphDef, the /graph route's text format, the model
 * structure, the layer table and DOT. Heap figures are after a full GC, so
 * they are what each step keeps alive.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureBuild, ROOT } = require('../../bench/ensure-build');

ensureBuild();
const dist = (p) => require(path.join(ROOT, 'dist', 'src', p));
const { protoType } = dist('protobuf/schema');
const { encodeRecord } = dist('tfrecord/encode-record');
const { Store } = dist('store/store');
const { LogdirLoader } = dist('logdir/logdir-loader');
const { readTagBlob } = dist('graph/graph-sources');
const { decodeGraphDef, GraphDefType } = dist('graph/messages');
const { toPbtxt } = dist('protobuf/text-format-printer');
const { modelFromGraphDef } = dist('graph/model');
const { buildLayerTable } = dist('graph/layer-table');
const { buildScopeTree } = dist('common/scope-tree');
const { modelToDot } = dist('graph/dot-export');

const NODES = Number(process.argv[2] ?? 100_000);
const gc = global.gc ?? (() => {});
const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};

function graphDef(n) {
  const nodes = [];
  for (let i = 0; i < n; i++) {
    const scope = `block${Math.floor(i / 1000)}/layer${Math.floor(i / 50) % 20}`;
    const shape = { dim: [{ size: -1 }, { size: 64 }] };
    const node = {
      name: `${scope}/op${i}`,
      op: i % 10 === 0 ? 'Const' : 'MatMul',
      attr: { T: { type: 1 }, _output_shapes: { list: { shape: [shape] } } },
    };
    if (i % 10 === 0)
      node.attr.value = {
        tensor: { dtype: 1, tensorShape: { dim: [{ size: 8 }, { size: 8 }] }, tensorContent: Buffer.alloc(256, 1) },
      };
    else node.input = [nodes[i - 1].name, `^${nodes[Math.max(0, i - 7)].name}`];
    nodes.push(node);
  }
  return GraphDefType.encode(GraphDefType.fromObject({ node: nodes, versions: { producer: 1205 } })).finish();
}

function writeLogdir(dir) {
  const bytes = graphDef(NODES);
  const Event = protoType('Event');
  const events = [
    Event.encode({ wallTime: 1, fileVersion: 'brain.Event:2' }).finish(),
    Event.encode({ wallTime: 2, graphDef: bytes }).finish(),
  ];
  fs.writeFileSync(path.join(dir, 'events.out.tfevents.1.large'), Buffer.concat(events.map((e) => encodeRecord(e))));
  return bytes.length;
}

/** GET the run graph over HTTP from the graphs routes alone; resolves to [ms, bytes]. */
async function timeRoute(store) {
  const express = require('express');
  const http = require('node:http');
  const { graphsRoutes } = dist('server/routes/graphs/tensorboard');
  const app = express();
  app.use('/data/plugin/graphs', graphsRoutes(store));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const t0 = Date.now();
    const length = await new Promise((resolve, reject) => {
      http
        .get(
          `http://127.0.0.1:${server.address().port}/data/plugin/graphs/graph` +
            '?run=.&limit_attr_size=1024&large_attrs_key=_too_large_attrs',
          (res) => {
            let n = 0;
            res.on('data', (c) => (n += c.length));
            res.on('end', () => resolve(n));
          },
        )
        .on('error', reject);
    });
    return [Date.now() - t0, length];
  } finally {
    server.close();
  }
}

function time(_label, fn) {
  const t0 = process.hrtime.bigint();
  const out = fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { out, ms };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-graph-'));
  try {
    const size = writeLogdir(dir);
    const rows = [['GraphDef', `${NODES.toLocaleString('en')} nodes, ${mb(size)} serialized`]];

    const base = heap();
    const store = new Store();
    let loader = new LogdirLoader(dir, store);
    const load = Date.now();
    await loader.reload();
    loader.finish();
    // a server keeps its loader (and its read buffers) for live updates; this measures the store alone
    loader = undefined;
    rows.push(['load logdir (store keeps a file reference)', `${Date.now() - load} ms, heap +${mb(heap() - base)}`]);
    const run = store.run('.');

    const t0 = Date.now();
    let blob = await readTagBlob(run, '__run_graph__', ['graphs']);
    rows.push(['read blob', `${Date.now() - t0} ms`]);
    const beforeDecode = heap();
    let { out: graph, ms } = time('decode', () => decodeGraphDef(blob));
    blob = undefined; // decoded bytes fields are views into the blob: it stays alive through them
    rows.push([
      'decode GraphDef (protobufjs)',
      `${ms.toFixed(0)} ms, heap +${mb(heap() - beforeDecode)} kept (blob included)`,
    ]);

    let printed = time('pbtxt', () => toPbtxt(GraphDefType, graph));
    rows.push(['/graph text format', `${printed.ms.toFixed(0)} ms, ${mb(Buffer.byteLength(printed.out))} of text`]);
    printed = undefined;

    const beforeModel = heap();
    const model = time('model', () => modelFromGraphDef(graph));
    graph = undefined;
    rows.push(['model structure', `${model.ms.toFixed(0)} ms`]);
    rows.push([
      'model kept after the message is dropped',
      `heap ${mb(heap() - beforeDecode)} (vs message ${mb(beforeModel - beforeDecode)})`,
    ]);
    const tree = time('tree', () => buildScopeTree(model.out));
    rows.push(['scope tree', `${tree.ms.toFixed(0)} ms, ${tree.out.children.length} top-level scopes`]);
    const table = time('table', () => buildLayerTable(model.out));
    rows.push([
      'layer table',
      `${table.ms.toFixed(0)} ms, ${table.out.rows.length} rows, ${table.out.totalParams.toLocaleString('en')} params`,
    ]);
    const json = time('json', () => JSON.stringify({ ops: model.out.ops, layers: table.out.rows }));
    rows.push(['/model JSON for the graph view', `${json.ms.toFixed(0)} ms, ${mb(json.out.length)}`]);
    const dot = time('dot', () => modelToDot(model.out));
    rows.push(['DOT export', `${dot.ms.toFixed(0)} ms, ${mb(dot.out.length)}`]);
    rows.push(['peak RSS so far', mb(process.resourceUsage().maxRSS * 1024)]);
    const [routeMs, routeBytes] = await timeRoute(store);
    rows.push(['GET /graph (UI limits) end to end', `${routeMs} ms, ${mb(routeBytes)}`]);
    rows.push(['peak RSS', mb(process.resourceUsage().maxRSS * 1024)]);
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
