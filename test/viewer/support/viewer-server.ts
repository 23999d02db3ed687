import { existsSync } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { LogdirLoader } from '../../../src/logdir/logdir-loader';
import { createApp } from '../../../src/server/create-app';
import { Store } from '../../../src/store/store';

export const VIEWER_DIST = path.resolve(__dirname, '..', '..', '..', 'viewer', 'dist');

/** Build the viewer bundle when it is missing (a fresh clone). */
export async function ensureViewerBuilt(): Promise<void> {
  if (existsSync(path.join(VIEWER_DIST, 'app.js')) && existsSync(path.join(VIEWER_DIST, 'index.html'))) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { build } = require('../../../viewer/build.js') as { build: () => Promise<unknown> };
  await build();
}

export interface ViewerServer {
  url: string;
  store: Store;
  loader: LogdirLoader;
  close(): Promise<void>;
}

/** The real app (createApp) over a logdir, on 127.0.0.1 and a free port. */
export async function startViewerServer(logdir: string, viewerDir = VIEWER_DIST): Promise<ViewerServer> {
  const store = new Store();
  const loader = new LogdirLoader(logdir, store);
  await loader.reload();
  const app = createApp(store, { logdir, viewerDir });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    store,
    loader,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
