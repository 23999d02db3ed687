import type { Request, Response } from 'express';
import type { EventStreamData } from '../../../common/responses/viewer-api';
import type { Store, StoreChange } from '../../../store/store';
import { type EventStream, openEventStream } from '../../http/send';

/** How often an idle stream sends a comment line, so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 15000;

function send<E extends keyof EventStreamData>(stream: EventStream, event: E, data: EventStreamData[E]): void {
  stream.send(event, data);
}

function forward(stream: EventStream, change: StoreChange): void {
  switch (change.type) {
    case 'run-added':
    case 'run-removed':
      send(stream, change.type, { run: change.run });
      return;
    case 'data':
      send(stream, 'data', { run: change.run, tags: change.tags });
      return;
    case 'warning': {
      const { code, message, file, offset } = change.warning;
      send(stream, 'warning', { code, message, file: file ?? null, offset: offset ?? null });
    }
  }
}

/**
 * GET /api/events — Server-Sent Events from Store.onChange. The listener and
 * the heartbeat timer go away as soon as the client disconnects.
 */
export function eventsHandler(store: Store, heartbeatMs = HEARTBEAT_MS) {
  return (req: Request, res: Response): void => {
    const stream = openEventStream(req, res, heartbeatMs);
    stream.onClose(store.onChange((change) => forward(stream, change)));
  };
}
