'use strict';
/**
 * Launch → every run read, as the server's own answers show it: the clock
 * starts with the server process; every run's last-written tag (written last
 * at every step, so a run that serves it at its last step has been read
 * whole) is polled over TensorBoard's API, `POST
 * /data/plugin/scalars/scalars_multirun`, for the runs not yet complete, a
 * chunk of runs a request. The same requests on both sides; bytes of event
 * files / that time is the load throughput as served.
 */
const http = require('node:http');
const { start, stop, rssSampler } = require('./processes');
const { agent, sleep, waitForUrl } = require('./http-poll');

const RUNS_PER_REQUEST = 100;
const ROUND_PAUSE_MS = 100;

function postForm(base, path, pairs, timeoutMs = 60_000) {
  const body = new URLSearchParams(pairs).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      base + path,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** The runs of `chunk` whose `tag` serves a last row at `lastStep`. */
async function completeRuns(base, tag, chunk, lastStep) {
  let res;
  try {
    res = await postForm(base, '/data/plugin/scalars/scalars_multirun', [
      ['tag', tag],
      ...chunk.map((r) => ['runs', r]),
    ]);
  } catch {
    return [];
  }
  if (res.status !== 200) return [];
  const byRun = JSON.parse(res.body.toString('utf8'));
  return chunk.filter((r) => {
    const rows = byRun[r];
    return Array.isArray(rows) && rows.length > 0 && rows[rows.length - 1][1] === lastStep;
  });
}

/** `server`: { cmd, args }; `shape`: { runs, lastTag, lastStep, bytes }. */
async function measureServedLoad(server, shape, { timeoutMs, cwd }) {
  const t0 = performance.now();
  const deadline = Date.now() + timeoutMs;
  const child = start(server.cmd, server.args, { cwd, env: { TF_CPP_MIN_LOG_LEVEL: '3' } });
  const rss = rssSampler(child);
  try {
    const base = await waitForUrl(child, deadline);
    const urlMs = performance.now() - t0;
    let pending = shape.runs;
    let requests = 0;
    while (pending.length > 0) {
      if (Date.now() > deadline)
        return { timedOut: true, timeoutMs, urlMs, pending: pending.length, peakRssKb: rss.kb(), requests };
      const done = new Set();
      for (let i = 0; i < pending.length; i += RUNS_PER_REQUEST) {
        requests++;
        for (const r of await completeRuns(base, shape.lastTag, pending.slice(i, i + RUNS_PER_REQUEST), shape.lastStep))
          done.add(r);
      }
      pending = pending.filter((r) => !done.has(r));
      if (pending.length > 0) await sleep(ROUND_PAUSE_MS);
    }
    const servedMs = performance.now() - t0;
    rss.sample();
    return { urlMs, servedMs, mbPerS: shape.bytes / 1e6 / (servedMs / 1000), requests, peakRssKb: rss.kb() };
  } catch (err) {
    return { error: `${err.message || err}`.slice(0, 2000), peakRssKb: rss.kb() };
  } finally {
    rss.stop();
    await stop(child);
  }
}

module.exports = { measureServedLoad };
