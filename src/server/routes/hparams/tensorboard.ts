import { Router, type Request } from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { findSeries } from '../../data/series';
import { notFound } from '../../http/http-error';
import { tensorboardQuery } from '../../http/params';
import { textBody } from '../../http/request-body';
import { sendJson, sendText } from '../../http/send';
import { scalarRows } from '../scalars/tensorboard';
import { downloadData } from './download-data';
import { buildExperiment, experimentJson } from './experiment';
import { metricRun } from './hparams-data';
import { getExperimentRequest, listMetricEvalsRequest, listSessionGroupsRequest, parseJsonRequest } from './request';
import { listSessionGroups } from './session-groups';

/** The request JSON: the POST body, or the `request` query parameter of a GET. */
function requestJson(req: Request): unknown {
  return parseJsonRequest(
    req.method === 'POST'
      ? typeof req.body === 'string'
        ? req.body
        : undefined
      : tensorboardQuery(req).get('request'),
  );
}

/** `/data/plugin/hparams/*`: experiment, session groups, metric evaluations, table download. */
export function hparamsRoutes(store: Store): Router {
  const router = Router();

  router.all('/experiment', textBody, (req, res) => {
    const r = getExperimentRequest(requestJson(req));
    sendJson(res, experimentJson(buildExperiment(store, r.includeMetrics, r.hparamsLimit)));
  });

  router.all('/session_groups', textBody, (req, res) => {
    sendJson(res, listSessionGroups(store, listSessionGroupsRequest(requestJson(req))));
  });

  // The request as for /session_groups; `format` and `columnsVisibility` always come from the query.
  router.all('/download_data', textBody, (req, res) => {
    const query = tensorboardQuery(req);
    const { contentType, body } = downloadData(
      store,
      listSessionGroupsRequest(requestJson(req)),
      query.get('format'),
      query.get('columnsVisibility'),
    );
    sendText(res, body, contentType);
  });

  router.all('/metric_evals', textBody, (req, res) => {
    const r = listMetricEvalsRequest(requestJson(req));
    const run = metricRun(r.sessionName, r.metricName.group);
    const tag = r.metricName.tag ?? '';
    const ref = findSeries(store, run, tag, PLUGIN.SCALARS, DATA_CLASS.SCALAR);
    if (ref === undefined) throw notFound(`No scalar data for run=${JSON.stringify(run)}, tag=${JSON.stringify(tag)}`);
    sendJson(res, scalarRows(ref, undefined));
  });
  return router;
}
