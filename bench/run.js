#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: featherboard against TensorBoard 2.21 on the same logdirs.
 *
 * Corpora are written once (cached in .bench-cache/) byte for byte as the
 * real writers write them (bench/corpus/, proved by
 * bench/check-corpus-layout.py). Cases:
 *   scalars-4m   16 runs × 10 tags × 25,000 steps (+ scalars-400k for the export): in-process
 *                load, launch → every tag served, peak RSS, live-update latency, CSV export
 *   sweep-500    500 runs × 10 tags × 1,000 steps, hparams per run
 *   sweep-5000   5,000 runs × 10 tags × 200 steps, hparams per run
 *   long-40m     4 runs × 10 tags × 1,000,000 steps
 *   tags-5000    1 run × 5,000 tags × 100 steps
 * The scale cases (all but scalars-4m) measure in-process load, launch →
 * every run served, launch → first screen drawn in headless Chromium (bytes
 * per chart, failed charts, runs per chart) and peak RSS; long-40m also
 * launch → every series served with 1,000 samples a series on both sides.
 * With TensorBoard installed (optional), the same for it, side by side.
 *
 * Figures, not a test: nothing here passes or fails on a timing. Every child
 * process is killed when its step ends, times out, or the bench is stopped.
 *
 * Flags: --case a,b         cases to run (default: all)
 *        --no-tensorboard   skip the TensorBoard side
 *        --quick            one process per figure, no TensorBoard --load_fast=false, fewer live samples
 *        --repeat N         fresh processes per figure (default 3)
 *        --live-samples N   live-update samples for featherboard (default 30; --quick: 10)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureBuild, ROOT } = require('./ensure-build');
const { CASES, ensureCase } = require('./corpus/cases');
const { killAll } = require('./processes');
const { findTensorBoard } = require('./tensorboard');
const { runLegacy, CACHE, removeLiveRun } = require('./legacy');
const { runScaleCase } = require('./scale');
const { launchBrowser } = require('./first-screen');
const { legacyReport, scaleReport } = require('./report');

const TOTAL_BUDGET_MS = 150 * 60_000;
const SCALE_CASES = ['sweep-500', 'sweep-5000', 'long-40m', 'tags-5000'];
const ALL_CASES = ['scalars-4m', ...SCALE_CASES];

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

function flags(argv) {
  const value = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const cases = (value('--case') ?? ALL_CASES.join(',')).split(',').filter(Boolean);
  for (const c of cases)
    if (!ALL_CASES.includes(c)) throw new Error(`unknown case ${c}; cases: ${ALL_CASES.join(', ')}`);
  return {
    cases,
    quick,
    withTensorBoard: !argv.includes('--no-tensorboard'),
    repeat: Number(value('--repeat')) || (quick ? 1 : 3),
    liveSamples: Number(value('--live-samples')) || (quick ? 10 : 30),
  };
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const ram = `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
  return `${cpu}, ${os.cpus().length} cores, ${ram}, ${os.type()} ${os.release()}, Node ${process.version}`;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

async function main() {
  const F = flags(process.argv.slice(2));
  const budget = setTimeout(() => {
    log(`the bench exceeded its ${TOTAL_BUDGET_MS / 60000}-minute budget; stopping`);
    killAll();
    process.exit(1);
  }, TOTAL_BUDGET_MS);
  budget.unref();
  const started = Date.now();

  ensureBuild();
  fs.mkdirSync(CACHE, { recursive: true });
  log('preparing logdirs in .bench-cache/ (written once, then reused)');
  const shapes = {};
  const needed = F.cases.includes('scalars-4m') ? ['scalars-4m', 'scalars-400k', ...F.cases] : F.cases;
  for (const name of new Set(needed)) shapes[name] = ensureCase(CACHE, name, log);
  if (shapes['scalars-4m']) removeLiveRun(shapes['scalars-4m'].dir);

  const tb = F.withTensorBoard ? findTensorBoard() : undefined;
  if (F.withTensorBoard && !tb) log('TensorBoard not found (/work/venv/bin/tensorboard or PATH): its side is skipped');
  const R = {
    date: new Date().toISOString(),
    machine: machine(),
    loadAverageBefore: loadAverage(),
    flags: F,
    tensorboardVersion: tb?.version,
    cases: {},
  };
  const texts = [];
  const resultFile = path.join(CACHE, 'results.json');
  // Each case's table as soon as it is measured (stderr), and the raw figures so far: a stopped bench keeps them.
  const progress = (text) => {
    log(`\n${text}\n`);
    fs.writeFileSync(resultFile, JSON.stringify(R, null, 1));
  };

  if (F.cases.includes('scalars-4m')) {
    R.legacy = {
      big: shapes['scalars-4m'],
      small: shapes['scalars-400k'],
      ...(await runLegacy({
        big: shapes['scalars-4m'],
        small: shapes['scalars-400k'],
        tb,
        liveSamples: F.liveSamples,
        quick: F.quick,
        log,
      })),
    };
    texts.push(`### scalars-4m / scalars-400k\n\n${legacyReport(R)}`);
    progress(texts[texts.length - 1]);
  }

  const scale = F.cases.filter((c) => SCALE_CASES.includes(c));
  if (scale.length > 0) {
    const browser = await launchBrowser();
    try {
      for (const name of scale) {
        log(`--- ${name} (${CASES[name].about}); load average ${loadAverage()}`);
        R.cases[name] = {
          loadAverage: loadAverage(),
          ...(await runScaleCase(shapes[name], {
            tb,
            browser,
            n: F.repeat,
            withSlowTensorBoard: !F.quick,
            log,
          })),
        };
        texts.push(`### ${name}\n\n${scaleReport(name, shapes[name], R.cases[name], R.tensorboardVersion)}`);
        progress(texts[texts.length - 1]);
      }
    } finally {
      await browser.close().catch(() => {});
    }
  }

  R.loadAverageAfter = loadAverage();
  R.minutes = (Date.now() - started) / 60000;
  const head =
    `featherboard benchmark — ${R.date}\nmachine: ${R.machine}\n` +
    `load average before ${R.loadAverageBefore}, after ${R.loadAverageAfter}; ${R.minutes.toFixed(1)} min\n`;
  process.stdout.write(`\n${head}\n${texts.join('\n\n')}\n`);
  const notes = [
    'Notes: files are in the page cache; "peak RSS" is VmHWM read from /proc every 100 ms, summed over the',
    "server's process tree (TensorBoard: Python + its Rust data server). Figures of whole processes are medians",
    'of fresh processes, range in brackets; a run that timed out ends its series. "inked": charts whose plot',
    'holds coloured pixels in a screenshot. Live latency: one point appended, polled every 5 ms.',
  ];
  process.stdout.write(`\n${notes.join('\n')}\n`);
  fs.writeFileSync(resultFile, JSON.stringify(R, null, 1));
  log(`raw figures in ${path.relative(ROOT, resultFile)}`);
}

main()
  .catch((err) => {
    log(`failed: ${err.stack || err}`);
    process.exitCode = 1;
  })
  .finally(() => killAll());
