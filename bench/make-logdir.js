'use strict';
/**
 * The benchmark logdirs, written once with featherboard's EventWriter and
 * cached in .bench-cache/: `runs` runs × `tags` tags × `steps` steps, one
 * event per point; even runs PyTorch-style (simple_value), odd runs
 * TF2-style (float32 tensors, scalars metadata on the first value).
 * Deterministic: fixed file names, wall times and values.
 */
const fs = require('node:fs');
const path = require('node:path');

const T0 = 1700000000;
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
const FORMAT_VERSION = 1;

function runName(i) {
  return `run_${String(i).padStart(2, '0')}_${i % 2 === 0 ? 'pytorch' : 'tf2'}`;
}

/** The logdir's shape: what the bench expects to be served. */
function describe(spec) {
  const runs = [];
  for (let r = 0; r < spec.runs; r++) runs.push(runName(r));
  return { runs, tags: TAGS.slice(0, spec.tags), lastStep: spec.steps - 1, points: spec.runs * spec.tags * spec.steps };
}

function isComplete(dir, spec) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, '.complete.json'), 'utf8'));
    return m.version === FORMAT_VERSION && m.runs === spec.runs && m.tags === spec.tags && m.steps === spec.steps;
  } catch {
    return false;
  }
}

/** Writes the logdir unless a complete copy is cached; returns its size. */
function ensureLogdir(dir, spec, writerModule) {
  if (!isComplete(dir, spec)) {
    const { EventWriter } = writerModule;
    fs.rmSync(dir, { recursive: true, force: true });
    const started = Date.now();
    for (let r = 0; r < spec.runs; r++) {
      const pytorch = r % 2 === 0;
      const file = path.join(
        dir,
        runName(r),
        `events.out.tfevents.${T0 + r}.bench.${1000 + r}.0${pytorch ? '' : '.v2'}`,
      );
      const w = new EventWriter(file, {
        clock: () => T0 + r,
        maxQueue: 16384,
        scalarStyle: pytorch ? 'simple_value' : 'tensor',
      });
      let seed = 12345 + r;
      for (let step = 0; step < spec.steps; step++) {
        const wallTime = T0 + r + step * 0.05;
        for (let t = 0; t < spec.tags; t++) {
          seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
          const noise = seed / 2 ** 32 - 0.5;
          const value = Math.exp(-step / (2000 + 300 * t)) * (1 + 0.1 * noise) + 0.01 * t;
          w.addScalar(TAGS[t], value, step, { wallTime });
        }
      }
      w.close();
    }
    fs.writeFileSync(
      path.join(dir, '.complete.json'),
      JSON.stringify({ version: FORMAT_VERSION, ...spec, seconds: (Date.now() - started) / 1000 }),
    );
  }
  return { ...describe(spec), bytes: dirBytes(dir), files: countFiles(dir) };
}

function walk(dir, fn) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, fn);
    else if (e.name.includes('tfevents')) fn(p);
  }
}
function dirBytes(dir) {
  let n = 0;
  walk(dir, (p) => (n += fs.statSync(p).size));
  return n;
}
function countFiles(dir) {
  let n = 0;
  walk(dir, () => n++);
  return n;
}

module.exports = { ensureLogdir, describe, TAGS, runName };
