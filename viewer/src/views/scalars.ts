import type { AppContext, Change, View } from '../context';
import { clear, el } from '../dom';
import { groupByPrefix } from './grouping';
import { ScalarChart } from './scalar-chart';

const PLUGIN = 'scalars';

/** Every scalar tag as a chart, grouped by prefix; charts draw when scrolled into view. */
export class ScalarsView implements View {
  readonly root = el('div', { class: 'view scalars-view' });
  private charts = new Map<string, ScalarChart>();

  constructor(private readonly ctx: AppContext) {
    this.layout();
  }

  private description(tag: string): string {
    for (const r of this.ctx.runs) {
      const t = r.plugins[PLUGIN]?.find((x) => x.tag === tag);
      if (t?.description) return t.description;
    }
    return '';
  }

  private runsWithTag(tag: string): string[] {
    const has = new Set(this.ctx.runs.filter((r) => r.plugins[PLUGIN]?.some((t) => t.tag === tag)).map((r) => r.name));
    return this.ctx.shownRuns(PLUGIN).filter((r) => has.has(r));
  }

  private layout(): void {
    for (const c of this.charts.values()) c.dispose();
    this.charts.clear();
    clear(this.root);
    const tags = this.ctx.tags(PLUGIN, this.ctx.listedRuns(PLUGIN));
    if (tags.length === 0) {
      this.root.append(el('p', { class: 'empty-note', text: 'No scalar tags match.' }));
      return;
    }
    for (const [group, members] of groupByPrefix(tags)) {
      const grid = el('div', { class: 'grid' });
      const details = el(
        'details',
        { class: 'group', open: true },
        el(
          'summary',
          {},
          el('span', { text: group || 'top level' }),
          el('span', { class: 'count', text: String(members.length) }),
        ),
        grid,
      );
      for (const tag of members) {
        const chart = new ScalarChart(tag, this.ctx, this.description(tag));
        chart.setRuns(this.runsWithTag(tag));
        this.charts.set(tag, chart);
        grid.append(chart.card);
      }
      this.root.append(details);
    }
  }

  update(change: Change): void {
    switch (change) {
      case 'tags':
        this.layout();
        break;
      case 'runs': {
        const listed = this.ctx.tags(PLUGIN, this.ctx.listedRuns(PLUGIN));
        if (listed.join('\n') !== [...this.charts.keys()].join('\n')) this.layout();
        else for (const [tag, c] of this.charts) c.setRuns(this.runsWithTag(tag));
        break;
      }
      case 'smoothing':
        for (const c of this.charts.values()) c.resmooth();
        break;
      case 'axis':
      case 'theme':
        for (const c of this.charts.values()) c.redraw(true);
        break;
      default:
        break;
    }
  }

  onData(run: string, tags: string[]): void {
    for (const t of tags) this.charts.get(t)?.onData(run);
  }

  debug(): unknown[] {
    return [...this.charts.values()].map((c) => c.debug()).filter((d) => d !== undefined);
  }

  dispose(): void {
    for (const c of this.charts.values()) c.dispose();
    this.charts.clear();
  }
}
