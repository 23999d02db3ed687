import { Router, type Request } from 'express';
import { DATA_CLASS } from '../../../events/types';
import { PLUGIN } from '../../../events/plugins';
import type { Store } from '../../../store/store';
import { listSeries, pointAt, type SeriesRef } from '../../data/series';
import { dict } from '../../http/dict';
import { badRequest } from '../../http/http-error';
import { LIMITS, tensorboardQuery } from '../../http/params';
import { sendBytes, sendJson } from '../../http/send';
import { listFields } from '../../../protobuf/raw-fields';

const CONTENT_TYPES: Record<string, number> = { VERTEX: 1, FACE: 2, COLOR: 3 };
/** Every component, for summaries written before the field existed. */
const ALL_COMPONENTS = (1 << 1) | (1 << 2) | (1 << 3);

/** MeshPluginData: name, content type, JSON config, shape, component bitmask. */
interface MeshMeta {
  name: string;
  contentType: number;
  jsonConfig: string;
  shape: number[];
  components: number;
}

const utf8 = new TextDecoder();

function parseMeshMeta(bytes: Uint8Array): MeshMeta {
  const meta: MeshMeta = { name: '', contentType: 0, jsonConfig: '', shape: [], components: 0 };
  for (const f of listFields(bytes)) {
    if (f.number === 2 && f.bytes !== undefined) meta.name = utf8.decode(f.bytes);
    if (f.number === 3 && f.varint !== undefined) meta.contentType = f.varint;
    if (f.number === 5 && f.bytes !== undefined) meta.jsonConfig = utf8.decode(f.bytes);
    if (f.number === 7 && f.varint !== undefined) meta.components = f.varint;
    if (f.number === 6 && f.varint !== undefined) meta.shape.push(f.varint | 0);
    if (f.number === 6 && f.bytes !== undefined) meta.shape.push(...packedVarints(f.bytes));
  }
  if (meta.components === 0) meta.components = ALL_COMPONENTS;
  return meta;
}

function packedVarints(b: Uint8Array): number[] {
  const out: number[] = [];
  let v = 0;
  let shift = 0;
  for (const byte of b) {
    v += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) {
      out.push(v | 0);
      v = 0;
      shift = 0;
    }
  }
  return out;
}

interface MeshEvent {
  meta: MeshMeta;
  ref: SeriesRef;
  index: number;
  step: number;
}

/** `/data/plugin/mesh/*`: meshes are stored as one tag per component, named `<name>_<COMPONENT>`. */
export function meshRoutes(store: Store): Router {
  const router = Router();
  const meshSeries = () => listSeries(store, PLUGIN.MESH, DATA_CLASS.TENSOR);

  router.get('/tags', (_req, res) => {
    const out: Record<string, Record<string, { samples: number }>> = dict();
    for (const [run, refs] of meshSeries()) {
      const tags: Record<string, { samples: number }> = dict();
      for (const r of refs) {
        const meta = parseMeshMeta(r.metadata.pluginContent);
        tags[meta.name] = { samples: meta.shape[0] ?? 0 };
      }
      out[run] = tags;
    }
    sendJson(res, out);
  });

  /** Every point of the mesh's component tags, in step order (stable). */
  function events(req: Request): MeshEvent[] {
    const query = tensorboardQuery(req);
    const run = query.get('run');
    const tag = query.get('tag');
    const out: MeshEvent[] = [];
    if (run === undefined || tag === undefined) return out;
    for (const ref of meshSeries().get(run) ?? []) {
      const meta = parseMeshMeta(ref.metadata.pluginContent);
      if (meta.name !== tag || ref.series === undefined) continue;
      for (let i = 0; i < ref.series.length; i++) out.push({ meta, ref, index: i, step: ref.series.steps.get(i) });
    }
    return out;
  }

  router.get('/meshes', (req, res) => {
    const list = events(req).sort((a, b) => a.step - b.step);
    sendJson(
      res,
      list.map((e) => ({
        wall_time: e.ref.series!.wallTimes.get(e.index),
        step: e.step,
        content_type: e.meta.contentType,
        components: e.meta.components,
        config: e.meta.jsonConfig,
        data_shape: e.meta.shape,
      })),
    );
  });

  router.get('/data', (req, res) => {
    const query = tensorboardQuery(req);
    const stepText = query.get('step') ?? '0';
    const step = Number(stepText);
    if (stepText.trim() === '' || !Number.isFinite(step)) throw badRequest('step must be a number');
    const contentType = CONTENT_TYPES[query.get('content_type') ?? ''];
    if (contentType === undefined) throw badRequest('Bad content_type');
    const sample = query.int('sample', { min: 0, max: LIMITS.sampleIndex, fallback: 0 });
    const values: number[] = [];
    for (const e of events(req)) {
      if (e.step !== step || e.meta.contentType !== contentType) continue;
      const t = pointAt(e.ref.series!, e.index).stored?.tensor;
      if (t === undefined || t.kind !== 'numeric') continue;
      const per = t.shape.slice(1).reduce((a, b) => a * b, 1);
      if (sample >= (t.shape[0] ?? 0)) throw badRequest(`sample ${sample} is out of range`);
      values.push(...t.values.subarray(sample * per, (sample + 1) * per));
    }
    const array =
      contentType === 1
        ? Float32Array.from(values)
        : contentType === 2
          ? Int32Array.from(values)
          : Uint8Array.from(values);
    sendBytes(res, new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 'arraybuffer');
  });
  return router;
}
