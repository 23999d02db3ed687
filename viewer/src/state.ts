/** The view's settings, kept in the URL hash so a link reproduces the view. */
export type XAxis = 'step' | 'relative' | 'wall';
export type HistogramMode = 'offset' | 'overlay';

export interface ViewState {
  tab: string;
  runFilter: string;
  tagFilter: string;
  smoothing: number;
  xAxis: XAxis;
  logY: boolean;
  histMode: HistogramMode;
  /** Runs the user unticked. */
  hidden: Set<string>;
  actualSize: boolean;
}

export const DEFAULT_SMOOTHING = 0.6;

function parseList(text: string | null): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function readState(hash: string): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const smoothing = Number(p.get('smoothing'));
  const x = p.get('x');
  const hidden = p.get('hidden');
  return {
    tab: p.get('tab') ?? '',
    runFilter: p.get('runs') ?? '',
    tagFilter: p.get('tags') ?? '',
    smoothing:
      p.has('smoothing') && Number.isFinite(smoothing) ? Math.min(0.999, Math.max(0, smoothing)) : DEFAULT_SMOOTHING,
    xAxis: x === 'relative' || x === 'wall' ? x : 'step',
    logY: p.get('log') === '1',
    histMode: p.get('hist') === 'overlay' ? 'overlay' : 'offset',
    hidden: new Set(parseList(hidden)),
    actualSize: p.get('size') === 'actual',
  };
}

export function writeState(s: ViewState): string {
  const p = new URLSearchParams();
  if (s.tab) p.set('tab', s.tab);
  if (s.runFilter) p.set('runs', s.runFilter);
  if (s.tagFilter) p.set('tags', s.tagFilter);
  if (s.smoothing !== DEFAULT_SMOOTHING) p.set('smoothing', String(s.smoothing));
  if (s.xAxis !== 'step') p.set('x', s.xAxis);
  if (s.logY) p.set('log', '1');
  if (s.histMode !== 'offset') p.set('hist', s.histMode);
  if (s.hidden.size > 0) p.set('hidden', JSON.stringify([...s.hidden]));
  if (s.actualSize) p.set('size', 'actual');
  return p.toString();
}
