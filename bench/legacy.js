'use strict';
/**
 * The measures of the 16-run logdirs (scalars-4m, scalars-400k), as before
 * the scale cases: in-process load, launch → every tag serves its last point,
 * peak RSS while serving, live-update latency, CSV export. Only their corpus
 * changed: written as the real writers write.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./ensure-build');
const { EventFile } = require('./corpus/event-file');
const { start, stop, run, rssSampler } = require('./processes');
const { sleep, waitForUrl, lastServedStep, waitUntilServed } = require('./http-poll');
const { median } = require('./stats');

const CACHE = path.join(ROOT, '.bench-cache');
const FEATHERBOARD = path.join(ROOT, 'bin', 'featherboard');
const LIVE_RUN = 'zz_bench_live';
const SERVE_TIMEOUT_MS = 300_000;
const EXPORT_TIMEOUT_MS = 600_000;
const TB_EXPORT_TIMEOUT_MS = 900_000;

/**
 * In-process load (LogdirLoader into a Store), each in a fresh child process:
 * the median of `times` runs (and every run's time).
 */
async function measureLoad(logdir, times, timeoutMs = SERVE_TIMEOUT_MS) {
  const results = [];
  for (let i = 0; i < times; i++) {
    const r = await run(process.execPath, [path.join(__dirname, 'measure-load.js'), logdir], { timeoutMs });
    if (r.code !== 0)
      return { error: `measure-load ${r.timedOut ? 'timed out' : `exit ${r.code}`}: ${r.output.slice(-1500)}` };
    results.push(JSON.parse(r.output.trim().split('\n').pop()));
  }
  const ms = median(results.map((r) => r.ms));
  const mid = results.find((r) => r.ms === ms) ?? results[0];
  return { ...mid, ms, allMs: results.map((r) => r.ms), maxRssKb: Math.max(...results.map((r) => r.maxRssKb)) };
}

/**
 * Live-update latency: a PyTorch-style writer appends one point at a time to
 * a new run of the served logdir; the time until the API serves it, per point.
 */
async function measureLive(base, logdir, samples, perPointTimeoutMs) {
  const dir = path.join(logdir, LIVE_RUN);
  const now = Date.now() / 1000;
  const w = new EventFile(
    dir,
    'pytorch',
    { secs: Math.floor(now), host: 'bench-live', pid: process.pid, counter: 0 },
    now,
    {
      flushEach: true,
    },
  );
  try {
    // Step 0 makes the run exist; its discovery is not a live update of a known series.
    w.scalar('live', 0, Date.now() / 1000, 0);
    const firstDeadline = Date.now() + 60_000;
    while ((await lastServedStep(base, LIVE_RUN, 'live')) !== 0) {
      if (Date.now() > firstDeadline) throw new Error('the live run never appeared');
      await sleep(20);
    }
    const latencies = [];
    let timeouts = 0;
    for (let step = 1; step <= samples; step++) {
      await sleep(50 + ((step * 37) % 100)); // spread writes across the server's reload cycle
      w.scalar('live', step, Date.now() / 1000, step);
      const t0 = process.hrtime.bigint();
      const deadline = Date.now() + perPointTimeoutMs;
      let served = false;
      while (Date.now() < deadline) {
        if ((await lastServedStep(base, LIVE_RUN, 'live')) === step) {
          served = true;
          break;
        }
        await sleep(5);
      }
      if (served) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      else timeouts++;
    }
    latencies.sort((a, b) => a - b);
    return { samples: latencies.length, timeouts, medianMs: median(latencies), maxMs: latencies[latencies.length - 1] };
  } finally {
    w.close();
  }
}

function removeLiveRun(logdir) {
  fs.rmSync(path.join(logdir, LIVE_RUN), { recursive: true, force: true });
}

/**
 * Launch a server, wait until every tag serves its last point, then (when
 * `liveSamples` > 0) measure live updates; always stops it.
 */
async function measureServe(label, cmd, cmdArgs, logdir, shape, liveSamples, perPointTimeoutMs, log) {
  removeLiveRun(logdir);
  const t0 = Date.now();
  const child = start(cmd, cmdArgs, { cwd: ROOT, env: { TF_CPP_MIN_LOG_LEVEL: '3' } });
  const rss = rssSampler(child);
  try {
    const deadline = t0 + SERVE_TIMEOUT_MS;
    const base = await waitForUrl(child, deadline);
    const listeningMs = Date.now() - t0;
    const requests = await waitUntilServed(base, shape.runs, shape.tags, shape.lastStep, deadline);
    const servedMs = Date.now() - t0;
    rss.sample();
    const rssAtServedKb = rss.kb();
    log(`${label}: every tag served its last point after ${(servedMs / 1000).toFixed(2)} s`);
    let live;
    if (liveSamples > 0) {
      try {
        live = await measureLive(base, logdir, liveSamples, perPointTimeoutMs);
      } catch (err) {
        live = { error: String(err.message || err) };
      }
    }
    rss.sample();
    return { listeningMs, servedMs, requests, rssAtServedKb, peakRssKb: rss.kb(), processes: rss.processes(), live };
  } catch (err) {
    return { error: `${err.message || err}`.slice(0, 2000), peakRssKb: rss.kb() };
  } finally {
    rss.stop();
    await stop(child);
    removeLiveRun(logdir);
  }
}

