import type { HParamsResponse } from '../../../src/common/responses/viewer-api';
import { getJson, num } from '../api';
import { runColor } from '../colors';
import type { AppContext, Change, View } from '../context';
import { clear, el, formatNumber, userRegex } from '../dom';

type Cell = string | number | boolean | null;

/** Sessions with their hyperparameters and final metrics: click a header to sort, type to filter. */
export class HParamsView implements View {
  readonly root = el('div', { class: 'view hparams-view' });
  private answer: HParamsResponse | undefined;
  private sortKey = 'run';
  private sortDir = 1;
  private readonly filter = el('input', {
    type: 'search',
    placeholder: 'Filter sessions (regex over any cell)',
    'aria-label': 'Filter sessions',
  });
  private readonly table = el('table', { class: 'hparams' });
  private reloadTimer: number | undefined;

  constructor(private readonly ctx: AppContext) {
    this.root.append(el('div', { class: 'toolbar' }, this.filter), el('div', { class: 'table-wrap card' }, this.table));
    this.filter.addEventListener('input', () => this.render());
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.answer = await getJson<HParamsResponse>('api/hparams');
      this.render();
    } catch (err) {
      this.ctx.reportError('hparams', err);
    }
  }

  private columns(): {
    key: string;
    label: string;
    get: (s: HParamsResponse['sessions'][number]) => Cell;
    metric: boolean;
  }[] {
    const a = this.answer!;
    return [
      { key: 'run', label: 'Session', get: (s) => s.run, metric: false },
      ...a.hparams.map((h) => ({
        key: `h:${h}`,
        label: h,
        get: (s: HParamsResponse['sessions'][number]) => (s.hparams[h] ?? null) as Cell,
        metric: false,
      })),
      ...a.metrics.map((m) => ({
        key: `m:${m.key}`,
        label: m.name,
        get: (s: HParamsResponse['sessions'][number]) => s.metrics[m.key] ?? null,
        metric: true,
      })),
    ];
  }

  private render(): void {
    if (!this.answer) return;
    const cols = this.columns();
    const re = userRegex(this.filter.value);
    this.filter.classList.toggle('invalid', re === null);
    const shown = new Set(this.ctx.listedRuns('hparams').concat(this.ctx.listedRuns('scalars')));
    const show = (c: Cell, metric: boolean): string =>
      c === null ? '' : metric || typeof c === 'number' ? formatNumber(num(c as number | string)) : String(c);
    let rows = this.answer.sessions.filter((s) => shown.has(s.run) || this.ctx.runs.every((r) => r.name !== s.run));
    if (re) rows = rows.filter((s) => cols.some((c) => re.test(show(c.get(s), c.metric))));
    const col = cols.find((c) => c.key === this.sortKey) ?? cols[0]!;
    rows.sort((a, b) => {
      const x = col.get(a);
      const y = col.get(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      const nx = typeof x === 'number' || col.metric ? num(x as number | string) : NaN;
      const ny = typeof y === 'number' || col.metric ? num(y as number | string) : NaN;
      const cmp =
        Number.isFinite(nx) && Number.isFinite(ny)
          ? nx - ny
          : String(x).localeCompare(String(y), undefined, { numeric: true });
      return cmp * this.sortDir;
    });
    clear(this.table);
    const head = el(
      'tr',
      {},
      ...cols.map((c) => {
        const arrow = c.key === this.sortKey ? (this.sortDir > 0 ? ' ▲' : ' ▼') : '';
        const btn = el('button', {
          class: 'sort',
          text: c.label + arrow,
          'aria-sort': c.key === this.sortKey ? (this.sortDir > 0 ? 'ascending' : 'descending') : undefined,
        });
        btn.addEventListener('click', () => {
          this.sortDir = this.sortKey === c.key ? -this.sortDir : 1;
          this.sortKey = c.key;
          this.render();
        });
        return el('th', { class: c.metric ? 'metric' : '' }, btn);
      }),
    );
    const body = rows.map((s) =>
      el(
        'tr',
        {},
        ...cols.map((c, k) =>
          k === 0
            ? el('td', {}, el('span', { class: 'swatch', style: `background:${runColor(s.run)}` }), ` ${s.run}`)
            : el('td', {
                class: c.metric || typeof c.get(s) === 'number' ? 'num' : '',
                text: show(c.get(s), c.metric),
              }),
        ),
      ),
    );
    this.table.append(el('thead', {}, head), el('tbody', {}, ...body));
    if (rows.length === 0) this.table.append(el('caption', { text: 'No sessions match.' }));
  }

  update(change: Change): void {
    if (change === 'runs' || change === 'tags') this.render();
  }

  onData(): void {
    // Metrics move with every flush: re-read at most every two seconds.
    if (this.reloadTimer !== undefined) return;
    this.reloadTimer = window.setTimeout(() => {
      this.reloadTimer = undefined;
      void this.load();
    }, 2000);
  }

  dispose(): void {
    if (this.reloadTimer !== undefined) clearTimeout(this.reloadTimer);
  }
}
