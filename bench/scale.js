'use strict';
/**
 * The scale cases of issue 12 (sweep-500, sweep-5000, long-40m, tags-5000),
 * each measured on featherboard and, when installed, on TensorBoard
 * (`--load_fast=true`, its Rust data server, and `--load_fast=false`, its
 * Python loader, for the first screen): in-process load; launch → every run
 * served; launch → first screen drawn in Chromium with its bytes, failed
 * charts and runs per chart; peak RSS. long-40m is served with TensorBoard's
 * default 1,000 samples a series on both sides, polled until every series
 * serves its last step.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./ensure-build');
const { CACHE, FEATHERBOARD, measureLoad, measureServe } = require('./legacy');
const { measureServedLoad } = require('./served-load');
const { measureFirstScreen } = require('./first-screen');
const { repeat, spread } = require('./stats');

/** How long each side gets to draw the first screen (the observation windows). */
/** long-40m: TensorBoard's page shows nothing until its 30-second reload after the data server's first pass. */
const FIRST_SCREEN_TIMEOUT_MS = { 'sweep-500': 60_000, 'sweep-5000': 90_000, 'long-40m': 120_000, 'tags-5000': 60_000 };
const SERVED_TIMEOUT_MS = 240_000;
const SAMPLES_1000 = ['--samples_per_plugin', 'scalars=1000'];
/** The first screen as each run left it: .bench-cache/screens/<case>-<side>-<i>.png. */
const SCREENS = path.join(CACHE, 'screens');

const featherboard = (dir, extra = []) => ({
  label: 'featherboard',
  kind: 'featherboard',
  cmd: process.execPath,
  args: [FEATHERBOARD, '--logdir', dir, '--port', '0', ...extra],
  path: '/',
});
const tensorboard = (tb, dir, fast, extra = []) => ({
  label: `TensorBoard --load_fast=${fast}`,
  kind: 'tensorboard',
  cmd: tb.bin,
  args: ['--logdir', dir, '--port', '0', '--host', '127.0.0.1', `--load_fast=${fast}`, ...extra],
  path: '/#timeseries',
});

const secs = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`);

/** The figures of several first-screen runs: medians, ranges, and the last run's chart details. */
function summarizeFirstScreen(runs) {
  const last = runs[runs.length - 1];
  if (last.error) return { error: last.error, runs };
  const perChart = last.charts.map((c) => c.runs).filter((x) => x !== null);
  return {
    ms: spread(runs.map((r) => r.firstScreenMs)),
    firstDrawnMs: spread(runs.map((r) => r.firstDrawnMs)),
    timedOut: last.timedOut,
    timeoutMs: last.timeoutMs,
    /** Runs that completed, of those made (a timeout ends the series). */
    completed: runs.filter((r) => !r.timedOut && !r.error).length,
    attempts: runs.length,
    urlMs: spread(runs.map((r) => r.urlMs)),
    charts: last.charts.length,
    drawn: last.drawn,
    failed: last.failed,
    inked: last.inked,
    states: last.charts.map((c) => c.state),
    runsPerChart: perChart.length ? { min: Math.min(...perChart), max: Math.max(...perChart) } : undefined,
    bytesPerChart: spread(runs.map((r) => r.bytesPerChart)),
    chartBytes: spread(runs.map((r) => r.chartBytes)),
    totalBytes: spread(runs.map((r) => r.totalBytes)),
    chartRequests: spread(runs.map((r) => r.chartRequests)),
    peakRssKb: spread(runs.map((r) => r.peakRssKb)),
    processes: last.processes,
    runs,
  };
}

function summarizeServed(runs, msKey) {
  const last = runs[runs.length - 1];
  if (last.error) return { error: last.error, runs };
  const completed = runs.filter((r) => !r.timedOut && !r.error).length;
  if (last.timedOut && completed === 0)
    return { timedOut: true, timeoutMs: last.timeoutMs, pending: last.pending, completed, attempts: runs.length, runs };
  return {
    timedOut: last.timedOut,
    timeoutMs: last.timeoutMs,
    completed,
    attempts: runs.length,
    ms: spread(runs.map((r) => r[msKey])),
    urlMs: spread(runs.map((r) => r.urlMs ?? r.listeningMs)),
    peakRssKb: spread(runs.map((r) => r.peakRssKb)),
    processes: last.processes,
    runs,
  };
}

/**
 * Every measure of one scale case. `shape`: ensureCase's description;
 * `tb`: an installed TensorBoard or undefined; `n`: fresh processes a figure.
 */
async function runScaleCase(shape, { tb, browser, n, withSlowTensorBoard, log }) {
  const dir = shape.dir;
  const timeoutMs = FIRST_SCREEN_TIMEOUT_MS[shape.name] ?? 60_000;
  const out = { featherboard: {}, tensorboard: tb ? {} : undefined, tensorboardSlow: undefined };

  log(`${shape.name}: featherboard in-process load (median of ${n})`);
  out.featherboard.load = await measureLoad(dir, n);

  const sides = [['featherboard', featherboard(dir, shape.name === 'long-40m' ? SAMPLES_1000 : [])]];
  if (tb) sides.push(['tensorboard', tensorboard(tb, dir, true, shape.name === 'long-40m' ? SAMPLES_1000 : [])]);

  for (const [side, server] of sides) {
    if (shape.name === 'long-40m') {
      log(`${shape.name}: ${server.label}, 1,000 samples a series: launch → every series serves its last step`);
      const runs = await repeat(n, () =>
        measureServe(server.label, server.cmd, server.args, dir, shape, 0, 0, (m) => log(`  ${m}`)),
      );
      out[side].api1000 = summarizeServed(runs, 'servedMs');
    } else {
      log(`${shape.name}: ${server.label}: launch → every run served (scalars_multirun)`);
      const runs = await repeat(n, () => measureServedLoad(server, shape, { timeoutMs: SERVED_TIMEOUT_MS, cwd: ROOT }));
      out[side].served = summarizeServed(runs, 'servedMs');
      log(`  ${secs(out[side].served.ms?.median)}${out[side].served.timedOut ? ' (timed out)' : ''}`);
    }
  }

  fs.mkdirSync(SCREENS, { recursive: true });
  const screens = [['featherboard', featherboard(dir)]];
  if (tb) screens.push(['tensorboard', tensorboard(tb, dir, true)]);
  if (tb && withSlowTensorBoard) {
    out.tensorboardSlow = {};
    screens.push(['tensorboardSlow', tensorboard(tb, dir, false)]);
  }
  for (const [side, server] of screens) {
    log(`${shape.name}: ${server.label}: launch → first screen drawn (timeout ${timeoutMs / 1000} s)`);
    const runs = await repeat(n, (i) => {
      const screenshot = path.join(SCREENS, `${shape.name}-${side}-${i}.png`);
      const expectRuns = (tag) => shape.tagRuns[tag] ?? shape.runs.length;
      return measureFirstScreen(browser, server, { timeoutMs, cwd: ROOT, screenshot, expectRuns });
    });
    const s = summarizeFirstScreen(runs);
    out[side].firstScreen = s;
    if (s.error) log(`  failed: ${s.error.split('\n')[0]}`);
    else {
      const time = s.timedOut ? `not complete after ${timeoutMs / 1000} s` : secs(s.ms?.median);
      const first = s.firstDrawnMs ? `first drawn ${secs(s.firstDrawnMs.median)}, ` : '';
      log(`  ${time}; ${first}${s.drawn}/${s.charts} drawn, ${s.failed} failed`);
    }
  }
  return out;
}

module.exports = { runScaleCase, FIRST_SCREEN_TIMEOUT_MS };
