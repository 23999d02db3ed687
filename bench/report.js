'use strict';
/** The bench's tables (Markdown), from the raw results run.js saves. */
const { spread } = require('./stats');

const mb = (bytes) => bytes / 1e6;
const kbToMb = (kb) => (kb * 1024) / 1e6;

const fmt = {
  s: (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`),
  ms: (ms) => (ms === undefined ? '—' : `${ms.toFixed(0)} ms`),
  mb: (kb) => (kb === undefined ? '—' : `${kbToMb(kb).toFixed(0)} MB`),
  ratio: (x) => (x === undefined || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`),
  bytes: (b) => (b === undefined ? '—' : b >= 1e6 ? `${mb(b).toFixed(1)} MB` : `${(b / 1e3).toFixed(0)} kB`),
};

/** A spread { median, min, max, n } as "1.23 s (1.10–1.40, n=3)". */
function spreadText(x, one, unit = '') {
  if (!x) return '—';
  const range = x.n > 1 ? ` (${one(x.min, true)}–${one(x.max, true)}${unit}, n=${x.n})` : '';
  return `${one(x.median)}${range}`;
}
const seconds = (x) => spreadText(x, (ms, bare) => (bare ? (ms / 1000).toFixed(2) : fmt.s(ms)));
const rssText = (x) => spreadText(x, (kb, bare) => (bare ? kbToMb(kb).toFixed(0) : fmt.mb(kb)));
const bytesText = (x) => spreadText(x, (b) => fmt.bytes(b));