/** Lines in a file, streamed (CSV rows written). */
function countLines(file) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  try {
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; )
      for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
  } finally {
    fs.closeSync(fd);
  }
  return lines;
}

/** `once` n times (fresh processes), reported by the median with the range. */
async function repeated(n, once) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await once();
    if (r.error) return r;
    runs.push(r);
  }
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  return {
    ...runs[0],
    ms: ms[Math.floor(ms.length / 2)],
    minMs: ms[0],
    maxMs: ms[ms.length - 1],
    allMs: runs.map((r) => r.ms),
    peakRssKb: Math.max(...runs.map((r) => r.peakRssKb)),
  };
}

async function exportOurs(logdir) {
  const out = path.join(CACHE, 'out', `featherboard-${path.basename(logdir)}.csv`);
  const rssFile = `${out}.maxrss`;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.rmSync(rssFile, { force: true });
  const r = await run(
    process.execPath,
    [
      '-r',
      path.join(__dirname, 'maxrss-preload.js'),
      FEATHERBOARD,
      'export',
      '--logdir',
      logdir,
      '--format',
      'csv',
    ].concat(['--out', out]),
    { cwd: ROOT, env: { BENCH_MAXRSS_FILE: rssFile }, timeoutMs: EXPORT_TIMEOUT_MS },
  );
  try {
    if (r.code !== 0)
      return { error: `${r.timedOut ? 'timed out' : `exit ${r.code}`}: ${r.output.trim().slice(-500)}` };
    return {
      ms: r.ms,
      peakRssKb: Number(fs.readFileSync(rssFile, 'utf8')),
      rows: countLines(out) - 1,
      bytes: fs.statSync(out).size,
    };
  } finally {
    fs.rmSync(out, { force: true });
    fs.rmSync(rssFile, { force: true });
  }
}

async function exportTensorBoard(tb, logdir) {
  const out = path.join(CACHE, 'out', `tensorboard-${path.basename(logdir)}.csv`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = await run(tb.python, [path.join(__dirname, 'tb_export.py'), logdir, out], {
    env: { TF_CPP_MIN_LOG_LEVEL: '3' },
    timeoutMs: TB_EXPORT_TIMEOUT_MS,
  });
  try {
    if (r.code !== 0)
      return { error: `${r.timedOut ? 'timed out' : `exit ${r.code}`}: ${r.output.trim().slice(-500)}` };
    const line = r.output
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop();
    const res = JSON.parse(line);
    return { ms: r.ms, peakRssKb: res.maxRssKb, rows: res.points };
  } finally {
    fs.rmSync(out, { force: true });
  }
}

const EXPORT_RUNS_OURS = 5;
const EXPORT_RUNS_4M = 3;
const EXPORT_RUNS_TB = 3;

/**
 * Every measure of the 4M / 400k logdirs. `big`, `small`: their corpus
 * descriptions (ensureCase); `tb`: an installed TensorBoard or undefined.
 */
async function runLegacy({ big, small, tb, liveSamples, quick, log }) {
  const out = { featherboard: {}, tensorboard: tb ? {} : undefined };
  const n = (k) => (quick ? 1 : k);
  log(`featherboard: in-process load of the 4M logdir (median of ${n(3)})`);
  out.featherboard.load = await measureLoad(big.dir, n(3));

  log('featherboard: serving the 4M logdir');
  out.featherboard.serve = await measureServe(
    'featherboard',
    process.execPath,
    [FEATHERBOARD, '--logdir', big.dir, '--port', '0'],
    big.dir,
    big,
    liveSamples,
    10_000,
    log,
  );

  log(`featherboard: CSV export of the 400k (${n(EXPORT_RUNS_OURS)} runs) and 4M logdirs (${n(EXPORT_RUNS_4M)} runs)`);
  out.featherboard.export400k = await repeated(n(EXPORT_RUNS_OURS), () => exportOurs(small.dir));
  out.featherboard.export4m = await repeated(n(EXPORT_RUNS_4M), () => exportOurs(big.dir));

  if (tb) {
    log(`TensorBoard ${tb.version}: serving the 4M logdir with --load_fast=true`);
    out.tensorboard.serve = await measureServe(
      'TensorBoard',
      tb.bin,
      ['--logdir', big.dir, '--port', '0', '--host', '127.0.0.1', '--load_fast=true'],
      big.dir,
      big,
      quick ? 0 : 8,
      30_000,
      log,
    );
    log(`TensorBoard: tbparse-style CSV export of the 400k logdir, ${n(EXPORT_RUNS_TB)} runs (takes a while)`);
    out.tensorboard.export400k = await repeated(n(EXPORT_RUNS_TB), () => exportTensorBoard(tb, small.dir));
  }
  return out;
}

module.exports = { runLegacy, measureLoad, measureServe, removeLiveRun, FEATHERBOARD, CACHE, LIVE_RUN };
