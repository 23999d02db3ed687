import express, { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import type { Store } from '../store/store';
import { errorHandler, routeNotFound } from './http/error-handler';
import { audioRoutes } from './routes/media/tensorboard-audio';
import { coreRoutes } from './routes/core/tensorboard';
import { customScalarsRoutes } from './routes/custom-scalars/tensorboard';
import { distributionsRoutes } from './routes/histograms/distributions';
import { graphsRoutes } from './routes/graphs/tensorboard';
import { histogramsRoutes } from './routes/histograms/tensorboard';
import { hparamsRoutes } from './routes/hparams/tensorboard';
import { imagesRoutes } from './routes/media/tensorboard-images';
import { meshRoutes } from './routes/mesh/tensorboard';
import { prCurvesRoutes } from './routes/pr-curves/tensorboard';
import { ProjectorRuns, projectorRoutes } from './routes/projector';
import { scalarsRoutes } from './routes/scalars/tensorboard';
import { textRoutes } from './routes/text/tensorboard';
import { timeseriesRoutes } from './routes/timeseries/tensorboard';
import { viewerApiRoutes } from './routes/viewer-api';
import type { ServerOptions } from './server-options';
import { missingViewerNote, staticViewer, viewerBuilt, viewerDirOf } from './static-viewer';

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
function routes(store: Store, options: ServerOptions, viewerDir: string): Router {
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
  r.use(staticViewer(viewerDir));
  return r;
}

/** What the app has to say when it starts serving (startServer logs it). */
export interface AppLocals {
  startupNotes: string[];
}

/**
 * The HTTP app for a store: TensorBoard's `/data/...` API, the viewer's
 * `/api/...`, and the viewer bundle. No side effects: it does not listen,
 * does not watch (the caller owns the store's updates) and prints nothing;
 * what to tell the user at startup (a missing viewer bundle) goes to
 * `app.locals.startupNotes`.
 */
export function createApp(store: Store, options: ServerOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false);
  const viewerDir = viewerDirOf(options.viewerDir);
  const locals: AppLocals = { startupNotes: viewerBuilt(viewerDir) ? [] : [missingViewerNote(viewerDir)] };
  Object.assign(app.locals, locals);
  const prefix = options.pathPrefix?.replace(/\/+$/, '') ?? '';
  app.use(prefix === '' ? '/' : prefix, routes(store, options, viewerDir));
  app.use(routeNotFound());
  app.use(errorHandler(options.logError ?? ((m) => console.error(m))));
  return app;
}
