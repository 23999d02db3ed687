import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { LogdirLoader } from '../../../../src/logdir/logdir-loader';
import { createApp } from '../../../../src/server/create-app';
import { Store } from '../../../../src/store/store';
import { FIXTURES } from '../../../support/golden-form';
import { fileVersionRecord, scalarRecord } from '../../support/event-writer';

/**
 * The embedding projector's routes against TensorBoard 2.21's answers
 * (fixtures/projector_fixtures.py: logdirs written by PyTorch and
 * tensorboardX add_embedding, a hand-written edge logdir, a broken one).
 *
 * Compared byte for byte: `/info` (protobuf's JSON layout), tensors, metadata
 * text, sprites, bookmarks, content types. Differences by design, asserted:
 * - errors: TensorBoard answers text/plain (HTML for its 500s); featherboard
 *   `{error}` JSON, 400 where TensorBoard crashes (a ragged tensors.tsv);
 * - `/runs` is compared as a set: TensorBoard lists runs in its data
 *   server's hash order; featherboard in `/data/runs` order, the logdir last;
 * - `plugins_listing` of the broken logdir: TensorBoard's activity check
 *   dies on the ragged file and says "disabled"; featherboard says enabled.
 */

interface Recorded {
  method: 'GET';
  path: string;
  status: number;
  content_type: string;
  text?: string;
  base64?: string;
}

const GOLDEN_DIR = path.join(FIXTURES, 'server-golden', 'projector');
const LOGDIR_NAMES = ['projector', 'projector-edge', 'projector-broken'];

async function appFor(logdir: string): Promise<Express> {
  const store = new Store();
  const loader = new LogdirLoader(logdir, store);
  await loader.reload();
  loader.finish();
  return createApp(store, { logdir, logError: () => {} });
}

function rawBody(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function get(app: Express, url: string): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await request(app).get(url).buffer(true).parse(rawBody);
  return { status: res.status, type: String(res.headers['content-type'] ?? ''), body: res.body as Buffer };
}

describe.each(LOGDIR_NAMES)('TensorBoard 2.21 projector answers for %s', (name) => {
  const golden = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, `${name}.json`), 'utf8')) as {
    responses: Recorded[];
  };
  let app: Express;
  beforeAll(async () => {
    app = await appFor(path.join(FIXTURES, name));
  });

  it.each(golden.responses.map((r, i) => [`${i} ${r.path}`, r] as const))('%s', async (_label, r) => {
    const ours = await get(app, r.path);
    if (r.status >= 400) {
      expect(ours.status).toBe(r.status >= 500 ? 400 : r.status);
      expect(ours.type).toBe('application/json');
      expect(JSON.parse(ours.body.toString('utf8'))).toEqual({ error: expect.any(String) });
      return;
    }
    expect(ours.status).toBe(r.status);
    expect(ours.type).toBe(r.content_type);
    if (r.path.endsWith('/projector/runs')) {
      expect([...(JSON.parse(ours.body.toString('utf8')) as string[])].sort()).toEqual(
        [...(JSON.parse(r.text as string) as string[])].sort(),
      );
    } else if (r.path === '/data/plugins_listing') {
      const expected = JSON.parse(r.text as string) as Record<string, { enabled: boolean }>;
      if (name === 'projector-broken') expected.projector!.enabled = true;
      expect(JSON.parse(ours.body.toString('utf8'))).toEqual(expected);
    } else if (r.base64 !== undefined) {
      expect(ours.body.toString('base64')).toBe(r.base64);
    } else {
      expect(ours.body.toString('utf8')).toBe(r.text);
    }
  });
});

describe('projector run order', () => {
  it('lists runs as /data/runs orders them, the logdir itself last', async () => {
    const app = await appFor(path.join(FIXTURES, 'projector-edge'));
    expect(JSON.parse((await get(app, '/data/plugin/projector/runs')).body.toString())).toEqual([
      'hand',
      'assets_run',
      '.',
    ]);
  });

  it('is not active, and lists nothing, for logdirs without a projector config', async () => {
    const app = await appFor(path.join(FIXTURES, 'logdirs', 'pytorch'));
    expect(JSON.parse((await get(app, '/data/plugin/projector/runs')).body.toString())).toEqual([]);
    const listing = JSON.parse((await get(app, '/data/plugins_listing')).body.toString()) as Record<
      string,
      { enabled: boolean }
    >;
    expect(listing.projector?.enabled).toBe(false);
  });
});

/** A logdir in a temporary directory, with a secret file beside it (outside it). */
class HostileLogdir {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-projector-'));
  readonly logdir = path.join(this.root, 'logs');
  readonly secret = path.join(this.root, 'secret.tsv');

