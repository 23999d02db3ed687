'use strict';
// Bundles the command line (and its two worker scripts) into dist/ with
// esbuild: one file loads in about half the time of ~60 modules, which is a
// good part of a short export. Run by `npm run build` (tsc checks the types); the library
// (dist/src/index.js) is not bundled. Packages only some commands need stay
// outside the bundle and load from node_modules when those commands run.
const esbuild = require('esbuild');
const path = require('node:path');

const root = path.join(__dirname, '..');
esbuild.buildSync({
  entryPoints: {
    featherboard: path.join(root, 'src', 'cli', 'main.ts'),
    // Loaded first by bin/featherboard: starts what the command will need (see src/cli/prestart.ts).
    prestart: path.join(root, 'src', 'cli', 'prestart.ts'),
    'format-worker': path.join(root, 'src', 'export', 'format-worker.ts'),
    'parquet-worker': path.join(root, 'src', 'export', 'parquet-worker.ts'),
    'load-worker': path.join(root, 'src', 'logdir', 'load-worker.ts'),
  },
  outdir: path.join(root, 'dist'),
  tsconfig: path.join(root, 'tsconfig.build.json'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['express', 'sanitize-html', 'markdown-it', 'chokidar', 'protobufjs'],
  logLevel: 'warning',
});
