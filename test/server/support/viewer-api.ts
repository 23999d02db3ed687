import express from 'express';
import * as path from 'node:path';
import { DATA_CLASS, type DecodedEvent } from '../../../src/events/types';
import { LogdirLoader } from '../../../src/logdir/logdir-loader';
import { errorHandler } from '../../../src/server/http/error-handler';
import { viewerApiRoutes } from '../../../src/server/routes/viewer-api';
import { Store } from '../../../src/store/store';
import { LOGDIRS } from '../../support/golden-form';

/** The viewer API alone, mounted as the server mounts it, with the server's error handler. */
export function apiApp(store: Store, heartbeatMs?: number): express.Express {
  const app = express();
  app.set('query parser', 'simple');
  app.use('/api', viewerApiRoutes(store, heartbeatMs === undefined ? {} : { heartbeatMs }));
  app.use(errorHandler(() => {}));
  return app;
}

export async function loadFixture(name: string): Promise<Store> {
  const store = new Store();
  const loader = new LogdirLoader(path.join(LOGDIRS, name), store);
  await loader.reload();
  loader.finish();
  return store;
}

/** A scalar summary event, as the decoder would produce it. */
export function scalarEvent(step: number, tag: string, value: number, wallTime = 1000 + step): DecodedEvent {
  return {
    kind: 'summary',
    step,
    wallTime,
    values: [
      {
        tag,
        metadata: {
          pluginName: 'scalars',
          pluginContent: new Uint8Array(0),
          displayName: '',
          description: '',
          dataClass: DATA_CLASS.SCALAR,
        },
        tensor: { kind: 'numeric', dtype: 1, shape: [], values: Float64Array.of(value) },
      },
    ],
  };
}
