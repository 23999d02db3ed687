import uPlot from 'uplot';
import type { DistributionsResponse } from '../../../src/common/responses/tensorboard';
import { getJson, num, query } from '../api';
import { cssVar, runColor, withAlpha } from '../colors';
import type { AppContext, Change } from '../context';
import { singleXRange } from './canvas';
import { el, formatNumber } from '../dom';
import { RunTagCardsView, type RunTagCard } from './run-tag-cards';

/** The nine percentile lines (TensorBoard's normal-distribution basis points) as nested bands around the median. */
class DistributionCard implements RunTagCard {
  readonly root = el('div', { class: 'distribution' });
  private u: uPlot | undefined;
  private rows: DistributionsResponse = [];

  constructor(
    private readonly run: string,
    private readonly tag: string,
  ) {}

  async load(): Promise<void> {
    this.rows = await getJson<DistributionsResponse>(
      `data/plugin/distributions/distributions?${query([
        ['run', this.run],
        ['tag', this.tag],
      ])}`,
    );
    this.draw();
  }

  update(change: Change): void {
    if (change === 'theme') this.draw();
  }

  private draw(): void {
    this.u?.destroy();
    const steps = this.rows.map((r) => r[1]);
    const lines = Array.from({ length: 9 }, (_, k) => this.rows.map((r) => num(r[2][k]?.[1])));
    const color = runColor(this.run);
    const fg = cssVar('--muted');
    const grid = cssVar('--grid');
    const series: uPlot.Series[] = [{ label: 'step' }];
    // A single step has no area to fill: show the percentiles as dots instead.
    const single = steps.length === 1;
    lines.forEach((_, k) => {
      series.push({
        label: `p${k}`,
        stroke: k === 4 || single ? color : 'transparent',
        width: k === 4 ? 1.5 : 0,
        points: { show: single, size: 5, fill: color },
      });
    });
    const bands: uPlot.Band[] = [0, 1, 2, 3].map((k) => ({
      series: [9 - k, 1 + k] as [number, number],
      fill: withAlpha(color, 0.14 + 0.1 * k),
    }));
    this.u = new uPlot(
      {
        width: Math.max(240, this.root.clientWidth || 360),
        height: 230,
        legend: { show: false },
        series,
        bands,
        scales: { x: { time: false, range: singleXRange } },
        axes: [
          { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
          {
            stroke: fg,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid, width: 1 },
            size: 56,
            values: (_u, s) => s.map(formatNumber),
          },
        ],
        cursor: { drag: { x: true, y: false } },
      },
      [steps, ...lines],
      this.root,
    );
  }

  dispose(): void {
    this.u?.destroy();
  }
}

export function distributionsView(ctx: AppContext): RunTagCardsView {
  // Distributions are drawn from histogram series.
  return new RunTagCardsView(ctx, 'histograms', (run, tag) => new DistributionCard(run, tag), 'distributions-view');
}
