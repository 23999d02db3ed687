import { Router, type Request } from 'express';
import { badRequest } from '../../http/http-error';
import { sniffMediaType, TENSORBOARD_IMAGE_TYPES } from '../../http/mime';
import { tensorboardQuery } from '../../http/params';
import { sendBytes, sendJson, sendJsonText, sendText } from '../../http/send';
import { metadataText } from './metadata-text';
import { configToProtoJson } from './projector-config';
import { findEmbedding, MAX_BYTES, type ProjectorRuns, type RunConfig } from './projector-runs';
import { readAssetFile } from './asset-path';

/** `run`, required; `allowEmpty: false` also refuses `run=` (as TensorBoard's bookmarks and sprite routes). */
function runParam(req: Request, allowEmpty = true): string {
  const run = tensorboardQuery(req).get('run');
  if (run === undefined || (!allowEmpty && run === '')) throw badRequest('query parameter "run" is required');
  return run;
}

function nameParam(req: Request): string {
  const name = tensorboardQuery(req).get('name');
  if (name === undefined) throw badRequest('query parameter "name" is required');
  return name;
}

/** `num_rows`: absent or empty means all; else an integer > 0 (Python's int(): spaces, `+`, `_` allowed). */
function numRowsParam(req: Request): number | undefined {
  const v = tensorboardQuery(req).get('num_rows');
  if (v === undefined || v === '') return undefined;
  const m = /^\s*\+?(\d(?:_?\d)*)\s*$/.exec(v);
  const n = m === null ? 0 : Number((m[1] as string).replace(/_/g, ''));
  if (!(n > 0)) throw badRequest('query parameter num_rows must be integer > 0');
  return n;
}

function noFile(kind: string, name: string, rc: RunConfig): Error {
  return badRequest(`No ${kind} file found for tensor "${name}" in the config file "${rc.configName}"`);
}

/**
 * TensorBoard's embedding projector data routes, for embeddings stored as
 * TSV files beside the event files (PyTorch's and tensorboardX's
 * `add_embedding`, TensorFlow's `projector.visualize_embeddings` with a
 * tensor file). Tensors in TensorFlow checkpoints are not read: asking for
 * one answers 400, as TensorBoard does when it finds no checkpoint.
 * TensorBoard's frontend files (`/index.js`...) are not served.
 */
export function projectorRoutes(runs: ProjectorRuns): Router {
  const router = Router();

  router.get('/runs', async (_req, res) => {
    sendJson(res, await runs.runNames());
  });

  router.get('/info', async (req, res) => {
    const rc = await runs.runConfig(runParam(req));
    sendJsonText(res, configToProtoJson(await runs.withShapes(rc)));
  });

  router.get('/tensor', async (req, res) => {
    const run = runParam(req);
    const name = nameParam(req);
    const numRows = numRowsParam(req);
    const rc = await runs.runConfig(run);
    const e = findEmbedding(rc.config, name);
    if (e === undefined || e.tensorPath === '')
      throw badRequest(
        `Tensor "${name}" not found: the config names no tensor file for it (TensorFlow checkpoints are not supported)`,
      );
    const t = await runs.tensor(rc, e);
    const rows = numRows === undefined ? t.rows : Math.min(numRows, t.rows);
    sendBytes(res, new Uint8Array(t.data.buffer, t.data.byteOffset, rows * t.cols * 4), 'application/octet-stream');
  });

  router.get('/metadata', async (req, res) => {
    const run = runParam(req);
    const name = nameParam(req);
    const numRows = numRowsParam(req);
    const rc = await runs.runConfig(run);
    const configured = findEmbedding(rc.config, name)?.metadataPath ?? '';
    if (configured === '') throw noFile('metadata', name, rc);
    const bytes = await readAssetFile(await runs.asset(rc, configured), MAX_BYTES.metadata);
    sendText(res, metadataText(bytes, numRows, `"${configured}"`), 'text/plain; charset=utf-8');
  });

  router.get('/bookmarks', async (req, res) => {
    const run = runParam(req, false);
    const name = nameParam(req);
    const rc = await runs.runConfig(run);
    const configured = findEmbedding(rc.config, name)?.bookmarksPath ?? '';
    if (configured === '') throw noFile('bookmarks', name, rc);
    sendBytes(res, await readAssetFile(await runs.asset(rc, configured), MAX_BYTES.bookmarks), 'application/json');
  });

  router.get('/sprite_image', async (req, res) => {
    const run = runParam(req, false);
    const name = nameParam(req);
    const rc = await runs.runConfig(run);
    const configured = findEmbedding(rc.config, name)?.sprite?.imagePath ?? '';
    if (configured === '') throw noFile('sprite image', name, rc);
    const bytes = await readAssetFile(await runs.asset(rc, configured), MAX_BYTES.sprite);
    sendBytes(res, bytes, sniffMediaType(bytes, TENSORBOARD_IMAGE_TYPES));
  });

  return router;
}
