'use strict';
/**
 * Launch → first screen drawn, in headless Chromium, as a user meets it: the
 * clock starts when the server process is started; the page is opened as
 * soon as the server prints its URL. Two moments are taken, each once the
 * network has been idle for 500 ms (no request in flight but the viewer's
 * event stream), each the later of that idleness and the charts' state:
 * - first drawn: every chart of the first screen (at least half inside the
 *   1440×900 viewport) is drawn or failed;
 * - complete (the figure): every one is drawn, none failed, each with every
 *   run that has its tag (`expectRuns(tag)`).
 * Also: the bytes of chart data requests until then (per chart drawn), every
 * byte the page received, failed charts, runs drawn per chart, coloured
 * pixels per chart (from a screenshot: a drawn line, not an empty frame; kept
 * when `screenshot` names a file), and the peak RSS of the server's process
 * tree. A first screen not complete by the timeout is reported as such, with
 * what was drawn by then.
 */
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { start, stop, rssSampler } = require('./processes');
const { sleep, waitForUrl } = require('./http-poll');
const { probeCharts, featherboardRunsDrawn } = require('./chart-probe');
const { decodePng, colouredPixels } = require('./png');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const VIEWPORT = { width: 1440, height: 900 };
const IDLE_MS = 500;
const POLL_MS = 50;
/** Coloured pixels that make a chart "inked": a few short line segments. */
const INKED_PIXELS = 20;

/** Chart data, as each viewer asks for it (featherboard's own API or TensorBoard's). */
const CHART_REQUEST = {
  featherboard: /\/api\/scalars\b|\/data\/plugin\/scalars\//,
  tensorboard: /\/data\/plugin\/timeseries\/timeSeries\b|\/data\/plugin\/scalars\//,
};

function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

const now = () => performance.now();

/** Requests of a page: in flight (event streams aside), when the last one ended, bytes by finish time. */
function trackNetwork(page, chartPattern) {
  const inFlight = new Set();
  const finished = [];
  const net = { lastEnd: now(), inFlight, finished };
  page.on('request', (r) => {
    if (r.resourceType() !== 'eventsource') inFlight.add(r);
  });
  const end = (r, ok) => {
    if (!inFlight.delete(r)) return;
    const at = now();
    net.lastEnd = at;
    const entry = { at, url: r.url(), chart: chartPattern.test(r.url()), bytes: 0, ok };
    finished.push(entry);
    if (ok)
      r.sizes()
        .then((s) => (entry.bytes = Math.max(0, s.responseBodySize)))
        .catch(() => {});
  };
  page.on('requestfinished', (r) => end(r, true));
  page.on('requestfailed', (r) => end(r, false));
  return net;
}

/** A fresh server process and browser context; `server`: { kind: 'featherboard' | 'tensorboard', cmd, args, path }. */
async function measureFirstScreen(browser, server, { timeoutMs, cwd, screenshot, expectRuns }) {
  const t0 = now();
  const deadline = Date.now() + timeoutMs;
  const child = start(server.cmd, server.args, { cwd, env: { TF_CPP_MIN_LOG_LEVEL: '3' } });
  const rss = rssSampler(child);
  let context;
  try {
    const base = await waitForUrl(child, deadline);
    const urlMs = now() - t0;
    context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const net = trackNetwork(page, CHART_REQUEST[server.kind]);
    await page.goto(base + server.path, { waitUntil: 'commit', timeout: Math.max(1000, deadline - Date.now()) });
    let charts = [];
    // Today's featherboard tells runs per chart only through its heavy debug hook: asked at most once a second.
    let runsDrawn = null;
    let runsAskedAt = -Infinity;
    const runsOf = (c) => (c.state === 'failed' ? 0 : (c.runs ?? runsDrawn?.[c.tag] ?? null));
    let settledSince;
    let completeSince;
    let firstDrawnAt;
    let doneAt;
    while (Date.now() < deadline) {
      try {
        charts = await page.evaluate(probeCharts, server.kind);
      } catch {
        charts = []; // the document is being replaced
      }
      let t = now();
      const idle = net.inFlight.size === 0 && t - net.lastEnd >= IDLE_MS;
      const settled = charts.length > 0 && charts.every((c) => c.state === 'drawn' || c.state === 'failed');
      if (!settled) settledSince = undefined;
      else settledSince ??= t;
      if (settled && idle) firstDrawnAt ??= Math.max(settledSince, net.lastEnd);
      if (settled && server.kind === 'featherboard' && charts.some((c) => c.runs === null) && t - runsAskedAt >= 1000) {
        runsDrawn = await page.evaluate(featherboardRunsDrawn).catch(() => null);
        t = runsAskedAt = now();
      }
      const complete =
        settled &&
        charts.every((c) => c.state === 'drawn' && (expectRuns === undefined || runsOf(c) >= expectRuns(c.tag)));
      if (!complete) completeSince = undefined;
      else completeSince ??= t;
      if (complete && idle) {
        doneAt = Math.max(completeSince, net.lastEnd);
        break;
      }
      await sleep(POLL_MS);
    }
    rss.sample();
    const until = doneAt ?? now();
    await sleep(100); // byte counts of the last responses arrive asynchronously
    const upTo = net.finished.filter((e) => e.at <= until);
    const chartBytes = upTo.filter((e) => e.chart).reduce((a, e) => a + e.bytes, 0);
    const totalBytes = upTo.reduce((a, e) => a + e.bytes, 0);
    const png = await page.screenshot({ type: 'png' });
    if (screenshot) fs.writeFileSync(screenshot, png);
    const img = decodePng(png);
    if (server.kind === 'featherboard') runsDrawn = await page.evaluate(featherboardRunsDrawn).catch(() => null);
    const shown = charts.map((c) => ({
      tag: c.tag,
      state: c.state,
      runs: runsOf(c),
      expected: expectRuns?.(c.tag),
      inked: c.plot !== null && colouredPixels(img, c.plot) >= INKED_PIXELS,
    }));
    const drawn = shown.filter((c) => c.state === 'drawn').length;
    return {
      urlMs,
      firstScreenMs: doneAt === undefined ? undefined : doneAt - t0,
      firstDrawnMs: firstDrawnAt === undefined ? undefined : firstDrawnAt - t0,
      timedOut: doneAt === undefined,
      timeoutMs,
      charts: shown,
      drawn,
      failed: shown.filter((c) => c.state === 'failed').length,
      inked: shown.filter((c) => c.inked).length,
      chartRequests: upTo.filter((e) => e.chart).length,
      failedRequests: upTo.filter((e) => !e.ok).length,
      chartBytes,
      bytesPerChart: drawn > 0 ? chartBytes / drawn : undefined,
      totalBytes,
      peakRssKb: rss.kb(),
      processes: rss.processes(),
    };
  } catch (err) {
    return { error: `${err.message || err}`.slice(0, 2000), peakRssKb: rss.kb() };
  } finally {
    rss.stop();
    await context?.close().catch(() => {});
    await stop(child);
  }
}

module.exports = { launchBrowser, measureFirstScreen };
