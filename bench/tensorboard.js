'use strict';
/** Finding an installed TensorBoard (optional) and the Python that runs it. */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const CANDIDATES = [
  '/work/venv/bin/tensorboard',
  ...(process.env.PATH || '').split(path.delimiter).map((d) => path.join(d, 'tensorboard')),
];

/** { bin, python, version } of the first TensorBoard found, or undefined. */
function findTensorBoard() {
  for (const bin of CANDIDATES) {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      continue;
    }
    // The console script's shebang names its Python.
    const shebang = fs.readFileSync(bin, 'utf8').split('\n', 1)[0];
    const python = shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/)[0] : 'python3';
    try {
      const version = execFileSync(python, ['-c', 'import tensorboard; print(tensorboard.__version__)'], {
        timeout: 60_000,
        encoding: 'utf8',
      }).trim();
      return { bin, python, version };
    } catch {}
  }
  return undefined;
}

module.exports = { findTensorBoard };
