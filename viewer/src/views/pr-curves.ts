import type { PrCurvePointJson, PrCurvesResponse } from '../../../src/common/responses/viewer-api';
import { getJson, num, query } from '../api';
import { cssVar, runColor } from '../colors';
import type { AppContext, Change, View } from '../context';
import { clear, el, formatNumber } from '../dom';
import { context2d, drawAxes, frame } from './canvas';
import { StepSlider } from './step-slider';

const SIZE = 300;

/** One tag: precision against recall, a line per run, at the chosen step (the latest at or before it). */
class PrCurveCard {
  readonly root: HTMLElement;
  private readonly canvas = el('canvas');
  private readonly tip = el('div', { class: 'tooltip', hidden: true });
  private readonly slider = new StepSlider(() => this.draw());
  private data = new Map<string, PrCurvePointJson[]>();
  private steps: number[] = [];
  private f: ReturnType<typeof frame> | undefined;
  loaded = false;

  constructor(
    readonly tag: string,
    readonly runs: string[],
  ) {
    this.root = el(
      'section',
      { class: 'card', 'data-tag': tag },
      el('header', {}, el('h3', { text: tag })),
      el('div', { class: 'pr-plot' }, this.canvas, this.tip),
      el('div', { class: 'controls' }, this.slider.root),
    );
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
  }

  async load(): Promise<void> {
    await Promise.all(
      this.runs.map(async (run) => {
        const res = await getJson<PrCurvesResponse>(
          `api/pr_curves?${query([
            ['run', run],
            ['tag', this.tag],
          ])}`,
        );
        this.data.set(run, res.points);
      }),
    );
    this.steps = [...new Set([...this.data.values()].flatMap((ps) => ps.map((p) => p.step)))].sort((a, b) => a - b);
    this.slider.setSteps(this.steps.map((step) => ({ step, wallTime: 0 })));
    this.draw();
  }

  private pointFor(run: string): PrCurvePointJson | undefined {
    const step = this.steps[this.slider.index] ?? Infinity;
    const ps = this.data.get(run) ?? [];
    let best: PrCurvePointJson | undefined;
    for (const p of ps) if (p.step <= step && (!best || p.step >= best.step)) best = p;
    return best;
  }

  draw(): void {
    const w = Math.max(260, Math.min(480, this.root.clientWidth || SIZE));
    const g = context2d(this.canvas, w, SIZE);
    g.clearRect(0, 0, w, SIZE);
    this.f = frame(w, SIZE, [0, 1], [0, 1], { l: 40, r: 12, t: 10, b: 30 });
    drawAxes(g, this.f, [0, 1], [0, 1]);
    g.fillStyle = cssVar('--muted');
    g.textAlign = 'center';
    g.fillText('recall', (this.f.left + this.f.right) / 2, SIZE - 10);
    for (const run of this.runs) {
      const p = this.pointFor(run);
      if (!p) continue;
      g.strokeStyle = runColor(run);
      g.lineWidth = 1.6;
      g.beginPath();
      let started = false;
      p.recall.forEach((r, i) => {
        const x = this.f!.x(num(r));
        const y = this.f!.y(num(p.precision[i]));
        if (!Number.isFinite(x) || !Number.isFinite(y)) return;
        if (started) g.lineTo(x, y);
        else g.moveTo(x, y);
        started = true;
      });
      g.stroke();
    }
  }

  private hover(e: MouseEvent): void {
    if (!this.f) return;
    const box = this.canvas.getBoundingClientRect();
    const mx = e.clientX - box.left;
    const my = e.clientY - box.top;
    let best: { d: number; run: string; i: number; p: PrCurvePointJson } | undefined;
    for (const run of this.runs) {
      const p = this.pointFor(run);
      if (!p) continue;
      p.recall.forEach((r, i) => {
        const d = Math.hypot(this.f!.x(num(r)) - mx, this.f!.y(num(p.precision[i])) - my);
        if (Number.isFinite(d) && (!best || d < best.d)) best = { d, run, i, p };
      });
    }
    if (!best || best.d > 30) {
      this.tip.hidden = true;
      return;
    }
    const { run, i, p } = best;
    this.tip.replaceChildren(
      el('div', {}, el('span', { class: 'swatch', style: `background:${runColor(run)}` }), ` ${run} · step ${p.step}`),
      el('div', { text: `threshold ${formatNumber(p.thresholds[i] ?? NaN)}` }),
      el('div', { text: `precision ${formatNumber(num(p.precision[i]))} · recall ${formatNumber(num(p.recall[i]))}` }),
    );
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(mx + 14, box.width - 180)}px`;
    this.tip.style.top = `${my + 14}px`;
  }
}

/** PR curves: a card per tag with every shown run in it. */
export class PrCurvesView implements View {
  readonly root = el('div', { class: 'view pr-view' });
  private cards: PrCurveCard[] = [];

  constructor(private readonly ctx: AppContext) {
    this.layout();
  }

  private layout(): void {
    clear(this.root);
    this.cards = [];
    const runs = this.ctx.shownRuns('pr_curves');
    const grid = el('div', { class: 'grid' });
    for (const tag of this.ctx.tags('pr_curves', runs)) {
      const withTag = runs.filter((r) =>
        this.ctx.runs.find((x) => x.name === r)?.plugins.pr_curves?.some((t) => t.tag === tag),
      );
      const card = new PrCurveCard(tag, withTag);
      this.cards.push(card);
      grid.append(card.root);
      this.ctx.visibility.watch(card.root, (v) => {
        if (v && !card.loaded) {
          card.loaded = true;
          card.load().catch((err: unknown) => this.ctx.reportError(`pr curves ${tag}`, err));
        }
      });
    }
    this.root.append(
      this.cards.length ? grid : el('p', { class: 'empty-note', text: 'Nothing matches the run and tag filters.' }),
    );
  }

  update(change: Change): void {
    if (change === 'runs' || change === 'tags') this.layout();
    else if (change === 'theme') for (const c of this.cards) c.draw();
  }

  onData(run: string, tags: string[]): void {
    for (const c of this.cards)
      if (c.loaded && c.runs.includes(run) && tags.includes(c.tag))
        c.load().catch((err: unknown) => this.ctx.reportError(`pr curves ${c.tag}`, err));
  }

  dispose(): void {
    this.cards = [];
  }
}
