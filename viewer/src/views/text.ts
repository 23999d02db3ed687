import type { TextResponse } from '../../../src/common/responses/tensorboard';
import { getJson, query } from '../api';
import type { AppContext } from '../context';
import { el } from '../dom';
import { RunTagCardsView, type RunTagCard } from './run-tag-cards';
import { StepSlider } from './step-slider';

/** One text series, a step at a time. The HTML was sanitized by the server (TensorBoard's text route). */
class TextCard implements RunTagCard {
  readonly root = el('div', { class: 'text-card' });
  private readonly body = el('div', { class: 'markdown' });
  private readonly slider = new StepSlider(() => this.show());
  private points: TextResponse = [];

  constructor(
    private readonly run: string,
    private readonly tag: string,
  ) {
    this.root.append(this.body, el('div', { class: 'controls' }, this.slider.root));
  }

  async load(): Promise<void> {
    this.points = await getJson<TextResponse>(
      `data/plugin/text/text?${query([
        ['run', this.run],
        ['tag', this.tag],
      ])}`,
    );
    this.slider.setSteps(this.points.map((p) => ({ step: p.step, wallTime: p.wall_time })));
    this.show();
  }

  private show(): void {
    const p = this.points[this.slider.index];
    this.body.innerHTML = p ? p.text : '';
  }
}

export function textView(ctx: AppContext): RunTagCardsView {
  return new RunTagCardsView(ctx, 'text', (run, tag) => new TextCard(run, tag), 'text-view');
}
