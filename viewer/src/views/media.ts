import type {
  AudioResponse,
  AudioStepJson,
  ImageStepJson,
  ImagesResponse,
} from '../../../src/common/responses/viewer-api';
import { getJson, query } from '../api';
import type { AppContext, Change } from '../context';
import { el } from '../dom';
import { RunTagCardsView, type RunTagCard } from './run-tag-cards';
import { StepSlider } from './step-slider';

function blobUrl(run: string, tag: string, index: number, sample: number, wallTime: number): string {
  // The wall time only keeps a browser cache from showing an older point that had the same index.
  return `api/blob?${query([
    ['run', run],
    ['tag', tag],
    ['index', index],
    ['sample', sample],
    ['t', wallTime],
  ])}`;
}

/** Every step of one image series, with a slider; fit to the card or actual size. */
class ImageCard implements RunTagCard {
  readonly root = el('div', { class: 'media' });
  private readonly frame = el('div', { class: 'image-frame' });
  private readonly samples = el('select', { 'aria-label': 'Sample', hidden: true });
  private readonly slider = new StepSlider(() => this.show());
  private steps: ImageStepJson[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly run: string,
    private readonly tag: string,
  ) {
    this.root.append(this.frame, el('div', { class: 'controls' }, this.slider.root, this.samples));
    this.samples.addEventListener('change', () => this.show());
    this.applySize();
  }

  async load(): Promise<void> {
    const res = await getJson<ImagesResponse>(
      `api/images?${query([
        ['run', this.run],
        ['tag', this.tag],
      ])}`,
    );
    this.steps = res.steps;
    this.slider.setSteps(this.steps);
    this.show();
  }

  private show(): void {
    const s = this.steps[this.slider.index];
    if (!s) return;
    const n = s.samples;
    if (this.samples.options.length !== n) {
      const keep = Math.min(Number(this.samples.value) || 0, n - 1);
      this.samples.replaceChildren(
        ...Array.from({ length: n }, (_, k) => el('option', { value: k, text: `sample ${k + 1}/${n}` })),
      );
      this.samples.value = String(Math.max(0, keep));
    }
    this.samples.hidden = n <= 1;
    const sample = Math.min(Number(this.samples.value) || 0, n - 1);
    const src = blobUrl(this.run, this.tag, s.index, Math.max(0, sample), s.wallTime);
    let img = this.frame.querySelector('img');
    if (!img) {
      img = el('img', { alt: `${this.tag} at step ${s.step}` });
      this.frame.append(img);
    }
    if (img.getAttribute('src') !== src) img.src = src;
    img.alt = `${this.tag} at step ${s.step}`;
    // Tiny images are shown as crisp pixels, larger ones smoothly.
    img.classList.toggle('tiny', s.width !== null && s.width <= 32);
  }

  private applySize(): void {
    this.frame.classList.toggle('actual', this.ctx.state.actualSize);
  }

  update(change: Change): void {
    if (change === 'mode') this.applySize();
  }
}

/** Every step of one audio series: a player per clip. */
class AudioCard implements RunTagCard {
  readonly root = el('div', { class: 'media' });
  private readonly players = el('div', { class: 'players' });
  private readonly slider = new StepSlider(() => this.show());
  private steps: AudioStepJson[] = [];

  constructor(
    private readonly run: string,
    private readonly tag: string,
  ) {
    this.root.append(this.players, el('div', { class: 'controls' }, this.slider.root));
  }

  async load(): Promise<void> {
    const res = await getJson<AudioResponse>(
      `api/audio?${query([
        ['run', this.run],
        ['tag', this.tag],
      ])}`,
    );
    this.steps = res.steps;
    this.slider.setSteps(this.steps);
    this.show();
  }

  private show(): void {
    const s = this.steps[this.slider.index];
    if (!s) return;
    this.players.replaceChildren(
      ...Array.from({ length: s.samples }, (_, k) =>
        el(
          'figure',
          {},
          el('audio', { controls: true, preload: 'none', src: blobUrl(this.run, this.tag, s.index, k, s.wallTime) }),
          el('figcaption', { text: s.labels[k] || `clip ${k + 1}` }),
        ),
      ),
    );
  }
}

export function imagesView(ctx: AppContext): RunTagCardsView {
  return new RunTagCardsView(ctx, 'images', (run, tag) => new ImageCard(ctx, run, tag), 'images-view');
}

export function audioView(ctx: AppContext): RunTagCardsView {
  return new RunTagCardsView(ctx, 'audio', (run, tag) => new AudioCard(run, tag), 'audio-view');
}
