import 'uplot/dist/uPlot.min.css';
import './style.css';
import type { ProjectorRunsResponse } from '../../src/common/responses/tensorboard';
import type { EventStreamData, RunJson } from '../../src/common/responses/viewer-api';
import { fetchRuns, getJson } from './api';
import { runColor } from './colors';
import type { AppContext, Change, View } from './context';
import { clear, el, userRegex, Visibility } from './dom';
import { readState, writeState, type ViewState } from './state';
import { distributionsView } from './views/distributions';
import { GRAPH_PLUGINS, graphsView } from './graph';
import { HParamsView } from './views/hparams';
import { histogramsView } from './views/histograms';
import { audioView, imagesView } from './views/media';
import { PrCurvesView } from './views/pr-curves';
import { projectorView } from './views/projector';
import { ScalarsView } from './views/scalars';
import { textView } from './views/text';

interface TabDef {
  id: string;
  label: string;
  /** The plugin whose runs the run list shows. */
  plugin: string;
  make(ctx: AppContext): View;
  /** Whether a run has data for this tab (default: a tag of `plugin`). */
  has?(run: RunJson): boolean;
  /** The view picks runs itself: no run list, no tag filter. */
  ownControls?: boolean;
  /** The view filters itself: no tag filter. */
  noTagFilter?: boolean;
}

const TABS: TabDef[] = [
  { id: 'scalars', label: 'Scalars', plugin: 'scalars', make: (c) => new ScalarsView(c) },
  { id: 'images', label: 'Images', plugin: 'images', make: imagesView },
  { id: 'audio', label: 'Audio', plugin: 'audio', make: audioView },
  { id: 'histograms', label: 'Histograms', plugin: 'histograms', make: histogramsView },
  { id: 'distributions', label: 'Distributions', plugin: 'histograms', make: distributionsView },
  { id: 'text', label: 'Text', plugin: 'text', make: textView },
  { id: 'pr_curves', label: 'PR curves', plugin: 'pr_curves', make: (c) => new PrCurvesView(c) },
  { id: 'hparams', label: 'HParams', plugin: 'hparams', make: (c) => new HParamsView(c), noTagFilter: true },
  {
    id: 'graphs',
    label: 'Graphs',
    plugin: 'graphs',
    make: graphsView,
    has: (r) => r.graph || GRAPH_PLUGINS.some((p) => (r.plugins[p]?.length ?? 0) > 0),
    ownControls: true,
  },
  // Shown when the server lists projector runs (embeddings are files beside the events, not tags).
  {
    id: 'projector',
    label: 'Projector',
    plugin: 'projector',
    make: projectorView,
    has: () => false,
    ownControls: true,
  },
];

