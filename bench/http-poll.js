'use strict';
/** Small HTTP helpers: wait for a server's URL in its output, poll scalar series until they end where expected. */
const http = require('node:http');

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function get(base, pathAndQuery, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const req = http.get(base + pathAndQuery, { agent, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The base URL a server printed (`http://host:port`), waiting for it to appear. */
async function waitForUrl(child, deadline) {
  for (;;) {
    const m = /https?:\/\/([^\s/:]+|\[[^\]]+\]):(\d+)/.exec(child.output);
    if (m) {
      const host = ['localhost', '0.0.0.0', '[::]'].includes(m[1]) ? '127.0.0.1' : m[1];
      return `http://${host}:${m[2]}`;
    }
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`server exited before printing its URL:\n${child.output.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`server printed no URL in time:\n${child.output.slice(-2000)}`);
    await sleep(10);
  }
}

/** Step of the last point /data/plugin/scalars/scalars serves for run/tag, or undefined. */
async function lastServedStep(base, run, tag) {
  let res;
  try {
    res = await get(base, `/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`);
  } catch {
    return undefined;
  }
  if (res.status !== 200) return undefined;
  return lastRowStep(res.body.toString('utf8'));
}

/**
 * The step of the last `[wall_time, step, value]` row of a scalars response,
 * parsing only that row: the poller should measure the server, not its own
 * JSON.parse of a megabyte per series.
 */
function lastRowStep(body) {
  const text = body.trimEnd();
  const open = text.lastIndexOf('[');
  if (open <= 0 || !text.endsWith(']]')) return undefined;
  try {
    const row = JSON.parse(text.slice(open, -1));
    return Array.isArray(row) ? row[1] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls until every (run, tag) serves its point at `lastStep`. A series that
 * already ends there is not asked again (data only grows).
 */
async function waitUntilServed(base, runs, tags, lastStep, deadline) {
  const pending = [];
  for (const run of runs) for (const tag of tags) pending.push([run, tag]);
  let requests = 0;
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} series still incomplete at the deadline`);
    for (let i = 0; i < pending.length; ) {
      const [run, tag] = pending[i];
      requests++;
      if ((await lastServedStep(base, run, tag)) === lastStep) pending.splice(i, 1);
      else {
        i++;
        break; // the loader is not there yet: wait a moment before asking again
      }
    }
    if (pending.length > 0) await sleep(20);
  }
  return requests;
}

module.exports = { get, sleep, waitForUrl, lastServedStep, lastRowStep, waitUntilServed, agent };
