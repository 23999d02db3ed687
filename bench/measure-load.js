'use strict';
/**
 * Child process: loads a logdir into a Store with LogdirLoader, once, and
 * prints one JSON line: bytes, records, points, milliseconds, peak RSS.
 * Usage: node bench/measure-load.js LOGDIR
 */
const path = require('path');
const { LogdirLoader, Store } = require(path.join(__dirname, '..', 'dist', 'src'));

async function main() {
  const logdir = process.argv[2];
  const store = new Store();
  const loader = new LogdirLoader(logdir, store);
  const t0 = process.hrtime.bigint();
  const summary = await loader.reload();
  loader.finish();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let points = 0;
  for (const run of store.runs.values()) for (const s of run.series.values()) points += s.length;
  process.stdout.write(
    JSON.stringify({ bytes: summary.bytesRead, records: summary.events, points, ms, warnings: store.warningCount, maxRssKb: process.resourceUsage().maxRSS }) + '\n',
  );
}
main().catch((err) => {
  process.stderr.write(`measure-load: ${err.stack || err}\n`);
  process.exit(1);
});
