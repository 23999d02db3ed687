/** A run keeps its colour whatever the filter or the order: the colour comes from its name. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#17becf',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#76b7b2',
  '#8c6bb1',
  '#d37295',
  '#2ca02c',
  '#1f77b4',
  '#d62728',
  '#bcbd22',
];

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function runColor(run: string): string {
  return PALETTE[hash(run) % PALETTE.length] as string;
}

/** `#rrggbb` with an alpha, for faint raw lines. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0');
  return `${hex}${a}`;
}

/** A CSS custom property of the page (theme colours). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
