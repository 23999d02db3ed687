import express, { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import type { Store } from '../store/store';
import { viewerApiRoutes } from './api';
import { coreRoutes } from './core-routes';
import { errorHandler, notFoundHandler } from './error-handler';
import { audioRoutes } from './plugins/audio';
import { customScalarsRoutes } from './plugins/custom-scalars';
import { distributionsRoutes } from './plugins/distributions';
import { graphsRoutes } from './plugins/graphs';
import { histogramsRoutes } from './plugins/histograms';
import { hparamsRoutes } from './plugins/hparams';
import { imagesRoutes } from './plugins/images';
import { meshRoutes } from './plugins/mesh';
import { prCurvesRoutes } from './plugins/pr-curves';
import { ProjectorRuns, projectorRoutes } from './plugins/projector';
import { scalarsRoutes } from './plugins/scalars';
import { textRoutes } from './plugins/text';
import { timeseriesRoutes } from './plugins/timeseries';
import type { ServerOptions } from './server-options';
import { defaultViewerDir, staticViewer } from './static-viewer';

/**
 * TensorBoard's experiment-scoped URLs (`/experiment/<id>/data/...`) answer
 * as the unscoped ones: a local logdir is one experiment.
 */
function stripExperimentPrefix(req: Request, _res: Response, next: NextFunction): void {
  const m = /^\/experiment\/[^/]+(\/.*)$/.exec(req.url);
  if (m?.[1] !== undefined) req.url = m[1];
  next();
}

/** Every route of the server, without a prefix. */
function routes(store: Store, options: ServerOptions): Router {
  const r = Router();
  r.use(stripExperimentPrefix);
  const projector = new ProjectorRuns(store, options.logdir);
  r.use(coreRoutes(store, options, async () => ((await projector.isActive()) ? ['projector'] : [])));
  const P = '/data/plugin';
  r.use(`${P}/scalars`, scalarsRoutes(store, options));
  r.use(`${P}/custom_scalars`, customScalarsRoutes(store, options));
  r.use(`${P}/histograms`, histogramsRoutes(store, options));
  r.use(`${P}/distributions`, distributionsRoutes(store, options));
  r.use(`${P}/images`, imagesRoutes(store, options));
  r.use(`${P}/audio`, audioRoutes(store, options));
  r.use(`${P}/text`, textRoutes(store, options));
  r.use(`${P}/pr_curves`, prCurvesRoutes(store, options));
  r.use(`${P}/hparams`, hparamsRoutes(store));
  r.use(`${P}/mesh`, meshRoutes(store));
  r.use(`${P}/timeseries`, timeseriesRoutes(store, options));
  r.use(`${P}/graphs`, graphsRoutes(store));
  r.use(`${P}/projector`, projectorRoutes(projector));
  r.use('/api', viewerApiRoutes(store));
  r.use(staticViewer(options.viewerDir ?? defaultViewerDir()));
  return r;
}

/**
 * The HTTP app for a store: TensorBoard's `/data/...` API, the viewer's
 * `/api/...`, and the viewer bundle. No side effects: it does not listen and
 * does not watch; the caller owns the store's updates.
 */
export function createApp(store: Store, options: ServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  const prefix = options.pathPrefix?.replace(/\/+$/, '') ?? '';
  app.use(prefix === '' ? '/' : prefix, routes(store, options));
  app.use(notFoundHandler);
  app.use(errorHandler(options.logError ?? ((m) => console.error(m))));
  return app;
}
