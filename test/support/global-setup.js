'use strict';
/**
 * jest's global setup: the tests run the built files the shipped CLI runs (the bundled worker scripts, the
 * WebAssembly modules, the schema), so a build older than its sources would test other code than the one edited.
 * When any built file is missing or older than the newest source, this rebuilds (`npm run build`, a few seconds)
 * before any test runs, and stops the run with a clear message if the build fails.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** What `npm run build` writes (every run rewrites each of them), and what it reads. */
const OUTPUTS = [
  'dist/featherboard.js',
  'dist/prestart.js',
  'dist/load-worker.js',
  'dist/format-worker.js',
  'dist/parquet-worker.js',
  'dist/src/index.js',
  'dist/wasm/scan-scalars.wasm',
  'dist/wasm/format-rows.wasm',
  'dist/proto/schema.json',
];
const SOURCE_DIRS = ['src', 'wasm', 'proto', 'types'];
const SOURCE_FILES = [
  'scripts/bundle-cli.js',
  'scripts/build-proto-schema.js',
  'scripts/generate-wire-constants.js',
  'tsconfig.json',
  'tsconfig.build.json',
];

/** The newest file under `dir`, as [mtime, path]. */
function newestIn(dir, best = [0, '']) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) best = newestIn(p, best);
    else if (e.isFile()) {
      const t = fs.statSync(p).mtimeMs;
      if (t > best[0]) best = [t, p];
    }
  }
  return best;
}

/** Why the build is stale, or undefined when it is fresh. */
function staleReason() {
  let oldest = [Number.POSITIVE_INFINITY, ''];
  for (const f of OUTPUTS) {
    const p = path.join(ROOT, f);
    if (!fs.existsSync(p)) return `${f} is missing`;
    const t = fs.statSync(p).mtimeMs;
    if (t < oldest[0]) oldest = [t, f];
  }
  let newest = [0, ''];
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(ROOT, d))) newest = newestIn(path.join(ROOT, d), newest);
  for (const f of SOURCE_FILES) {
    const t = fs.statSync(path.join(ROOT, f)).mtimeMs;
    if (t > newest[0]) newest = [t, path.join(ROOT, f)];
  }
  return newest[0] > oldest[0] ? `${path.relative(ROOT, newest[1])} is newer than ${oldest[1]}` : undefined;
}

module.exports = function globalSetup() {
  const reason = staleReason();
  if (reason === undefined) return;
  process.stderr.write(`\njest: the build is out of date (${reason}): npm run build\n`);
  // The build's own messages (tsc prints its errors on stdout) go to stderr, with jest's.
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (r.status !== 0)
    throw new Error(
      `npm run build failed (its errors are above): the tests run the built worker scripts and WebAssembly, ` +
        'so they cannot run on a stale build',
    );
  const still = staleReason();
  if (still !== undefined) throw new Error(`npm run build left the build out of date: ${still}`);
};
