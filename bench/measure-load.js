'use strict';
/**
 * Child process: loads a logdir into a Store with LogdirLoader, once, and
 * prints one JSON line: bytes, records, points, milliseconds, peak RSS.
 * Usage: node bench/measure-load.js LOGDIR [--general-decoder] [--no-workers]
 * (--general-decoder turns off the scanner's single-record reader on this
 * thread, so that the records its batches leave take the general decoder:
 * what that reader gains (with --no-workers, or it only applies to the main thread);
 * --no-workers reads every run on the main thread, as before worker threads.)
 */
const path = require('node:path');
const DIST = path.join(__dirname, '..', 'dist', 'src');
const { LogdirLoader, Store } = require(DIST);

if (process.argv.includes('--general-decoder')) {
  require(path.join(DIST, 'events', 'scalar-scanner')).ScalarScanner.prototype.readRecord = () => undefined;
}

async function main() {
  const logdir = process.argv[2];
  const store = new Store();
  const loader = new LogdirLoader(logdir, store, { workers: !process.argv.includes('--no-workers') });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const summary = await loader.reload();
  loader.finish();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  let points = 0;
  let columnBytes = 0;
  for (const run of store.runs.values()) {
    for (const s of run.series.values()) {
      points += s.length;
      for (const c of [s.steps, s.wallTimes, s.values, s.dtypes]) columnBytes += c.data.byteLength;
    }
  }
  const mem = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({
      bytes: summary.bytesRead,
      records: summary.events,
      points,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      warnings: store.warningCount,
      maxRssKb: process.resourceUsage().maxRSS,
      columnMb: columnBytes / 1e6,
      heapUsedMb: mem.heapUsed / 1e6,
      arrayBuffersMb: mem.arrayBuffers / 1e6,
      rssMb: mem.rss / 1e6,
    })}\n`,
  );
}
main().catch((err) => {
  process.stderr.write(`measure-load: ${err.stack || err}\n`);
  process.exit(1);
});
