#!/usr/bin/env node
/**
 * Bundles the viewer into viewer/dist/: index.html, app.js, app.css.
 * Everything (uPlot included) is bundled; nothing is loaded from a CDN.
 * `node viewer/build.js` (or `npm run build:viewer`); `--watch` rebuilds on change.
 */
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const outdir = path.join(root, 'dist');

async function build({ watch = false, minify = true } = {}) {
  fs.mkdirSync(outdir, { recursive: true });
  fs.copyFileSync(path.join(root, 'src', 'index.html'), path.join(outdir, 'index.html'));
  const options = {
    entryPoints: { app: path.join(root, 'src', 'main.ts') },
    bundle: true,
    outdir,
    format: 'iife',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
  };
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    return ctx;
  }
  return esbuild.build(options);
}

module.exports = { build, outdir };

if (require.main === module) {
  build({ watch: process.argv.includes('--watch') }).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
