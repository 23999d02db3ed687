/**
 * At most `limit` holders at once; the others wait in arrival order. Bounds
 * the ranged GETs in flight across every object read, so that reading many
 * runs at once neither opens hundreds of sockets nor buffers their bodies.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Resolves with a release function once a place is free; call it exactly once. */
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The place passes straight to the next waiter: `active` stays the same.
      if (next !== undefined) next();
      else this.active--;
    };
  }

  get inUse(): number {
    return this.active;
  }
}