/** The page: tabs for the kinds of data present, the run list, settings in the URL, live updates. */
class App implements AppContext {
  state: ViewState = readState(location.hash);
  runs: RunJson[] = [];
  /** Runs with embeddings (TensorBoard's projector plugin). */
  private projectorRuns: string[] = [];
  visibility = new Visibility();
  private view: View | undefined;
  private runsSignature = '';
  private readonly tabsEl = document.querySelector<HTMLElement>('.tabs')!;
  private readonly side = document.querySelector<HTMLElement>('.side')!;
  private readonly content = document.querySelector<HTMLElement>('.content')!;
  private readonly liveDot = document.querySelector<HTMLElement>('.live')!;
  private readonly toast = el('div', { class: 'toast', role: 'status', hidden: true });
  private readonly tagFilter = el('input', {
    type: 'search',
    class: 'tag-filter',
    placeholder: 'Filter tags (regex)   /',
    'aria-label': 'Filter tags',
  });
  private readonly toolbar = el('div', { class: 'toolbar' }, this.tagFilter);
  private readonly viewHost = el('div', { class: 'view-host' });
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  async start(): Promise<void> {
    this.tagFilter.value = this.state.tagFilter;
    this.tagFilter.addEventListener('input', () => {
      this.state.tagFilter = this.tagFilter.value;
      this.tagFilter.classList.toggle('invalid', userRegex(this.tagFilter.value) === null);
      this.saveState();
      this.view?.update('tags');
    });
    this.content.append(this.toolbar, this.viewHost);
    document.body.append(this.toast);
    document.addEventListener('keydown', (e) => {
      if (e.key === '/' && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement)) {
        e.preventDefault();
        this.tagFilter.focus();
      }
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.view?.update('theme'));
    window.addEventListener('hashchange', () => {
      if (location.hash.replace(/^#/, '') === writeState(this.state)) return;
      this.state = readState(location.hash);
      this.tagFilter.value = this.state.tagFilter;
      this.render();
    });
    await this.refreshRuns();
    this.render();
    this.connect();
    (window as unknown as { __featherboard: unknown }).__featherboard = {
      ready: true,
      tab: () => this.state.tab,
      debug: () => (this.view as { debug?: () => unknown } | undefined)?.debug?.(),
    };
  }

  // --- AppContext ---

  listedRuns(plugin: string): string[] {
    const re = userRegex(this.state.runFilter);
    return this.runs.filter((r) => (r.plugins[plugin]?.length ?? 0) > 0 && (!re || re.test(r.name))).map((r) => r.name);
  }

  shownRuns(plugin: string): string[] {
    return this.listedRuns(plugin).filter((r) => !this.state.hidden.has(r));
  }

  tags(plugin: string, runs: string[]): string[] {
    const re = userRegex(this.state.tagFilter);
    const set = new Set(runs);
    const out = new Set<string>();
    for (const r of this.runs)
      if (set.has(r.name)) for (const t of r.plugins[plugin] ?? []) if (!re || re.test(t.tag)) out.add(t.tag);
    return [...out].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  }

  reportError(where: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    console.warn(`featherboard: ${where}: ${message}`);
    this.toast.textContent = `${where}: ${message}`;
    this.toast.hidden = false;
    setTimeout(() => (this.toast.hidden = true), 5000);
  }

  // --- shell ---

  private availableTabs(): TabDef[] {
    return TABS.filter(
      (t) =>
        (t.id === 'projector' && this.projectorRuns.length > 0) ||
        this.runs.some((r) => (t.has ? t.has(r) : (r.plugins[t.plugin]?.length ?? 0) > 0)),
    );
  }

  private saveState(): void {
    const hash = writeState(this.state);
    history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
  }

  /** Re-read the run list; returns true when runs or tags changed. */
  private async refreshRuns(): Promise<boolean> {
    [this.runs, this.projectorRuns] = await Promise.all([
      fetchRuns(),
      getJson<ProjectorRunsResponse>('data/plugin/projector/runs').catch(() => []),
    ]);
    const sig = JSON.stringify([
      this.projectorRuns,
      this.runs.map((r) => [r.name, Object.entries(r.plugins).map(([p, ts]) => [p, ts.map((t) => t.tag)])]),
    ]);
    const changed = sig !== this.runsSignature;
    this.runsSignature = sig;
    return changed;
  }

  /** Runs or tags appeared or vanished while the page is open. */
  private scheduleRefresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          if (await this.refreshRuns()) {
            const before = this.state.tab;
            this.renderTabs();
            if (before !== this.state.tab || !this.view) this.renderView();
            else this.view.update('tags');
            this.renderSide();
          }
        } catch (err) {
          this.reportError('runs', err);
        }
      } while (this.refreshAgain);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private connect(): void {
    const source = new EventSource('api/events');
    source.addEventListener('open', () => this.liveDot.classList.add('on'));
    source.addEventListener('error', () => this.liveDot.classList.remove('on'));
    source.addEventListener('run-added', () => void this.scheduleRefresh());
    source.addEventListener('run-removed', () => void this.scheduleRefresh());
    source.addEventListener('data', (e) => {
      const { run, tags } = JSON.parse((e as MessageEvent<string>).data) as EventStreamData['data'];
      const known = this.runs.find((r) => r.name === run);
      const knownTags = new Set(Object.values(known?.plugins ?? {}).flatMap((ts) => ts.map((t) => t.tag)));
      if (!known || tags.some((t) => !knownTags.has(t)))
        void this.scheduleRefresh().then(() => this.view?.onData(run, tags));
      else this.view?.onData(run, tags);
    });
  }

