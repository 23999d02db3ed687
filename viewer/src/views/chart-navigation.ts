import type uPlot from 'uplot';

/** An x window of a chart, in axis units. */
export interface XRange {
  xMin: number;
  xMax: number;
}

/** The window moved by a drag of `dx` CSS pixels over a plot `plotWidth` pixels wide (content follows the pointer). */
export function panRange(r: XRange, dx: number, plotWidth: number): XRange {
  const shift = (dx * (r.xMax - r.xMin)) / Math.max(1, plotWidth);
  return { xMin: r.xMin - shift, xMax: r.xMax - shift };
}

/** The window scaled by `factor` around `anchor`, which stays under the cursor (factor < 1 zooms in). */
export function zoomAround(r: XRange, anchor: number, factor: number): XRange {
  return { xMin: anchor - (anchor - r.xMin) * factor, xMax: anchor + (r.xMax - anchor) * factor };
}

/** How much one wheel notch (deltaY ≈ 100) zooms: about 1.2× per notch, like TensorBoard's charts. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(Math.max(-500, Math.min(500, deltaY)) * 0.0018);
}

/** A pan starts with shift + left drag or a middle-button drag. */
export function isPanStart(e: MouseEvent): boolean {
  return e.button === 1 || (e.button === 0 && e.shiftKey);
}

export interface NavigationHandlers {
  /** The x window right now (the chart's zoom, or the whole drawn range). */
  current(): XRange | undefined;
  /** Show this window now (from data already held). */
  preview(r: XRange): void;
  /** The window settled (or is moving): fetch its points. `final` is true at the end of a gesture. */
  commit(r: XRange, final: boolean): void;
}

/**
 * Pan (shift+drag, middle drag) and ctrl+wheel zoom on a uPlot chart, on top
 * of its own drag-to-zoom. Returns a `bind.mousedown` factory for uPlot's
 * cursor options and a function that wires the wheel once the plot exists.
 */
export class ChartNavigation {
  private wheelTimer: number | undefined;
  private panTimer: number | undefined;
  private detachPan: (() => void) | undefined;

  constructor(private readonly h: NavigationHandlers) {}

  /** uPlot `cursor.bind.mousedown`: pans are ours, everything else is uPlot's (left button only). */
  readonly mousedown: uPlot.Cursor.MouseListenerFactory = (u, targ, handler) => (e) => {
    if (isPanStart(e)) this.startPan(u, e);
    else if (e.button === 0 && e.target === targ) handler(e);
    return null;
  };

  private startPan(u: uPlot, down: MouseEvent): void {
    const start = this.h.current();
    if (start === undefined) return;
    this.detachPan?.();
    const width = u.over.clientWidth;
    let last = start;
    const move = (e: MouseEvent): void => {
      last = panRange(start, e.clientX - down.clientX, width);
      this.h.preview(last);
      // Fetch while dragging too (throttled), so the edge coming into view fills in.
      if (this.panTimer === undefined) {
        this.panTimer = window.setTimeout(() => {
          this.panTimer = undefined;
          this.h.commit(last, false);
        }, 150);
      }
    };
    const up = (e: MouseEvent): void => {
      detach();
      clearTimeout(this.panTimer);
      this.panTimer = undefined;
      if (e.clientX !== down.clientX) this.h.commit(panRange(start, e.clientX - down.clientX, width), true);
    };
    const detach = (): void => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      document.body.classList.remove('panning');
      this.detachPan = undefined;
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    document.body.classList.add('panning');
    this.detachPan = detach;
  }

  /** Wire what uPlot's own (passive) listeners cannot do; call once per plot. */
  attach(u: uPlot): void {
    // No middle-button autoscroll and no text selection when a pan starts.
    u.over.addEventListener('mousedown', (e) => {
      if (isPanStart(e)) e.preventDefault();
    });
    // Ctrl (or ⌘) + wheel zooms around the cursor; a plain wheel still scrolls the page.
    u.over.addEventListener(
      'wheel',
      (e: WheelEvent) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault(); // the browser would zoom the page
        const r = this.h.current();
        if (r === undefined) return;
        // The value under the cursor, from the window itself (uPlot's own scale lags a fast wheel).
        const anchor =
          r.xMin +
          ((e.clientX - u.over.getBoundingClientRect().left) / Math.max(1, u.over.clientWidth)) * (r.xMax - r.xMin);
        const next = zoomAround(r, anchor, wheelFactor(e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY));
        if (!(next.xMax > next.xMin)) return;
        this.h.preview(next);
        clearTimeout(this.wheelTimer);
        this.wheelTimer = window.setTimeout(() => {
          this.wheelTimer = undefined;
          this.h.commit(next, true);
        }, 150);
      },
      { passive: false },
    );
  }

  /** A gesture is under way or its read is not sent yet. */
  pending(): boolean {
    return this.detachPan !== undefined || this.wheelTimer !== undefined;
  }

  dispose(): void {
    this.detachPan?.();
    clearTimeout(this.wheelTimer);
    clearTimeout(this.panTimer);
  }
}
