#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: featherboard against TensorBoard 2.21 on the same logdirs.
 *
 * Generates (once, cached in .bench-cache/) a 4,000,000-point logdir
 * (16 runs × 10 tags × 25,000 steps, half PyTorch-style, half TF2-style) and
 * a 400,000-point one with featherboard's EventWriter, then measures:
 * in-process load throughput; time from launch until every tag serves its
 * last point over the HTTP API; peak RSS while serving; live-update latency;
 * CSV export time and peak RSS. With TensorBoard installed (optional), the
 * same for it (`--load_fast=true`, its Rust data server) and a tbparse-style
 * export through its Python loader, side by side with ratios.
 *
 * Figures, not a test: nothing here passes or fails on a timing. Every child
 * process is killed when its step ends, times out, or the bench is stopped.
 *
 * Flags: --no-tensorboard   skip the TensorBoard side
 *        --live-samples N   live-update samples for featherboard (default 30)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureBuild, ROOT } = require('./ensure-build');
const { ensureLogdir } = require('./make-logdir');
const { start, stop, run, rssSampler, killAll } = require('./processes');
const { sleep, waitForUrl, lastServedStep, waitUntilServed } = require('./http-poll');
const { findTensorBoard } = require('./tensorboard');

const CACHE = path.join(ROOT, '.bench-cache');
const BIG = { runs: 16, tags: 10, steps: 25_000 };
const SMALL = { runs: 16, tags: 10, steps: 2_500 };
const LIVE_RUN = 'zz_bench_live';
const TOTAL_BUDGET_MS = 40 * 60_000;
const SERVE_TIMEOUT_MS = 300_000;
const EXPORT_TIMEOUT_MS = 600_000;
const TB_EXPORT_TIMEOUT_MS = 900_000;
const FEATHERBOARD = path.join(ROOT, 'bin', 'featherboard');

const args = process.argv.slice(2);
const withTensorBoard = !args.includes('--no-tensorboard');
const liveSamples = Number(args[args.indexOf('--live-samples') + 1]) || 30;

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const mb = (bytes) => bytes / 1e6;
const kbToMb = (kb) => (kb * 1024) / 1e6;

/** In-process load (LogdirLoader into a Store), in a fresh child process; best of `times`. */
async function measureLoad(logdir, times) {
  const results = [];
  for (let i = 0; i < times; i++) {
    const r = await run(process.execPath, [path.join(__dirname, 'measure-load.js'), logdir], {
      timeoutMs: SERVE_TIMEOUT_MS,
    });
    if (r.code !== 0)
      throw new Error(
        `measure-load failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}):\n${r.output.slice(-2000)}`,
      );
    results.push(JSON.parse(r.output.trim().split('\n').pop()));
  }
  results.sort((a, b) => a.ms - b.ms);
  return { ...results[0], allMs: results.map((r) => r.ms) };
}

/**
 * Live-update latency: a writer appends one point at a time to a new run of
 * the served logdir; the time until the API serves it, per point.
 */
