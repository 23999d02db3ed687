import type { Request, Response } from 'express';
import type { Store, StoreChange } from '../../store/store';

/** How often an idle stream sends a comment line, so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 15000;

function frame(change: StoreChange): string | undefined {
  switch (change.type) {
    case 'run-added':
    case 'run-removed':
      return `event: ${change.type}\ndata: ${JSON.stringify({ run: change.run })}\n\n`;
    case 'data':
      return `event: data\ndata: ${JSON.stringify({ run: change.run, tags: change.tags })}\n\n`;
    case 'warning': {
      const { code, message, file, offset } = change.warning;
      const data = { code, message, file: file ?? null, offset: offset ?? null };
      return `event: warning\ndata: ${JSON.stringify(data)}\n\n`;
    }
    default:
      return undefined;
  }
}

/**
 * GET /api/events — Server-Sent Events from Store.onChange. The listener and
 * the heartbeat timer go away as soon as the client disconnects.
 */
export function eventsHandler(store: Store, heartbeatMs = HEARTBEAT_MS) {
  return (req: Request, res: Response): void => {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n: connected\n\n');
    const unsubscribe = store.onChange((change) => {
      const text = frame(change);
      if (text !== undefined) res.write(text);
    });
    const timer = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    timer.unref();
    const cleanup = (): void => {
      clearInterval(timer);
      unsubscribe();
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  };
}