  constructor() {
    fs.mkdirSync(this.logdir);
    fs.writeFileSync(this.secret, '42\t4242\n');
  }

  run(name: string, files: Record<string, string | Buffer>): string {
    const dir = path.join(this.logdir, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'events.out.tfevents.1.host'),
      Buffer.concat([fileVersionRecord(1_700_000_000), scalarRecord('loss', 0, 1)]),
    );
    for (const [f, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), content);
    }
    return dir;
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

describe('hostile and broken projector files', () => {
  const h = new HostileLogdir();
  let app: Express;
  const P = '/data/plugin/projector';
  const emb = (name: string, tensorPath: string, extra = ''): string =>
    `embeddings { tensor_name: "${name}" tensor_path: "${tensorPath}" ${extra} }\n`;

  beforeAll(async () => {
    const escapes = h.run('escapes', {
      'ok.tsv': '1\t2\n',
      'projector_config.pbtxt': [
        emb('dotdot', '../../secret.tsv'),
        emb('absolute', h.secret),
        emb('link', 'link.tsv'),
        emb('nul', 'ok.tsv\\000'),
        emb('meta_escape', 'ok.tsv', 'metadata_path: "../../secret.tsv" bookmarks_path: "/etc/passwd"'),
        emb('sprite_link', 'ok.tsv', 'sprite { image_path: "dirlink/secret.tsv" }'),
        emb('inside_absolute', path.join(h.logdir, 'escapes', 'ok.tsv')),
      ].join(''),
    });
    fs.symlinkSync(h.secret, path.join(escapes, 'link.tsv'));
    fs.symlinkSync(h.root, path.join(escapes, 'dirlink'));
    h.run('broken', {
      'ragged.tsv': '1\t2\n3\n',
      'word.tsv': '1\t2\n3\tfour\n',
      'empty.tsv': '',
      'blank.tsv': '1\n \n',
      'hex.tsv': '0x10\n',
      'binary.bin': Buffer.from(new Float32Array([1.5, -2, 3, 4]).buffer),
      'dir.tsv/x': 'not a file',
      'meta.bin': Buffer.from([0xff, 0xfe, 0x00]),
      'projector_config.pbtxt': [
        emb('ragged', 'ragged.tsv'),
        emb('word', 'word.tsv'),
        emb('empty', 'empty.tsv'),
        emb('blank', 'blank.tsv'),
        emb('hex', 'hex.tsv'),
        emb('missing', 'missing.tsv', 'metadata_path: "missing_meta.tsv"'),
        emb('binary', 'binary.bin', 'tensor_shape: [2, 2]'),
        emb('binary_bad_shape', 'binary.bin', 'tensor_shape: [3, 2]'),
        emb('binary_no_shape', 'binary.bin'),
        emb('dir', 'dir.tsv', 'metadata_path: "dir.tsv"'),
        emb('bad_meta', 'ragged.tsv', 'metadata_path: "meta.bin"'),
      ].join(''),
    });
    h.run('syntax', { 'a.tsv': '1\n', 'projector_config.pbtxt': 'embeddings { tensor_path: "a.tsv"\n  colour: 3 }\n' });
    h.run('big_config', { 'projector_config.pbtxt': '#'.repeat(2 << 20) });
    h.run('ckpt', {
      'projector_config.pbtxt': 'model_checkpoint_path: "model.ckpt-1"\nembeddings { tensor_name: "w" }\n',
    });
    app = await appFor(h.logdir);
  });
  afterAll(() => h.cleanup());

  async function expect400(url: string, pattern?: RegExp): Promise<string> {
    const res = await get(app, url);
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/json');
    const { error } = JSON.parse(res.body.toString('utf8')) as { error: string };
    if (pattern !== undefined) expect(error).toMatch(pattern);
    expect(error).not.toContain(h.logdir); // where the logdir lives is not told (paths as the config wrote them are)
    return error;
  }

  it('lists only runs whose config parses and names a tensor file', async () => {
    expect(JSON.parse((await get(app, `${P}/runs`)).body.toString())).toEqual(['broken', 'escapes']);
    await expect400(`${P}/info?run=syntax`, /line 2: .*no field named "colour"/);
    await expect400(`${P}/info?run=big_config`, /larger than/);
    await expect400(`${P}/info?run=ckpt`, /Unknown run/);
    await expect400(`${P}/info?run=${encodeURIComponent('../logs/escapes')}`, /Unknown run/);
  });

  it.each(['dotdot', 'absolute', 'link', 'nul'])(
    'never reads a tensor outside the run directory (%s)',
    async (name) => {
      await expect400(`${P}/tensor?run=escapes&name=${name}`, /outside the config directory/);
    },
  );

  it('never reads metadata, bookmarks or sprites outside the run directory', async () => {
    await expect400(`${P}/metadata?run=escapes&name=meta_escape`, /outside/);
    await expect400(`${P}/bookmarks?run=escapes&name=meta_escape`, /outside/);
    await expect400(`${P}/sprite_image?run=escapes&name=sprite_link`, /outside/);
  });

  it('accepts an absolute path that stays inside the run directory (as TensorBoard)', async () => {
    const res = await get(app, `${P}/tensor?run=escapes&name=inside_absolute`);
    expect(res.status).toBe(200);
    expect([...new Float32Array(new Uint8Array(res.body).buffer)]).toEqual([1, 2]);
  });

  it('leaves the shape out of /info for tensors it cannot read, and says why at /tensor', async () => {
    const info = JSON.parse((await get(app, `${P}/info?run=escapes`)).body.toString()) as {
      embeddings: { tensorName: string; tensorShape?: number[] }[];
    };
    expect(info.embeddings.filter((e) => e.tensorShape !== undefined).map((e) => e.tensorName)).toEqual([
      'meta_escape',
      'sprite_link',
      'inside_absolute',
    ]);
  });

  it.each([
    ['ragged', /line 2 has 1 values, the first row has 2/],
    ['word', /line 2, column 2 is not a number: "four"/],
    ['empty', /no rows/],
    ['blank', /line 2, column 1 is not a number/],
    ['hex', /line 1, column 1 is not a number/],
    ['missing', /does not exist/],
    ['binary_bad_shape', /do not hold a float32 tensor of shape \[3, 2\]/],
    ['binary_no_shape', /needs a 2-D tensor_shape/],
    ['dir', /not found, or is not a file/],
  ])('answers 400 for a broken tensor file (%s)', async (name, pattern) => {
    await expect400(`${P}/tensor?run=broken&name=${name}`, pattern);
  });

  it('reads a binary float32 tensor with the config shape (as TensorBoard)', async () => {
    const res = await get(app, `${P}/tensor?run=broken&name=binary&num_rows=1`);
    expect(res.status).toBe(200);
    expect([...new Float32Array(new Uint8Array(res.body).buffer)]).toEqual([1.5, -2]);
  });

  it('answers 400 for missing, directory and non-UTF-8 metadata', async () => {
    await expect400(`${P}/metadata?run=broken&name=missing`, /not found/);
    await expect400(`${P}/metadata?run=broken&name=dir`, /not found, or is not a file/);
    await expect400(`${P}/metadata?run=broken&name=bad_meta`, /not UTF-8/);
  });

  it.each(['-1', '0', '0x10', '1.5', '99999999999999999999999x'])('refuses num_rows=%s', async (v) => {
    await expect400(`${P}/tensor?run=broken&name=binary&num_rows=${encodeURIComponent(v)}`, /num_rows/);
  });

  it.each([
    [' 2 ', 4],
    ['+1', 2],
    ['1_0', 4],
    ['', 4],
  ])('accepts num_rows=%j as Python int() does', async (v, floats) => {
    const res = await get(app, `${P}/tensor?run=broken&name=binary&num_rows=${encodeURIComponent(v)}`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(floats * 4);
  });

  it('answers repeated and odd parameters without a crash', async () => {
    expect((await get(app, `${P}/tensor?run=broken&run=escapes&name=binary`)).status).toBe(200);
    await expect400(`${P}/sprite_image?run=&name=x`, /"run" is required/);
    await expect400(`${P}/tensor?run=broken&name=${'x'.repeat(10000)}`, /not found/);
  });

  it('marks the projector active in the plugin listing', async () => {
    const listing = JSON.parse((await get(app, '/data/plugins_listing')).body.toString()) as Record<
      string,
      { enabled: boolean }
    >;
    expect(listing.projector?.enabled).toBe(true);
  });
});

describe('projector off when the logdir is not a local directory', () => {
  it('lists nothing when --logdir_spec names several logdirs (TensorBoard disables it too)', async () => {
    const store = new Store();
    const app = createApp(store, { logdir: `a:${path.join(FIXTURES, 'projector')},b:/tmp`, logError: () => {} });
    expect(JSON.parse((await get(app, '/data/plugin/projector/runs')).body.toString())).toEqual([]);
    expect((await get(app, '/data/plugin/projector/info?run=.')).status).toBe(400);
  });
});
