import { el, formatTime } from '../dom';

/** A range input over every recorded step, with a label "step 40 · 3/12 · time". */
export class StepSlider {
  readonly root: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly label: HTMLElement;
  private steps: { step: number; wallTime: number }[] = [];
  /** True while the user has not moved away from the newest step (live data then follows). */
  private atEnd = true;

  constructor(private readonly onChange: (index: number) => void) {
    this.input = el('input', { type: 'range', min: 0, max: 0, value: 0, step: 1, 'aria-label': 'Step' });
    this.label = el('span', { class: 'step-label' });
    this.root = el('div', { class: 'step-slider' }, this.input, this.label);
    this.input.addEventListener('input', () => {
      this.atEnd = Number(this.input.value) === this.steps.length - 1;
      this.show();
      this.onChange(this.index);
    });
  }

  get index(): number {
    return Number(this.input.value);
  }

  /** New list of steps; stays on the newest step if the user was there. */
  setSteps(steps: { step: number; wallTime: number }[]): void {
    const prev = this.index;
    this.steps = steps;
    this.input.max = String(Math.max(0, steps.length - 1));
    this.input.value = String(this.atEnd ? steps.length - 1 : Math.min(prev, steps.length - 1));
    this.input.disabled = steps.length <= 1;
    this.show();
  }

  private show(): void {
    const s = this.steps[this.index];
    this.label.textContent = s ? `step ${s.step} · ${this.index + 1}/${this.steps.length}` : 'no data';
    this.label.title = s ? formatTime(s.wallTime) : '';
  }
}
