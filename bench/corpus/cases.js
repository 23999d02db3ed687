'use strict';
/**
 * The bench's logdirs, laid out as the real writers lay them out (see
 * layouts.js), generated once and cached in .bench-cache/<case>/. Runs
 * alternate writers: even runs PyTorch (`add_scalar`), odd runs TF2
 * (`tf.summary.scalar`), one event per point, every tag at every step in a
 * fixed order (as a training loop logs). Sweeps carry one hparams summary per
 * run as that run's writer records it. Deterministic: names, wall times and
 * values follow from the case alone.
 */
const fs = require('node:fs');
const path = require('node:path');
const { EventFile } = require('./event-file');
const { LAYOUTS } = require('./layouts');
const { pytorchHparamsEvents, tf2HparamsEvent } = require('./hparams');

/** Bump when the bytes of any case change: cached copies of an older version are rewritten. */
const FORMAT_VERSION = 3;
const T0 = 1700000000;
const HOST = 'gpu-node-07';
/** A training loop's add_scalar calls are some microseconds apart. */
const CALL_SECONDS = 2e-5;

const TAGS = [
  'train/loss',
  'train/accuracy',
  'train/lr',
  'train/grad_norm',
  'train/throughput',
  'eval/loss',
  'eval/accuracy',
  'eval/f1',
  'system/gpu_util',
  'system/memory',
];
const LAYER_METRICS = [
  'weight_norm',
  'grad_norm',
  'update_ratio',
  'act_mean',
  'act_std',
  'act_sparsity',
  'weight_mean',
  'weight_std',
  'grad_mean',
  'grad_std',
];
/** What a PyTorch sweep passes as add_hparams' metric_dict (read from the run's last eval values). */
const HPARAM_METRICS = { 'hparam/eval_loss': 'eval/loss', 'hparam/eval_accuracy': 'eval/accuracy' };

const writerOf = (i) => (i % 2 === 0 ? 'pytorch' : 'tf2');
const pad = (n, width) => String(n).padStart(width, '0');

/** A small deterministic generator (numerical recipes' LCG), one per run. */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SWEEP_LRS = [0.0001, 0.0003, 0.001, 0.003, 0.01];
const SWEEP_BATCHES = [32n, 64n, 128n, 256n];

/** Grid sweep: 5 learning rates × 4 batch sizes × 25 seeds, named as `lr=0.001,bs=64,seed=3`. */
function gridTrial(i) {
  const lr = SWEEP_LRS[i % 5];
  const bs = SWEEP_BATCHES[Math.floor(i / 5) % 4];
  const seed = BigInt(Math.floor(i / 20));
  return {
    name: `lr=${lr},bs=${bs},seed=${seed}`,
    hparams: { lr, batch_size: bs, seed, optimizer: 'adam' },
    // Nearer lr 0.001 learns faster; bigger batches a little slower.
    speed: 1 / (1 + Math.abs(Math.log10(lr) + 3)) / (1 + 0.1 * (Number(bs) / 32 - 1)),
  };
}

/** Random search: `sweep/trial_0042`, hyperparameters drawn per trial. */
function randomTrial(i) {
  const r = lcg(7919 * i + 17);
  const lr = Number((10 ** (-5 + 4 * r())).toPrecision(3));
  const hparams = {
    lr,
    batch_size: [16n, 32n, 64n, 128n, 256n][Math.floor(r() * 5)],
    optimizer: ['adam', 'adamw', 'sgd'][Math.floor(r() * 3)],
    dropout: Math.round(r() * 10) / 20,
    weight_decay: Number((10 ** (-6 + 3 * r())).toPrecision(2)),
    use_bn: r() < 0.5,
    seed: BigInt(i % 10),
  };
  return { name: `sweep/trial_${pad(i, 4)}`, hparams, speed: 1 / (1 + Math.abs(Math.log10(lr) + 3)) };
}

/**
 * Each case: run count, steps per run, the tags every run writes, and per run
 * its name, writer and (sweeps) hyperparameters. `tau` is the steps a run's
 * loss takes to fall by e; `stepSeconds` the wall time between steps.
 */
const CASES = {
  'scalars-4m': {
    about: '16 runs × 10 tags × 25,000 steps',
    runs: 16,
    steps: 25_000,
    tags: TAGS,
    stepSeconds: 0.05,
    run: (i) => ({ name: `run_${pad(i, 2)}_${writerOf(i)}`, tau: 2000 }),
  },
  'scalars-400k': {
    about: '16 runs × 10 tags × 2,500 steps',
    runs: 16,
    steps: 2_500,
    tags: TAGS,
    stepSeconds: 0.05,
    run: (i) => ({ name: `run_${pad(i, 2)}_${writerOf(i)}`, tau: 2000 }),
  },
  'sweep-500': {
    about: '500 runs × 10 tags × 1,000 steps, hparams per run',
    runs: 500,
    steps: 1_000,
    tags: TAGS,
    stepSeconds: 0.5,
    run: (i) => {
      const t = gridTrial(i);
      return { name: t.name, hparams: t.hparams, tau: 100 + 400 * (1 - t.speed) };
    },
  },
  'sweep-5000': {
    about: '5,000 runs × 10 tags × 200 steps, hparams per run',
    runs: 5_000,
    steps: 200,
    tags: TAGS,
    stepSeconds: 0.5,
    run: (i) => {
      const t = randomTrial(i);
      return { name: t.name, hparams: t.hparams, tau: 20 + 80 * (1 - t.speed) };
    },
  },
  'long-40m': {
    about: '4 runs × 10 tags × 1,000,000 steps',
    runs: 4,
    steps: 1_000_000,
    tags: TAGS,
    stepSeconds: 0.05,
    run: (i) => ({ name: `run_${i}_${writerOf(i)}`, tau: 80_000 * (1 + i) }),
  },
  'tags-5000': {
    about: '1 run × 5,000 tags × 100 steps (TF2)',
    runs: 1,
    steps: 100,
    tags: Array.from({ length: 500 }, (_, l) => LAYER_METRICS.map((m) => `layer_${pad(l, 3)}/${m}`)).flat(),
    stepSeconds: 1,
    writer: () => 'tf2',
    run: () => ({ name: 'run_0_tf2', tau: 30 }),
  },
};

