/** Tiny DOM helpers: create elements without innerHTML (no injection from names or tags). */
type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

export function clear(e: Element): void {
  while (e.firstChild) e.firstChild.remove();
}

/** Render callbacks once an element is (nearly) on screen; `onHide` when it leaves. */
export class Visibility {
  private readonly observer: IntersectionObserver;
  private readonly callbacks = new Map<Element, (visible: boolean) => void>();

  constructor() {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) this.callbacks.get(e.target)?.(e.isIntersecting);
      },
      { rootMargin: '300px 0px' },
    );
  }

  watch(target: Element, cb: (visible: boolean) => void): void {
    this.callbacks.set(target, cb);
    this.observer.observe(target);
  }

  dispose(): void {
    this.observer.disconnect();
    this.callbacks.clear();
  }
}

/** A regular expression from user input; undefined when empty, null when invalid. */
export function userRegex(source: string): RegExp | undefined | null {
  if (source === '') return undefined;
  try {
    return new RegExp(source, 'i');
  } catch {
    return null;
  }
}

export function download(filename: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(4);
  return Number(v.toPrecision(6)).toString();
}

export function formatTime(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString();
}

export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${seconds.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (s < 86400 * 2) return `${(seconds / 3600).toFixed(2)} h`;
  return `${(seconds / 86400).toFixed(2)} d`;
}
