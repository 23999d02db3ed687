import { Router } from 'express';
import type { DataRunsResponse } from '../../../common/responses/tensorboard';
import type { Store } from '../../../store/store';
import { compareCodePoints } from '../../../store/store';
import { pluginsWithData } from '../../data/series';
import { sendJson } from '../../http/send';
import { TENSORBOARD_API_VERSION, type ServerOptions } from '../../server-options';
import { pluginsListing } from './plugin-listing';

/**
 * TensorBoard's core plugin: environment, runs, logdir, plugin listing.
 * `activeWithoutEvents` names plugins active by files other than events (the projector's configs).
 */
export function coreRoutes(
  store: Store,
  options: ServerOptions,
  activeWithoutEvents: () => Promise<string[]> = async () => [],
): Router {
  const router = Router();
  const windowTitle = options.windowTitle ?? '';

  router.get('/data/environment', (_req, res) => {
    sendJson(res, {
      version: TENSORBOARD_API_VERSION,
      data_location: options.logdir,
      window_title: windowTitle,
      experiment_name: '',
      experiment_description: '',
      creation_time: 0,
      debug: { data_provider: 'featherboard', flags: options.flags ?? {} },
    });
  });

  // Ordered by first event time (runs without one last), then by name.
  router.get('/data/runs', (_req, res) => {
    const runs = [...store.runs.values()].map((r) => ({ name: r.name, start: r.firstEventTime ?? Infinity }));
    runs.sort((a, b) => (a.start !== b.start ? (a.start < b.start ? -1 : 1) : compareCodePoints(a.name, b.name)));
    sendJson(res, runs.map((r) => r.name) satisfies DataRunsResponse);
  });

  router.get('/data/plugins_listing', async (req, res) => {
    const active = pluginsWithData(store);
    for (const p of await activeWithoutEvents()) active.add(p);
    sendJson(res, pluginsListing(active, req.baseUrl.replace(/\/$/, '')));
  });

  router.get('/data/logdir', (_req, res) => sendJson(res, { logdir: options.logdir }));
  router.get('/data/window_properties', (_req, res) => sendJson(res, { window_title: windowTitle }));
  router.get('/data/experiments', (_req, res) => sendJson(res, []));
  router.get('/data/experiment_runs', (_req, res) => sendJson(res, []));
  router.get('/data/notifications', (_req, res) => res.redirect(302, '../notifications_note.json'));
  return router;
}
