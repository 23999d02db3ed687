'use strict';
/**
 * What the charts of the first screen look like, read from the page's DOM.
 * `probeCharts` runs inside the page (page.evaluate), so it is self-contained.
 *
 * featherboard: the viewer's hook first — every chart element carries
 * `data-chart-state` ("loading" | "drawn" | "empty" | "failed"), `data-tag`
 * and `data-chart-runs` (runs with points drawn); see bench/README.md. Until
 * the viewer has it, today's cards are read: `.chart-card` with a uPlot
 * canvas under `.plot` (uPlot is created by the first draw), and its
 * `.status` text ("loading…", "failed", or what it drew: "", "downsampled").
 *
 * TensorBoard (Time Series dashboard): a `scalar-card` is loading while its
 * heading shows a spinner; once its data came, its data table holds one
 * `tb-data-table-content-row` per run with data (a card with no row is
 * empty, as when no run is selected). The lines themselves are drawn by a
 * worker on an OffscreenCanvas the page cannot read back, so the measure
 * confirms them from a screenshot (coloured pixels inside the canvas).
 */

/** Runs in the page: the charts of the first screen, each { tag, state, runs, plot rect }. */
function probeCharts(kind) {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  // In the first screen: at least half of the chart inside the viewport (a sliver at the bottom edge is not).
  const visible = (r) =>
    r.width > 0 &&
    r.height > 0 &&
    r.right > 0 &&
    r.left < vw &&
    Math.min(r.bottom, vh) - Math.max(r.top, 0) >= r.height / 2;
  const plotRect = (card) => {
    const boxes = [...card.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 0);
    if (boxes.length === 0) return null;
    const x = Math.min(...boxes.map((r) => r.left));
    const y = Math.min(...boxes.map((r) => r.top));
    const right = Math.max(...boxes.map((r) => r.right));
    const bottom = Math.max(...boxes.map((r) => r.bottom));
    return { x, y, width: right - x, height: bottom - y };
  };
  const charts = [];
  const add = (card, tag, state, runs) => {
    const r = card.getBoundingClientRect();
    if (visible(r)) charts.push({ tag, state, runs, plot: plotRect(card) });
  };
  if (kind === 'tensorboard') {
    for (const card of document.querySelectorAll('scalar-card')) {
      const tag = card.querySelector('tb-truncated-path')?.getAttribute('title') ?? '';
      const spinner = card.querySelector('mat-spinner, mat-progress-spinner, .mat-mdc-progress-spinner');
      const rows = card.querySelectorAll('tb-data-table-content-row').length;
      add(card, tag, spinner ? 'loading' : rows > 0 ? 'drawn' : 'empty', rows);
    }
    return charts;
  }
  const hooked = document.querySelectorAll('[data-chart-state]');
  if (hooked.length > 0) {
    for (const card of hooked) {
      const runs = card.getAttribute('data-chart-runs');
      add(
        card,
        card.getAttribute('data-tag') ?? '',
        card.getAttribute('data-chart-state'),
        runs === null ? null : +runs,
      );
    }
    return charts;
  }
  for (const card of document.querySelectorAll('.chart-card')) {
    const status = card.querySelector('.status')?.textContent ?? '';
    const canvas = card.querySelector('.plot canvas');
    const state =
      status === 'failed'
        ? 'failed'
        : status === 'loading…' || !canvas
          ? 'loading'
          : card.classList.contains('empty')
            ? 'empty'
            : 'drawn';
    add(card, card.getAttribute('data-tag') ?? '', state, null);
  }
  return charts;
}

/**
 * Runs in the page, once, at the end: runs drawn per chart from today's
 * featherboard debug hook (too heavy to call while timing: it copies every point).
 */
function featherboardRunsDrawn() {
  const fb = window.__featherboard;
  const charts = typeof fb?.debug === 'function' ? fb.debug() : undefined;
  if (!Array.isArray(charts)) return null;
  return Object.fromEntries(
    charts.map((c) => [c.tag, (c.drawn ?? []).filter((d) => Array.isArray(d.x) && d.x.length > 0).length]),
  );
}

module.exports = { probeCharts, featherboardRunsDrawn };
