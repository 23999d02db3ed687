import { Router, type Request } from 'express';
import express from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { findSeries } from '../../data-access';
import { MAX_BODY_BYTES } from '../../form-body';
import { notFound } from '../../http-error';
import { queryParam } from '../../params';
import { sendJson } from '../../respond';
import { scalarRows } from '../scalars';
import { downloadData } from './download-data';
import { buildExperiment, experimentJson } from './experiment';
import { metricRun } from './hparams-data';
import { getExperimentRequest, listMetricEvalsRequest, listSessionGroupsRequest, parseJsonRequest } from './request';
import { listSessionGroups } from './session-groups';

/** Any body, as text: TensorBoard reads the raw body as JSON whatever its content type. */
const textBody = express.text({ type: () => true, limit: MAX_BODY_BYTES });

/** The request JSON: the POST body, or the `request` query parameter of a GET. */
function requestJson(req: Request): unknown {
  return parseJsonRequest(
    req.method === 'POST' ? (typeof req.body === 'string' ? req.body : undefined) : queryParam(req, 'request'),
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
    const { contentType, body } = downloadData(
      store,
      listSessionGroupsRequest(requestJson(req)),
      queryParam(req, 'format'),
      queryParam(req, 'columnsVisibility'),
    );
    res.status(200).setHeader('Content-Type', contentType);
    res.end(body);
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
