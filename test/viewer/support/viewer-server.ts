import { existsSync, readdirSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { LogdirLoader } from '../../../src/logdir/logdir-loader';
import { createApp } from '../../../src/server/create-app';
import { Store } from '../../../src/store/store';

export const VIEWER_DIST = path.resolve(__dirname, '..', '..', '..', 'viewer', 'dist');

/** Newest modification time of the files under a folder. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** The viewer's sources: its own, and the code it shares with the server. */
const VIEWER_SOURCES = [path.resolve(VIEWER_DIST, '..', 'src'), path.resolve(VIEWER_DIST, '..', '..', 'src', 'common')];

/** Build the viewer bundle when it is missing (a fresh clone) or older than its sources. */
export async function ensureViewerBuilt(): Promise<void> {
  const bundle = path.join(VIEWER_DIST, 'app.js');
  if (
    existsSync(bundle) &&
    existsSync(path.join(VIEWER_DIST, 'index.html')) &&
    statSync(bundle).mtimeMs >= Math.max(...VIEWER_SOURCES.map(newestMtime))
  )
    return;
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