function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  const line = (r) => `| ${r.map((x, c) => String(x).padEnd(widths[c])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

const failedText = (x) => `failed: ${String(x.error).split('\n')[0].slice(0, 60)}`;

/** The 4M / 400k table, as before the scale cases. */
function legacyReport(R) {
  const L = R.legacy;
  const ours = L.featherboard;
  const tb = L.tensorboard;
  const served = (x) => (x?.error ? failedText(x) : fmt.s(x?.servedMs));
  const lat = (x) =>
    x?.live?.medianMs === undefined
      ? x?.live?.error
        ? 'failed'
        : '—'
      : `${fmt.ms(x.live.medianMs)} / ${fmt.ms(x.live.maxMs)} ` +
        `(n=${x.live.samples}${x.live.timeouts ? `, ${x.live.timeouts} timed out` : ''})`;
  const range = (x) =>
    x.allMs?.length > 1 ? ` (${(x.minMs / 1000).toFixed(2)}–${(x.maxMs / 1000).toFixed(2)}, n=${x.allMs.length})` : '';
  const exp = (x) =>
    x === undefined ? '—' : x.error ? failedText(x) : `${fmt.s(x.ms)}${range(x)}, ${fmt.mb(x.peakRssKb)}`;
  const load = ours.load;
  const loadRange = load.allMs?.length > 1 ? ` (${load.allMs.map((m) => (m / 1000).toFixed(2)).join(', ')})` : '';
  const rows = [
    ['measure', 'featherboard', tb ? `TensorBoard ${R.tensorboardVersion}` : 'TensorBoard (not run)', 'ratio', 'goal'],
  ];
  rows.push([
    'logdir (4M points)',
    `${mb(L.big.bytes).toFixed(0)} MB, ${L.big.files} files, ${L.big.points.toLocaleString('en-US')} points`,
    '',
    '',
    '',
  ]);
  rows.push([
    'in-process load (LogdirLoader → Store)',
    load.error
      ? failedText(load)
      : `${fmt.s(load.ms)}${loadRange}: ${(mb(load.bytes) / (load.ms / 1000)).toFixed(0)} MB/s, ` +
        `${(load.records / (load.ms / 1000) / 1e6).toFixed(2)} M records/s, ${fmt.mb(load.maxRssKb)}`,
    '—',
    '',
    '',
  ]);
  const servedRatio = tb?.serve?.servedMs && ours.serve?.servedMs ? ours.serve.servedMs / tb.serve.servedMs : undefined;
  rows.push([
    'launch → every tag serves its last point',
    served(ours.serve),
    tb ? served(tb.serve) : '—',
    fmt.ratio(servedRatio),
    '≤ 0.10×',
  ]);
  const rssRatio =
    tb?.serve?.peakRssKb && ours.serve?.peakRssKb ? ours.serve.peakRssKb / tb.serve.peakRssKb : undefined;
  rows.push([
    'peak RSS while serving',
    fmt.mb(ours.serve?.peakRssKb),
    tb ? `${fmt.mb(tb.serve?.peakRssKb)}${tb.serve?.processes > 1 ? ` (${tb.serve.processes} processes)` : ''}` : '—',
    fmt.ratio(rssRatio),
    '≤ 0.5×',
  ]);
  rows.push(['live update visible: median / max', lat(ours.serve), tb ? lat(tb.serve) : '—', '', 'median ≤ 250 ms']);
  const expRatio = tb?.export400k?.ms && ours.export400k?.ms ? tb.export400k.ms / ours.export400k.ms : undefined;
  rows.push([
    'CSV export, 400k points: time, peak RSS',
    exp(ours.export400k),
    tb ? exp(tb.export400k) : '—',
    expRatio ? `${expRatio.toFixed(1)}× faster` : '—',
    '≥ 33× faster',
  ]);
  rows.push([
    'CSV export, 4M points: time, peak RSS',
    exp(ours.export4m),
    '(not run: minutes)',
    '',
    'peak RSS ≤ 300 MB',
  ]);
  return table(rows);
}

/** Goals of issue 12, per case and measure. */
const GOALS = {
  'sweep-500': { firstScreen: '≤ 3 s, no chart failed', bytesPerChart: '≤ 1 MB' },
  'sweep-5000': { firstScreen: '≤ 6 s, no chart failed', bytesPerChart: '≤ 1 MB', served: '≥ 300 MB/s' },
  'long-40m': { api1000: '≤ 0.25× TensorBoard', rss: '≤ TensorBoard', load: '≥ 600 MB/s', bytesPerChart: '≤ 1 MB' },
  'tags-5000': { firstScreen: 'keep ~1.3 s' },
};

function firstScreenText(s) {
  if (!s) return '—';
  if (s.error) return failedText(s);
  const first = s.firstDrawnMs ? `first drawn ${seconds(s.firstDrawnMs)}` : 'never all drawn';
  const notComplete = `not complete after ${s.timeoutMs / 1000} s`;
  const head = !s.timedOut
    ? seconds(s.ms)
    : s.completed > 0
      ? `${seconds(s.ms)} in ${s.completed} of ${s.attempts} runs; run ${s.attempts} ${notComplete} (${first})`
      : `${notComplete} (${first})`;
  const states = {};
  for (const st of s.states) states[st] = (states[st] ?? 0) + 1;
  const detail = Object.entries(states)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return s.charts === 0 ? `${head}; no chart shown` : `${head}; ${s.charts} charts: ${detail}; ${s.inked} inked`;
}

function runsPerChartText(s, expected) {
  if (!s || s.error || !s.runsPerChart) return '—';
  const { min, max } = s.runsPerChart;
  return `${min === max ? min : `${min}–${max}`} of ${expected}`;
}

function servedText(s, bytes) {
  if (!s) return '—';
  if (s.error) return failedText(s);
  const notServed = `not served after ${s.timeoutMs / 1000} s`;
  if (s.timedOut && !s.ms) return `${notServed}${s.pending ? ` (${s.pending} runs pending)` : ''}`;
  const partly = s.timedOut ? ` in ${s.completed} of ${s.attempts} runs; run ${s.attempts} ${notServed}` : '';
  return `${seconds(s.ms)}: ${(mb(bytes) / (s.ms.median / 1000)).toFixed(0)} MB/s${partly}`;
}

/** A ratio of medians, only between two complete figures (no timeout, no failed chart). */
function ratioOf(a, b) {
  const complete = (x) => x?.ms?.median && !x.timedOut && !x.error && !(x.failed > 0);
  return complete(a) && complete(b) ? fmt.ratio(a.ms.median / b.ms.median) : '—';
}

/** One scale case's table: featherboard, TensorBoard --load_fast=true / false side by side. */
function scaleReport(name, shape, C, tbVersion) {
  const fb = C.featherboard;
  const tb = C.tensorboard;
  const slow = C.tensorboardSlow;
  const goal = GOALS[name] ?? {};
  const tbHead = tb ? `TensorBoard ${tbVersion} --load_fast=true` : 'TensorBoard (not run)';
  const rows = [
    ['measure', 'featherboard', tbHead, 'TensorBoard --load_fast=false', 'featherboard / TB (fast)', 'goal'],
  ];
  rows.push([
    'logdir',
    `${shape.about}: ${mb(shape.bytes).toFixed(0)} MB, ${shape.files} files, ` +
      `${shape.points.toLocaleString('en-US')} points`,
    '',
    '',
    '',
    '',
  ]);
  const load = fb.load;
  rows.push([
    'in-process load (LogdirLoader → Store)',
    load.error
      ? failedText(load)
      : `${seconds(spread(load.allMs))}: ${(mb(load.bytes) / (load.ms / 1000)).toFixed(0)} MB/s, ` +
        `${fmt.mb(load.maxRssKb)}`,
    '—',
    '—',
    '',
    name === 'long-40m' ? goal.load : '',
  ]);
  if (name === 'long-40m') {
    rows.push([
      'launch → every series serves its last step (1,000 samples a series, both sides)',
      servedText(fb.api1000, shape.bytes),
      tb ? servedText(tb.api1000, shape.bytes) : '—',
      '—',
      ratioOf(fb.api1000, tb?.api1000),
      goal.api1000,
    ]);
    rows.push([
      'peak RSS while serving it',
      rssText(fb.api1000?.peakRssKb),
      tb
        ? `${rssText(tb.api1000?.peakRssKb)}${tb.api1000?.processes > 1 ? ` (${tb.api1000.processes} processes)` : ''}`
        : '—',
      '—',
      fb.api1000?.peakRssKb && tb?.api1000?.peakRssKb
        ? fmt.ratio(fb.api1000.peakRssKb.median / tb.api1000.peakRssKb.median)
        : '—',
      goal.rss,
    ]);
  } else {
    rows.push([
      'launch → every run served (scalars_multirun, last tag at its last step)',
      servedText(fb.served, shape.bytes),
      tb ? servedText(tb.served, shape.bytes) : '—',
      '—',
      ratioOf(fb.served, tb?.served),
      goal.served ?? '',
    ]);
  }
  const fs1 = fb.firstScreen;
  rows.push([
    'launch → first screen drawn (Chromium 1440×900)',
    firstScreenText(fs1),
    tb ? firstScreenText(tb.firstScreen) : '—',
    slow ? firstScreenText(slow.firstScreen) : '—',
    ratioOf(fs1, tb?.firstScreen),
    goal.firstScreen ?? '',
  ]);
  rows.push([
    'runs drawn per chart',
    runsPerChartText(fs1, shape.runs.length),
    tb ? runsPerChartText(tb.firstScreen, shape.runs.length) : '—',
    slow ? runsPerChartText(slow.firstScreen, shape.runs.length) : '—',
    '',
    name.startsWith('sweep') ? 'every run' : '',
  ]);
  const bytesRow = (s) =>
    s && !s.error ? `${bytesText(s.bytesPerChart)} (${s.chartRequests?.median ?? '—'} requests)` : '—';
  rows.push([
    'chart data per chart drawn (first screen)',
    bytesRow(fs1),
    tb ? bytesRow(tb.firstScreen) : '—',
    slow ? bytesRow(slow.firstScreen) : '—',
    '',
    goal.bytesPerChart ?? '',
  ]);
  const total = (s) => (s && !s.error ? bytesText(s.totalBytes) : '—');
  rows.push([
    'bytes received by the page (first screen)',
    total(fs1),
    tb ? total(tb.firstScreen) : '—',
    slow ? total(slow.firstScreen) : '—',
    '',
    '',
  ]);
  const rss = (s) =>
    s && !s.error ? `${rssText(s.peakRssKb)}${s.processes > 1 ? ` (${s.processes} processes)` : ''}` : '—';
  rows.push([
    'peak RSS (first screen)',
    rss(fs1),
    tb ? rss(tb.firstScreen) : '—',
    slow ? rss(slow.firstScreen) : '—',
    '',
    '',
  ]);
  return table(rows);
}

module.exports = { legacyReport, scaleReport };