async function measureLive(base, logdir, writerModule, samples, perPointTimeoutMs) {
  const dir = path.join(logdir, LIVE_RUN);
  const w = new writerModule.EventWriter(dir, { maxQueue: 1, scalarStyle: 'simple_value' });
  try {
    // Step 0 makes the run exist; its discovery is not a live update of a known series.
    w.addScalar('live', 0, 0);
    const firstDeadline = Date.now() + 60_000;
    while ((await lastServedStep(base, LIVE_RUN, 'live')) !== 0) {
      if (Date.now() > firstDeadline) throw new Error('the live run never appeared');
      await sleep(20);
    }
    const latencies = [];
    let timeouts = 0;
    for (let step = 1; step <= samples; step++) {
      await sleep(50 + ((step * 37) % 100)); // spread writes across the server's reload cycle
      w.addScalar('live', step, step);
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

function median(sorted) {
  if (sorted.length === 0) return undefined;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** Launch a server, wait until every tag serves its last point, then measure live updates; always stops it. */
async function measureServe(label, cmd, cmdArgs, logdir, shape, writerModule, samples, perPointTimeoutMs) {
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
    log(`${label}: every tag served its last point after ${(servedMs / 1000).toFixed(2)} s; measuring live updates`);
    let live;
    try {
      live = await measureLive(base, logdir, writerModule, samples, perPointTimeoutMs);
    } catch (err) {
      live = { error: String(err.message || err) };
    }
    rss.sample();
    return { listeningMs, servedMs, requests, rssAtServedKb, peakRssKb: rss.kb(), processes: rss.processes(), live };
  } catch (err) {
    return { error: `${err.message || err}`.slice(0, 2000) };
  } finally {
    rss.stop();
    await stop(child);
    removeLiveRun(logdir);
  }
}

function removeLiveRun(logdir) {
  fs.rmSync(path.join(logdir, LIVE_RUN), { recursive: true, force: true });
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

/**
 * Exports are timed several times, each in a fresh process, and reported by
 * their median (with the range): one 0.2 s process start is at the mercy of
 * whatever else the machine is doing.
 */
const EXPORT_RUNS_OURS = 5;
const EXPORT_RUNS_4M = 3;
const EXPORT_RUNS_TB = 3;

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
      '--out',
      out,
    ],
    {
      cwd: ROOT,
      env: { BENCH_MAXRSS_FILE: rssFile },
      timeoutMs: EXPORT_TIMEOUT_MS,
    },
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

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const ram = `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
  return `${cpu}, ${os.cpus().length} cores, ${ram}, ${os.type()} ${os.release()}, Node ${process.version}`;
}

// ---- the report ----

const fmt = {
  s: (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`),
  ms: (ms) => (ms === undefined ? '—' : `${ms.toFixed(0)} ms`),
  mb: (kb) => (kb === undefined ? '—' : `${kbToMb(kb).toFixed(0)} MB`),
  ratio: (x) => (x === undefined || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`),
};

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => `| ${r.map((x, c) => String(x).padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function report(R) {
  const ours = R.featherboard;
  const tb = R.tensorboard;
  const served = (x) => (x?.error ? `failed: ${x.error.split('\n')[0].slice(0, 60)}` : fmt.s(x?.servedMs));
  const lat = (x) =>
    x?.live?.medianMs === undefined
      ? x?.live?.error
        ? 'failed'
        : '—'
      : `${fmt.ms(x.live.medianMs)} / ${fmt.ms(x.live.maxMs)} ` +
        `(n=${x.live.samples}${x.live.timeouts ? `, ${x.live.timeouts} timed out` : ''})`;
  const range = (x) =>
    x.allMs?.length > 1 ? ` (${(x.minMs / 1000).toFixed(2)}–${(x.maxMs / 1000).toFixed(2)}, n=${x.allMs.length})` : '';
  const exp = (x) =>
    x === undefined
      ? '—'
      : x.error
        ? `failed: ${x.error.slice(0, 60)}`
        : `${fmt.s(x.ms)}${range(x)}, ${fmt.mb(x.peakRssKb)}`;
  const rows = [
    [
      'measure',
      'featherboard',
      tb ? `TensorBoard ${R.tensorboardVersion}` : 'TensorBoard (not run)',
      'featherboard / TensorBoard',
      'goal',
    ],
  ];
  rows.push([
    'logdir (4M points)',
    `${mb(R.big.bytes).toFixed(0)} MB, ${R.big.files} files, ${R.big.points.toLocaleString('en-US')} points`,
    '',
    '',
    '',
  ]);
  rows.push([
    'in-process load (LogdirLoader → Store)',
    `${fmt.s(ours.load.ms)}: ${(mb(ours.load.bytes) / (ours.load.ms / 1000)).toFixed(0)} MB/s, ` +
      `${(ours.load.records / (ours.load.ms / 1000) / 1e6).toFixed(2)} M records/s, ${fmt.mb(ours.load.maxRssKb)}`,
    '—',
    '',
    '',
  ]);
  const servedRatio = tb?.serve?.servedMs && ours.serve?.servedMs ? ours.serve.servedMs / tb.serve.servedMs : undefined;
  rows.push([
    'launch → every tag serves its last point',
    ours.serve?.error && ours.inProcessFallback
      ? `server not ready; in-process load ${fmt.s(ours.load.ms)}`
      : served(ours.serve),
    tb ? served(tb.serve) : '—',
    fmt.ratio(servedRatio),
    '≤ 0.20×',
  ]);
  const rssRatio =
    tb?.serve?.peakRssKb && ours.serve?.peakRssKb ? ours.serve.peakRssKb / tb.serve.peakRssKb : undefined;
  rows.push([
    'peak RSS while serving',
    fmt.mb(ours.serve?.peakRssKb),
    tb ? `${fmt.mb(tb.serve?.peakRssKb)}${tb.serve?.processes > 1 ? ` (${tb.serve.processes} processes)` : ''}` : '—',
    fmt.ratio(rssRatio),
    '≤ 0.5×',
  ]);
  rows.push(['live update visible: median / max', lat(ours.serve), tb ? lat(tb.serve) : '—', '', 'median ≤ 250 ms']);
  const expRatio = tb?.export400k?.ms && ours.export400k?.ms ? tb.export400k.ms / ours.export400k.ms : undefined;
  rows.push([
    'CSV export, 400k points: time, peak RSS',
    exp(ours.export400k),
    tb ? exp(tb.export400k) : '—',
    expRatio ? `${expRatio.toFixed(1)}× faster` : '—',
    '≥ 33× faster',
  ]);
  rows.push([
    'CSV export, 4M points: time, peak RSS',
    exp(ours.export4m),
    '(not run: minutes)',
    '',
    'peak RSS ≤ 300 MB',
  ]);
  return table(rows);
}

async function main() {
  const budget = setTimeout(() => {
    log(`the bench exceeded its ${TOTAL_BUDGET_MS / 60000}-minute budget; stopping`);
    killAll();
    process.exit(1);
  }, TOTAL_BUDGET_MS);
  budget.unref();

  ensureBuild();
  const writer = require(path.join(ROOT, 'dist', 'src', 'writer'));
  log('preparing logdirs in .bench-cache/ (written once, then reused)');
  fs.mkdirSync(CACHE, { recursive: true });
  const bigDir = path.join(CACHE, 'scalars-4m');
  const smallDir = path.join(CACHE, 'scalars-400k');
  removeLiveRun(bigDir);
  const R = { date: new Date().toISOString(), machine: machine(), featherboard: {} };
  R.big = ensureLogdir(bigDir, BIG, writer);
  R.small = ensureLogdir(smallDir, SMALL, writer);
  const tb = withTensorBoard ? findTensorBoard() : undefined;
  if (withTensorBoard && !tb) log('TensorBoard not found (/work/venv/bin/tensorboard or PATH): its side is skipped');
  if (tb) {
    R.tensorboard = {};
    R.tensorboardVersion = tb.version;
  }

  log('featherboard: in-process load of the 4M logdir (best of 2)');
  R.featherboard.load = await measureLoad(bigDir, 2);

  log('featherboard: serving the 4M logdir');
  R.featherboard.serve = await measureServe(
    'featherboard',
    process.execPath,
    [FEATHERBOARD, '--logdir', bigDir, '--port', '0'],
    bigDir,
    R.big,
    writer,
    liveSamples,
    10_000,
  );
  if (R.featherboard.serve.error) {
    R.featherboard.inProcessFallback = true;
    log(
      `featherboard server not measurable (${R.featherboard.serve.error.split('\n')[0]}); ` +
        'reporting the in-process load instead',
    );
  }

  log(`featherboard: CSV export of the 400k (${EXPORT_RUNS_OURS} runs) and 4M logdirs (${EXPORT_RUNS_4M} runs)`);
  R.featherboard.export400k = await repeated(EXPORT_RUNS_OURS, () => exportOurs(smallDir));
  R.featherboard.export4m = await repeated(EXPORT_RUNS_4M, () => exportOurs(bigDir));

  if (tb) {
    log(`TensorBoard ${tb.version}: serving the 4M logdir with --load_fast=true`);
    R.tensorboard.serve = await measureServe(
      'TensorBoard',
      tb.bin,
      ['--logdir', bigDir, '--port', '0', '--host', '127.0.0.1', '--load_fast=true'],
      bigDir,
      R.big,
      writer,
      8,
      30_000,
    );
    log(
      'TensorBoard: tbparse-style CSV export of the 400k logdir through its Python loader, ' +
        `${EXPORT_RUNS_TB} runs (takes a while)`,
    );
    R.tensorboard.export400k = await repeated(EXPORT_RUNS_TB, () => exportTensorBoard(tb, smallDir));
  }

  const text = report(R);
  process.stdout.write(`\nfeatherboard benchmark — ${R.date}\nmachine: ${R.machine}\n\n${text}\n`);
  const notes = [
    'Notes: files are in the page cache (just written or read); "peak RSS" is VmHWM read from /proc while serving,',
    'summed over the process tree for TensorBoard (Python + Rust data server); export peak RSS is the exporting',
    "process's own maximum (the largest of its runs). Export times are medians of fresh processes, range in brackets.",
    'Live latency: one point appended with EventWriter, polled every 5 ms on the scalars API.',
  ];
  if (R.featherboard.inProcessFallback)
    notes.push('featherboard\'s server could not be measured; its "launch" figure is the in-process load.');
  process.stdout.write(`\n${notes.join('\n')}\n`);
  const resultFile = path.join(CACHE, 'results.json');
  fs.writeFileSync(resultFile, JSON.stringify(R, null, 1));
  log(`raw figures in ${path.relative(ROOT, resultFile)}`);
}

main()
  .catch((err) => {
    log(`failed: ${err.stack || err}`);
    process.exitCode = 1;
  })
  .finally(() => killAll());
