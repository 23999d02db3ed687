import express, { type Express } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { errorHandler } from '../../src/server/http/error-handler';
import { graphsRoutes } from '../../src/server/routes/graphs/tensorboard';
import { Store } from '../../src/store/store';
import { FIXTURES, LOGDIRS } from '../support/golden-form';

/** One answer of TensorBoard's graphs plugin, recorded by fixtures/graph_golden.py. */
export interface GraphGolden {
  method: string;
  path: string;
  status: number;
  content_type: string;
  text?: string;
  json?: unknown;
}

const GOLDEN_DIR = path.join(FIXTURES, 'graph-golden');
export const GRAPH_LOGDIRS = path.join(GOLDEN_DIR, 'logdirs');

/**
 * Every logdir with recorded answers: the shared fixtures and the graph-only ones under fixtures/graph-golden/logdirs.
 */
export const GRAPH_GOLDEN_LOGDIRS = fs
  .readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'cases.json')
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

export function logdirPath(name: string): string {
  const extra = path.join(GRAPH_LOGDIRS, name);
  return fs.existsSync(extra) ? extra : path.join(LOGDIRS, name);
}

export function readGraphGolden(name: string): GraphGolden[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'graph-golden', `${name}.json`), 'utf8')) as GraphGolden[];
}

export async function loadLogdir(name: string): Promise<Store> {
  const store = new Store();
  const loader = new LogdirLoader(logdirPath(name), store);
  await loader.reload();
  loader.finish();
  return store;
}

/** The graphs routes alone, mounted where the server mounts them, with the server's error mapping. */
export function graphsApp(store: Store): Express {
  const app = express();
  app.set('query parser', 'simple');
  app.use('/data/plugin/graphs', graphsRoutes(store));
  app.use(errorHandler(() => {}));
  return app;
}
