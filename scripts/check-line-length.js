'use strict';
// Biome's formatter wraps code at 120 columns but not comments or string literals (nor wasm/, which it cannot parse).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MAX = 120;
const root = path.join(__dirname, '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root })
  .toString()
  .split('\n')
  .filter((file) => /\.(ts|js|css|html)$/.test(file))
  .filter((file) => !file.startsWith('fixtures/') && !/(^|\/)(dist|node_modules)\//.test(file))
  .filter((file) => fs.existsSync(path.join(root, file))); // deleted but not yet staged

const problems = [];
for (const file of files) {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  lines.forEach((line, i) => {
    const columns = [...line.replace(/\r$/, '')].length;
    const onlyUrl = /^\s*(\/\/|\*|#)?\s*<?https?:\/\/\S+$/.test(line);
    if (columns > MAX && !onlyUrl) problems.push(`${file}:${i + 1}: ${columns} columns`);
  });
}
if (problems.length > 0) {
  console.error(`Lines longer than ${MAX} columns:\n${problems.join('\n')}`);
  process.exit(1);
}
