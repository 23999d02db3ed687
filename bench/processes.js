'use strict';
/**
 * Child processes of the bench: each starts in its own process group, is
 * killed (group and all) on timeout, on the bench's exit or interruption,
 * and its tree's peak RSS can be read from /proc while it runs.
 */
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const live = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Kill every child still running: SIGTERM, then SIGKILL for the stubborn. */
function killAll() {
  for (const c of live) killGroup(c, 'SIGTERM');
  const stubborn = [...live];
  if (stubborn.length > 0) {
    const deadline = Date.now() + 1500;
    while (
      Date.now() < deadline &&
      stubborn.some((c) => c.exitCode === null && c.signalCode === null && alive(c.pid))
    ) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
    for (const c of stubborn) killGroup(c, 'SIGKILL');
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

/** Start a command in its own process group; output is collected. */
function start(cmd, args, options = {}) {
  const child = spawn(cmd, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  live.add(child);
  child.output = '';
  const collect = (d) => {
    child.output += d.toString();
    if (child.output.length > 1_000_000) child.output = child.output.slice(-500_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.done = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      live.delete(child);
      child.output += String(err);
      resolve({ code: -1, signal: null });
    });
  });
  return child;
}

/** Stop a child and its group, waiting at most a few seconds. */
async function stop(child) {
  if (!live.has(child)) return;
  killGroup(child, 'SIGTERM');
  const t = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
  await child.done;
  clearTimeout(t);
}

/** Run a command to completion within `timeoutMs`; resolves with its exit, output and wall time. */
async function run(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const child = start(cmd, args, options);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child, 'SIGKILL');
  }, options.timeoutMs ?? 600_000);
  const exit = await child.done;
  clearTimeout(timer);
  return { ...exit, timedOut, output: child.output, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

/** Descendant pids of `pid` (itself included), from /proc. */
function tree(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks = [];
    try {
      tasks = fs.readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of fs.readFileSync(`/proc/${out[i]}/task/${t}/children`, 'utf8').trim().split(/\s+/))
          if (c) out.push(Number(c));
      } catch {
        /* exited meanwhile */
      }
    }
  }
  return out;
}

/**
 * Samples the peak RSS (VmHWM) of every process in a child's tree. `kb()` is
 * the sum of each process's own peak: for a single process its exact peak,
 * for a tree (TensorBoard + its Rust data server) an upper bound.
 */
function rssSampler(child, intervalMs = 100) {
  const peaks = new Map();
  const sample = () => {
    for (const pid of tree(child.pid)) {
      try {
        const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, Number(m[1])));
      } catch {
        /* exited meanwhile */
      }
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  sample();
  return {
    sample,
    stop: () => clearInterval(timer),
    kb: () => [...peaks.values()].reduce((a, b) => a + b, 0),
    processes: () => peaks.size,
  };
}

module.exports = { start, stop, run, killAll, rssSampler };
