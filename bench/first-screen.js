'use strict';
/**
 * Launch → first screen drawn, in headless Chromium, as a user meets it: the
 * clock starts when the server process is started; the page is opened as
 * soon as the server prints its URL; the first screen is drawn when every
 * chart at least half inside the 1440×900 viewport is drawn (or failed) and the
 * network has been idle for 500 ms (no request in flight but the viewer's
 * event stream). The time reported is when both last became true. Also: the
 * bytes of chart data requests until then (per chart drawn), every byte the
 * page received, failed charts, runs drawn per chart, coloured pixels per
 * chart (from a screenshot: a drawn line, not an empty frame; kept when
 * `screenshot` names a file), and the peak RSS of the server's process tree.
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

/**
 * One fresh server process and browser context: `server` is
 * { kind: 'featherboard' | 'tensorboard', cmd, args, path }. Resolves with the
 * figures; a first screen not drawn by `timeoutMs` is reported as such, with
 * what was drawn by then.
 */
async function measureFirstScreen(browser, server, { timeoutMs, cwd, screenshot }) {
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
    let settledSince;
    let doneAt;
    while (Date.now() < deadline) {
      try {
        charts = await page.evaluate(probeCharts, server.kind);
      } catch {
        charts = []; // the document is being replaced
      }
      const t = now();
      const settled = charts.length > 0 && charts.every((c) => c.state === 'drawn' || c.state === 'failed');
      if (!settled) settledSince = undefined;
      else settledSince ??= t;
      if (settled && net.inFlight.size === 0 && t - net.lastEnd >= IDLE_MS) {
        doneAt = Math.max(settledSince, net.lastEnd);
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
    const fbRuns = server.kind === 'featherboard' ? await page.evaluate(featherboardRunsDrawn).catch(() => null) : null;
    const shown = charts.map((c) => ({
      tag: c.tag,
      state: c.state,
      runs: c.state === 'failed' ? 0 : (c.runs ?? fbRuns?.[c.tag] ?? null),
      inked: c.plot !== null && colouredPixels(img, c.plot) >= INKED_PIXELS,
    }));
    const drawn = shown.filter((c) => c.state === 'drawn').length;
    return {
      urlMs,
      firstScreenMs: doneAt === undefined ? undefined : doneAt - t0,
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
