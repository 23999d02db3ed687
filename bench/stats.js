'use strict';
/** Medians of fresh processes: a single start-up is at the mercy of whatever else the machine does. */

function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** { median, min, max, n } of the finite values. */
function spread(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? undefined : { median: median(s), min: s[0], max: s[s.length - 1], n: s.length };
}

/**
 * Runs `once` (a fresh process each time) `n` times. A run that failed or
 * timed out ends the series: that is the answer, and repeating a 90-second
 * timeout teaches nothing.
 */
async function repeat(n, once) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await once(i);
    runs.push(r);
    if (r.error || r.timedOut) break;
  }
  return runs;
}

module.exports = { median, spread, repeat };
