import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** viewer/dist of the package (up from dist for the bundled CLI, from src/server or dist/src/server). */
export function defaultViewerDir(): string {
  for (const up of ['..', '../..', '../../..']) {
    const dir = path.resolve(__dirname, up, 'viewer', 'dist');
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return path.resolve(__dirname, '../..', 'viewer', 'dist');
}

const MISSING_BUNDLE_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>featherboard</title>
<p>The viewer is not built. Run <code>npm run build:viewer</code>, then reload.</p>
<p>The data API is available under <code>/data/</code> and <code>/api/</code>.</p>
`;

/** Files of the viewer bundle only (no dotfiles, no directory listing), or a page saying how to build it. */
export function staticViewer(viewerDir: string): Router {
  const router = Router();
  router.use(express.static(viewerDir, { dotfiles: 'deny', index: 'index.html', redirect: false, fallthrough: true }));
  router.get('/', (_req, res) => {
    if (existsSync(path.join(viewerDir, 'index.html'))) {
      res.sendFile('index.html', { root: viewerDir, dotfiles: 'deny' });
      return;
    }
    res.status(200).type('html').send(MISSING_BUNDLE_PAGE);
  });
  return router;
}
