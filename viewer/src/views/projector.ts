import type { ProjectorRunsResponse } from '../../../src/common/responses/tensorboard';
import { getJson, HttpError, query } from '../api';
import { cssVar } from '../colors';
import type { AppContext, View } from '../context';
import { clear, el } from '../dom';
import { context2d, drawAxes, frame } from './canvas';
import { pca2d } from './pca';

/** Most rows fetched and drawn (TensorBoard's projector samples large embeddings too). */
const MAX_POINTS = 10000;
const W = 720;
const H = 520;

interface EmbeddingRef {
  run: string;
  name: string;
  shape: [number, number] | undefined;
  hasMetadata: boolean;
}

interface Drawn {
  run: string;
  name: string;
  labels: string[];
  xs: number[];
  ys: number[];
  /** Canvas (CSS pixel) positions of the points, for hover and tests. */
  px: [number, number][];
}

/** TensorBoard's projector data: runs, then each run's config. */
export async function fetchEmbeddings(): Promise<EmbeddingRef[]> {
  const runs = await getJson<ProjectorRunsResponse>('data/plugin/projector/runs');
  const out: EmbeddingRef[] = [];
  for (const run of runs) {
    const info = await getJson<{
      embeddings?: { tensorName?: string; tensorShape?: number[]; metadataPath?: string; tensorPath?: string }[];
    }>(`data/plugin/projector/info?${query([['run', run]])}`);
    for (const e of info.embeddings ?? []) {
      if (!e.tensorPath) continue; // checkpoint tensors are not served
      const s = e.tensorShape;
      out.push({
        run,
        name: e.tensorName ?? '',
        shape: s?.length === 2 ? [s[0]!, s[1]!] : undefined,
        hasMetadata: !!e.metadataPath,
      });
    }
  }
  return out;
}

async function getBytes(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new HttpError(res.status, body.error ?? `${res.status} ${res.statusText}`);
  }
  return res.arrayBuffer();
}

/** Labels from metadata.tsv: its first column (after a header row, when there are several columns). */
export function metadataLabels(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length > 0 && lines[0]!.includes('\t')) lines.shift();
  return lines.map((l) => l.split('\t')[0] ?? '');
}

/** A 2-D PCA scatter of one embedding; hovering a point shows its metadata label. */
export class ProjectorView implements View {
  readonly root = el('div', { class: 'projector-view' });
  private readonly picker = el('select', { 'aria-label': 'Embedding' });
  private readonly note = el('p', { class: 'hint' });
  private readonly canvas = el('canvas', { class: 'projector-canvas' });
  private readonly tip = el('div', { class: 'projector-tip', role: 'tooltip', hidden: true });
  private embeddings: EmbeddingRef[] = [];
  private drawn: Drawn | undefined;
  private disposed = false;

  constructor(private readonly ctx: AppContext) {
    this.root.append(
      el('div', { class: 'toolbar' }, el('label', { class: 'row' }, 'Embedding ', this.picker)),
      this.note,
      el('div', { class: 'projector-plot' }, this.canvas, this.tip),
    );
    this.picker.addEventListener('change', () => void this.show(Number(this.picker.value)));
    this.canvas.addEventListener('mousemove', (e) => this.hover(e.offsetX, e.offsetY));
    this.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.embeddings = await fetchEmbeddings();
    } catch (err) {
      this.ctx.reportError('projector', err);
      return;
    }
    clear(this.picker);
    this.embeddings.forEach((e, i) => {
      this.picker.append(
        el('option', { value: i, text: `${e.run} / ${e.name}${e.shape ? ` (${e.shape[0]}×${e.shape[1]})` : ''}` }),
      );
    });
    if (this.embeddings.length > 0) await this.show(0);
    else this.note.textContent = 'No embeddings with a tensor file.';
  }

  private async show(index: number): Promise<void> {
    const e = this.embeddings[index];
    if (!e) return;
    try {
      const ref: [string, string][] = [
        ['run', e.run],
        ['name', e.name],
      ];
      const bytes = await getBytes(`data/plugin/projector/tensor?${query([...ref, ['num_rows', MAX_POINTS]])}`);
      const labelsText = e.hasMetadata
        ? await fetch(`data/plugin/projector/metadata?${query([...ref, ['num_rows', MAX_POINTS]])}`).then((r) =>
            r.ok ? r.text() : '',
          )
        : '';
      if (this.disposed) return;
      const data = new Float32Array(bytes);
      const d = e.shape?.[1] ?? 1;
      const n = Math.floor(data.length / d);
      const { xs, ys } = pca2d(data, n, d);
      const labels = metadataLabels(labelsText);
      this.drawn = {
        run: e.run,
        name: e.name,
        labels: Array.from({ length: n }, (_, i) => labels[i] ?? String(i)),
        xs: [...xs],
        ys: [...ys],
        px: [],
      };
      const cut = e.shape && e.shape[0] > n ? ` (first ${n} of ${e.shape[0]} rows)` : '';
      const shown = `${n} points, ${d} dimensions, first two principal components${cut}`;
      this.note.textContent = `${shown}. Hover a point for its label.`;
      this.draw();
    } catch (err) {
      this.ctx.reportError('projector', err);
    }
  }

  private draw(): void {
    const p = this.drawn;
    if (!p) return;
    const g = context2d(this.canvas, W, H);
    const range = (v: number[]): [number, number] => {
      const lo = Math.min(...v);
      const hi = Math.max(...v);
      const pad = (hi - lo) * 0.05 || 1;
      return [lo - pad, hi + pad];
    };
    const xr = range(p.xs);
    const yr = range(p.ys);
    const f = frame(W, H, xr, yr);
    drawAxes(g, f, xr, yr);
    g.fillStyle = cssVar('--accent');
    p.px = p.xs.map((x, i) => [f.x(x), f.y(p.ys[i]!)]);
    for (const [x, y] of p.px) {
      g.beginPath();
      g.arc(x, y, 3.5, 0, Math.PI * 2);
      g.fill();
    }
  }

  private hover(x: number, y: number): void {
    const p = this.drawn;
    if (!p) return;
    let best = -1;
    let bestD = 8 * 8;
    p.px.forEach(([px, py], i) => {
      const dd = (px - x) ** 2 + (py - y) ** 2;
      if (dd <= bestD) [best, bestD] = [i, dd];
    });
    if (best < 0) {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = p.labels[best] ?? '';
    this.tip.style.left = `${p.px[best]![0] + 10}px`;
    this.tip.style.top = `${p.px[best]![1] - 10}px`;
    this.tip.hidden = false;
  }

  /** For tests: what is drawn. */
  debug(): Drawn | undefined {
    return this.drawn;
  }

  update(): void {
    this.draw(); // theme changes recolour
  }

  onData(): void {
    // Embeddings are files beside the events, not events: nothing streams in.
  }

  dispose(): void {
    this.disposed = true;
  }
}

export function projectorView(ctx: AppContext): ProjectorView {
  return new ProjectorView(ctx);
}