function spec(name) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown case ${name}; cases: ${Object.keys(CASES).join(', ')}`);
  return c;
}

/** What a case holds: what the bench expects to be served. */
function describe(name) {
  const c = spec(name);
  const runs = [];
  for (let i = 0; i < c.runs; i++) runs.push(c.run(i).name);
  const hparams = c.run(0).hparams !== undefined;
  // PyTorch's add_hparams writes its metrics as scalars of the PyTorch runs only.
  const pytorchRuns = runs.filter((_, i) => (c.writer ?? writerOf)(i) === 'pytorch').length;
  return {
    name,
    about: c.about,
    runs,
    tags: c.tags,
    lastStep: c.steps - 1,
    /** Written last at every step: a run whose last tag serves its last step is read whole. */
    lastTag: c.tags[c.tags.length - 1],
    points: c.runs * c.tags.length * c.steps,
    hparams,
    /** Runs holding a tag, where not every run does. */
    tagRuns: hparams ? Object.fromEntries(Object.keys(HPARAM_METRICS).map((t) => [t, pytorchRuns])) : {},
  };
}

/** One run's event files, as its writer writes them. Returns bytes written. */
function writeRun(dir, c, i) {
  const r = c.run(i);
  const writer = (c.writer ?? writerOf)(i);
  const layout = LAYOUTS[writer];
  const runDir = path.join(dir, r.name);
  const start = T0 + i * (c.steps * c.stepSeconds + 60) + 0.123457;
  const pid = 2000 + (i % 30000);
  const secs = Math.floor(start);
  const f = new EventFile(runDir, writer, { secs, host: HOST, pid, counter: 0 }, writer === 'tf2' ? secs : start);
  if (r.hparams && writer === 'tf2') f.event(tf2HparamsEvent(r.hparams, layout.wallTime(start + 0.002), start));

  const rand = lcg(12345 + i);
  const tags = c.tags;
  // Losses fall, accuracies rise, towards a level of their own.
  const rising = tags.map((tag) => /accuracy|f1/.test(tag));
  const last = {};
  for (let step = 0; step < c.steps; step++) {
    const t0 = start + 0.01 + step * c.stepSeconds;
    for (let t = 0; t < tags.length; t++) {
      const noise = rand() - 0.5;
      const decay = Math.exp(-step / (r.tau * (1 + 0.15 * (t % 10)))) * (1 + 0.1 * noise) + 0.01 * (t % 10);
      const value = rising[t] ? 1 - 0.9 * decay : decay;
      f.scalar(tags[t], step, layout.wallTime(t0 + t * CALL_SECONDS), value);
      if (step === c.steps - 1) last[tags[t]] = value;
    }
  }
  let bytes = f.close();

  if (r.hparams && writer === 'pytorch') {
    // add_hparams(h, metrics, run_name='.') at the end of training: a second writer, a second file.
    const end = start + 0.02 + c.steps * c.stepSeconds;
    const metrics = Object.fromEntries(Object.entries(HPARAM_METRICS).map(([m, tag]) => [m, last[tag]]));
    const g = new EventFile(runDir, writer, { secs: Math.floor(end), host: HOST, pid, counter: 1 }, end);
    const walls = Array.from({ length: 3 + Object.keys(metrics).length }, (_, k) => end + 1e-4 * (k + 1));
    for (const e of pytorchHparamsEvents(r.hparams, metrics, walls)) g.event(e);
    bytes += g.close();
  }
  return bytes;
}

function isComplete(dir, name) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, '.complete.json'), 'utf8'));
    return m.version === FORMAT_VERSION && m.case === name;
  } catch {
    return false;
  }
}

/**
 * The case's logdir under `cacheDir`, written unless a complete copy of this
 * format version is there. Returns what it holds, its size and file count.
 */
function ensureCase(cacheDir, name, log = () => {}) {
  const c = spec(name);
  const dir = path.join(cacheDir, name);
  if (!isComplete(dir, name)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    log(`writing ${name} (${c.about}) into ${dir}`);
    const t = process.hrtime.bigint();
    let bytes = 0;
    for (let i = 0; i < c.runs; i++) bytes += writeRun(dir, c, i);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    log(`${name}: ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s`);
    fs.writeFileSync(
      path.join(dir, '.complete.json'),
      JSON.stringify({ version: FORMAT_VERSION, case: name, seconds }),
    );
  }
  return { ...describe(name), dir, ...sizeOf(dir) };
}

function sizeOf(dir) {
  let bytes = 0;
  let files = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.includes('tfevents')) {
        bytes += fs.statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

module.exports = { CASES, ensureCase, describe, TAGS };
