import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { assetPath } from '../../src/assets';
import { createApp } from '../../src/server/create-app';
import { startServer } from '../../src/server/start-server';
import { viewerDirOf } from '../../src/server/static-viewer';
import { Store } from '../../src/store/store';

/**
 * The viewer bundle is found one way (src/assets.ts); without it the server
 * still answers its data API, serves a page saying how to build the viewer,
 * and says so once at startup.
 */
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherboard-static-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('finds the bundle where src/assets.ts says, unless told otherwise', () => {
  expect(viewerDirOf(undefined)).toBe(assetPath('viewerDir'));
  expect(viewerDirOf('/elsewhere')).toBe('/elsewhere');
});

it('without a bundle: the build page, the data API, and one line at startup', async () => {
  const missing = path.join(dir, 'no-viewer');
  const app = createApp(new Store(), { logdir: dir, viewerDir: missing });
  const page = await request(app).get('/');
  expect(page.status).toBe(200);
  expect(page.text).toContain('npm run build:viewer');
  expect((await request(app).get('/data/runs')).body).toEqual([]);
  expect((await request(app).get('/api/runs')).body).toEqual({ runs: [] });

  const logged: string[] = [];
  const running = await startServer(app, '127.0.0.1', 0, (line) => logged.push(line));
  await running.close();
  expect(logged).toHaveLength(1);
  expect(logged[0]).toContain(path.join(missing, 'index.html'));
  expect(logged[0]).toContain('npm run build:viewer');
  expect(logged[0]).toContain('/data/');
});

it('with a bundle: its files, and nothing to say at startup', async () => {
  const built = path.join(dir, 'viewer');
  fs.mkdirSync(built);
  fs.writeFileSync(path.join(built, 'index.html'), '<!doctype html><title>built viewer</title>');
  const app = createApp(new Store(), { logdir: dir, viewerDir: built });
  expect((await request(app).get('/')).text).toContain('built viewer');
  const logged: string[] = [];
  const running = await startServer(app, '127.0.0.1', 0, (line) => logged.push(line));
  await running.close();
  expect(logged).toEqual([]);
});

it('serves the bundle once it is built, without a restart', async () => {
  const later = path.join(dir, 'later');
  const app = createApp(new Store(), { logdir: dir, viewerDir: later });
  expect((await request(app).get('/')).text).toContain('npm run build:viewer');
  fs.mkdirSync(later);
  fs.writeFileSync(path.join(later, 'index.html'), '<!doctype html><title>now built</title>');
  expect((await request(app).get('/')).text).toContain('now built');
});
