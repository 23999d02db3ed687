import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { parseLogdirSpec } from '../../src/cli/logdir-spec';
import { parseSamplesPerPlugin } from '../../src/cli/serve-command';
import { LogdirLoader } from '../../src/logdir/logdir-loader';
import { createApp } from '../../src/server/create-app';
import { PrefixedStore } from '../../src/store/prefixed-store';
import { Store } from '../../src/store/store';
import { LOGDIRS } from '../support/golden-form';

/** The serve command's flags that TensorBoard parses its own way (moved from test/server/server-units.test.ts). */
it('parses --samples_per_plugin and --logdir_spec as TensorBoard does', () => {
  expect(parseSamplesPerPlugin('scalars=500,images=0,text=all')).toEqual({ scalars: 500 });
  expect(() => parseSamplesPerPlugin('scalars=-1')).toThrow('--samples_per_plugin');
  expect(parseLogdirSpec('train:/tmp/a,/tmp/b')).toEqual([
    { name: 'train', path: '/tmp/a' },
    { name: undefined, path: '/tmp/b' },
  ]);
});

it('names runs of a --logdir_spec entry name/<run>, and drops them when they go', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherboard-spec-'));
  try {
    fs.cpSync(path.join(LOGDIRS, 'keras'), path.join(dir, 'keras'), { recursive: true });
    const store = new Store();
    const spec = parseLogdirSpec(`k:${path.join(dir, 'keras')},${path.join(LOGDIRS, 'tensorboardx')}`);
    const loaders = spec.map(
      (e) => new LogdirLoader(e.path, e.name === undefined ? store : new PrefixedStore(store, e.name)),
    );
    for (const l of loaders) await l.reload();
    expect(store.runNames()).toEqual(['k/train', 'k/validation', 'run1', 'run1/hp']);
    const app = createApp(store, { logdir: 'spec' });
    const res = await request(app).get('/data/plugin/scalars/scalars').query({ run: 'k/train', tag: 'epoch_loss' });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(3);
    fs.rmSync(path.join(dir, 'keras', 'validation'), { recursive: true });
    await loaders[0]!.reload();
    expect(store.runNames()).toEqual(['k/train', 'run1', 'run1/hp']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
