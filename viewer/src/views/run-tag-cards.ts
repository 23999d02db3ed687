import type { AppContext, Change, View } from '../context';
import { runColor } from '../colors';
import { clear, el } from '../dom';
import { groupByPrefix } from './grouping';

/** One card of a per-(run, tag) view. */
export interface RunTagCard {
  readonly root: HTMLElement;
  /** First time on screen: fetch and draw. */
  load(): Promise<void>;
  /** Settings like size or mode changed. */
  update?(change: Change): void;
  dispose?(): void;
  /** For tests: what the card shows. */
  debug?(): unknown;
}

/**
 * The layout shared by images, audio, histograms, distributions and text:
 * tags grouped by prefix, one card per run and tag, each loaded when it
 * scrolls into view and re-read when live data for it arrives.
 */
export class RunTagCardsView implements View {
  readonly root: HTMLElement;
  private cards = new Map<string, { card: RunTagCard; loaded: boolean; visible: boolean; stale: boolean }>();

  constructor(
    protected readonly ctx: AppContext,
    private readonly plugin: string,
    private readonly make: (run: string, tag: string) => RunTagCard,
    className: string,
  ) {
    this.root = el('div', { class: `view ${className}` });
    this.layout();
  }

  private key(run: string, tag: string): string {
    return JSON.stringify([run, tag]);
  }

  private layout(): void {
    this.disposeCards();
    clear(this.root);
    const runs = this.ctx.shownRuns(this.plugin);
    const tags = this.ctx.tags(this.plugin, runs);
    if (tags.length === 0) {
      this.root.append(el('p', { class: 'empty-note', text: 'Nothing matches the run and tag filters.' }));
      return;
    }
    for (const [group, members] of groupByPrefix(tags)) {
      const grid = el('div', { class: 'grid' });
      this.root.append(
        el(
          'details',
          { class: 'group', open: true },
          el(
            'summary',
            {},
            el('span', { text: group || 'top level' }),
            el('span', { class: 'count', text: String(members.length) }),
          ),
          grid,
        ),
      );
      for (const tag of members) {
        for (const run of runs) {
          if (!this.ctx.runs.find((r) => r.name === run)?.plugins[this.plugin]?.some((t) => t.tag === tag)) continue;
          const card = this.make(run, tag);
          const wrapper = el(
            'section',
            { class: 'card', 'data-run': run, 'data-tag': tag },
            el(
              'header',
              {},
              el('span', { class: 'swatch', style: `background:${runColor(run)}` }),
              el('h3', { text: tag }),
              el('span', { class: 'run-name', text: run }),
            ),
            card.root,
          );
          grid.append(wrapper);
          const entry = { card, loaded: false, visible: false, stale: false };
          this.cards.set(this.key(run, tag), entry);
          this.ctx.visibility.watch(wrapper, (v) => {
            entry.visible = v;
            if (v && (!entry.loaded || entry.stale)) {
              entry.loaded = true;
              entry.stale = false;
              card.load().catch((err: unknown) => this.ctx.reportError(`${this.plugin} ${run} ${tag}`, err));
            }
          });
        }
      }
    }
  }

  update(change: Change): void {
    if (change === 'runs' || change === 'tags') this.layout();
    else for (const e of this.cards.values()) e.card.update?.(change);
  }

  onData(run: string, tags: string[]): void {
    for (const tag of tags) {
      const e = this.cards.get(this.key(run, tag));
      if (!e?.loaded) continue;
      if (e.visible) e.card.load().catch((err: unknown) => this.ctx.reportError(`${this.plugin} ${run} ${tag}`, err));
      else e.stale = true;
    }
  }

  /** For tests: what the loaded cards show. */
  debug(): unknown[] {
    return [...this.cards.values()].filter((e) => e.loaded && e.card.debug).map((e) => e.card.debug!());
  }

  private disposeCards(): void {
    for (const e of this.cards.values()) e.card.dispose?.();
    this.cards.clear();
  }

  dispose(): void {
    this.disposeCards();
  }
}