  private render(): void {
    this.renderTabs();
    this.renderView();
    this.renderSide();
  }

  private renderTabs(): void {
    const tabs = this.availableTabs();
    if (!tabs.some((t) => t.id === this.state.tab)) this.state.tab = tabs[0]?.id ?? '';
    clear(this.tabsEl);
    for (const t of tabs) {
      const selected = t.id === this.state.tab;
      const b = el('button', {
        role: 'tab',
        class: 'tab',
        'aria-selected': String(selected),
        tabindex: selected ? 0 : -1,
        'data-tab': t.id,
        text: t.label,
      });
      b.addEventListener('click', () => this.selectTab(t.id));
      b.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
        const i = tabs.indexOf(t) + (e.key === 'ArrowRight' ? 1 : -1);
        const next = tabs[(i + tabs.length) % tabs.length]!;
        this.selectTab(next.id);
        this.tabsEl.querySelector<HTMLElement>(`[data-tab="${next.id}"]`)?.focus();
      });
      this.tabsEl.append(b);
    }
  }

  private selectTab(id: string): void {
    if (id === this.state.tab) return;
    this.state.tab = id;
    this.saveState();
    this.render();
  }

  private renderView(): void {
    this.view?.dispose();
    this.visibility.dispose();
    this.visibility = new Visibility();
    clear(this.viewHost);
    const tab = TABS.find((t) => t.id === this.state.tab);
    if (!tab) {
      this.viewHost.append(
        el(
          'div',
          { class: 'empty-note' },
          el('h2', { text: 'No data yet' }),
          el('p', {
            text:
              'No event files with data were found in the logdir. ' +
              'This page updates by itself as soon as a run writes some.',
          }),
        ),
      );
      this.view = undefined;
      return;
    }
    this.toolbar.hidden = tab.ownControls === true || tab.noTagFilter === true;
    this.view = tab.make(this);
    this.viewHost.append(this.view.root);
    this.saveState();
  }

  private changed(change: Change): void {
    this.saveState();
    this.view?.update(change);
  }

  private renderSide(): void {
    clear(this.side);
    const tab = TABS.find((t) => t.id === this.state.tab);
    this.side.hidden = tab === undefined || tab.ownControls === true;
    if (!tab || tab.ownControls) return;
    this.side.append(...this.settings(tab.id));
    const filter = el('input', {
      type: 'search',
      placeholder: 'Filter runs (regex)',
      'aria-label': 'Filter runs',
      value: this.state.runFilter,
    });
    const list = el('ul', { class: 'run-list' });
    const all = el('button', { class: 'ghost', text: 'All' });
    const none = el('button', { class: 'ghost', text: 'None' });
    const fill = (): void => {
      clear(list);
      filter.classList.toggle('invalid', userRegex(filter.value) === null);
      for (const run of this.listedRuns(tab.plugin)) {
        const box = el('input', { type: 'checkbox', checked: !this.state.hidden.has(run), 'data-run': run });
        box.addEventListener('change', () => {
          if (box.checked) this.state.hidden.delete(run);
          else this.state.hidden.add(run);
          this.changed('runs');
        });
        list.append(
          el(
            'li',
            {},
            el(
              'label',
              { title: run },
              box,
              el('span', { class: 'swatch', style: `background:${runColor(run)}` }),
              el('span', { class: 'run-name', text: run }),
            ),
          ),
        );
      }
    };
    filter.addEventListener('input', () => {
      this.state.runFilter = filter.value;
      fill();
      this.changed('runs');
    });
    const setAll = (hide: boolean): void => {
      for (const r of this.listedRuns(tab.plugin)) hide ? this.state.hidden.add(r) : this.state.hidden.delete(r);
      fill();
      this.changed('runs');
    };
    all.addEventListener('click', () => setAll(false));
    none.addEventListener('click', () => setAll(true));
    fill();
    this.side.append(el('section', { class: 'runs' }, el('h2', {}, 'Runs ', all, none), filter, list));
  }

  private settings(tab: string): HTMLElement[] {
    const out: HTMLElement[] = [];
    if (tab === 'scalars') {
      const slider = el('input', {
        type: 'range',
        min: 0,
        max: 0.999,
        step: 0.001,
        value: this.state.smoothing,
        'aria-label': 'Smoothing',
        class: 'smoothing',
      });
      const value = el('input', {
        type: 'number',
        min: 0,
        max: 0.999,
        step: 0.01,
        value: this.state.smoothing,
        'aria-label': 'Smoothing value',
        class: 'smoothing-value',
      });
      const set = (v: number): void => {
        if (!Number.isFinite(v)) return;
        this.state.smoothing = Math.min(0.999, Math.max(0, v));
        slider.value = String(this.state.smoothing);
        value.value = String(this.state.smoothing);
        this.changed('smoothing');
      };
      slider.addEventListener('input', () => set(Number(slider.value)));
      value.addEventListener('change', () => set(Number(value.value)));
      const axis = el(
        'select',
        { 'aria-label': 'Horizontal axis' },
        ...(['step', 'relative', 'wall'] as const).map((x) =>
          el('option', {
            value: x,
            text: x === 'wall' ? 'Wall time' : x === 'relative' ? 'Relative time' : 'Step',
            selected: this.state.xAxis === x,
          }),
        ),
      );
      axis.addEventListener('change', () => {
        this.state.xAxis = axis.value as ViewState['xAxis'];
        this.changed('axis');
      });
      const log = el('input', { type: 'checkbox', checked: this.state.logY });
      log.addEventListener('change', () => {
        this.state.logY = log.checked;
        this.changed('axis');
      });
      out.push(
        el(
          'section',
          { class: 'settings' },
          el('h2', { text: 'Scalars' }),
          el('label', { class: 'row' }, 'Smoothing', value),
          slider,
          el('label', { class: 'row' }, 'X axis', axis),
          el('label', { class: 'row' }, 'Log scale Y', log),
          el('p', {
            class: 'hint',
            text:
              'Drag on a chart to zoom in (every point is fetched); shift+drag or middle-drag pans, ' +
              'ctrl+wheel zooms at the cursor; double-click resets.',
          }),
        ),
      );
    } else if (tab === 'images') {
      const actual = el('input', { type: 'checkbox', checked: this.state.actualSize });
      actual.addEventListener('change', () => {
        this.state.actualSize = actual.checked;
        this.changed('mode');
      });
      out.push(
        el(
          'section',
          { class: 'settings' },
          el('h2', { text: 'Images' }),
          el('label', { class: 'row' }, 'Actual size', actual),
        ),
      );
    } else if (tab === 'histograms') {
      const mode = el(
        'select',
        { 'aria-label': 'Histogram mode' },
        el('option', { value: 'offset', text: 'Offset', selected: this.state.histMode === 'offset' }),
        el('option', { value: 'overlay', text: 'Overlay', selected: this.state.histMode === 'overlay' }),
      );
      mode.addEventListener('change', () => {
        this.state.histMode = mode.value === 'overlay' ? 'overlay' : 'offset';
        this.changed('mode');
      });
      out.push(
        el(
          'section',
          { class: 'settings' },
          el('h2', { text: 'Histograms' }),
          el('label', { class: 'row' }, 'Mode', mode),
        ),
      );
    }
    return out;
  }
}

void new App().start().catch((err: unknown) => {
  const main = document.querySelector('.content');
  if (main) main.textContent = `featherboard could not start: ${err instanceof Error ? err.message : String(err)}`;
});
