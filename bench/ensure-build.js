'use strict';
/** Builds dist/ when it is missing or older than any source file, so the bench runs on a fresh clone. */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuild() {
  // The build's last step writes the CLI bundle: its age is the build's.
  const marker = path.join(ROOT, 'dist', 'featherboard.js');
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  const outputs = [
    'src/writer/index.js',
    'src/logdir/index.js',
    'src/cli/main.js',
    'wasm/scan-scalars.wasm',
    'wasm/format-rows.wasm',
    'format-worker.js',
  ];
  const needed = outputs.some((f) => !fs.existsSync(path.join(ROOT, 'dist', f)));
  const newestSource = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'wasm')));
  if (!needed && built >= newestSource) return false;
  process.stderr.write('bench: building dist/ (npm run build)...\n');
  // tsc emits even when some file has type errors; the bench only needs the JavaScript.
  try {
    execFileSync('npm', ['run', 'build', '--silent'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
  } catch (err) {
    if (!fs.existsSync(marker)) throw err;
    process.stderr.write('bench: the build reported errors; using what it emitted\n');
  }
  return true;
}

module.exports = { ensureBuild, ROOT };
