'use strict';
// Writes dist/proto/schema.json: the schema in proto/ as protobufjs JSON, so
// that featherboard loads it without parsing the .proto files (run by `npm run build`).
const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');

const root = path.join(__dirname, '..');
const files = ['event.proto', 'graph.proto', 'plugins.proto'].map((f) => path.join(root, 'proto', f));
const schema = protobuf.loadSync(files);
schema.resolveAll();
const out = path.join(root, 'dist', 'proto', 'schema.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(schema.toJSON()));
