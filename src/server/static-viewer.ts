import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ASSETS, assetPath } from '../assets';
import { sendText } from './http/send';

/** The viewer bundle's folder: `viewerDir` when given, else the package's viewer/dist (src/assets.ts). */
export function viewerDirOf(viewerDir: string | undefined): string {
  return viewerDir ?? assetPath('viewerDir');
}

/** Whether a viewer bundle is built in `viewerDir` (its index.html is there). */
export function viewerBuilt(viewerDir: string): boolean {
  return existsSync(path.join(viewerDir, ASSETS.viewerDir.marker));
}

/** The line logged at startup when the bundle is missing. */
export function missingViewerNote(viewerDir: string): string {
  return (
    `featherboard: the viewer is not built (no ${path.join(viewerDir, ASSETS.viewerDir.marker)}): ` +
    `run \`${ASSETS.viewerDir.build}\`; the data API under /data/ and /api/ works without it`
  );
}

const MISSING_BUNDLE_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>featherboard</title>
<p>The viewer is not built. Run <code>${ASSETS.viewerDir.build}</code>, then reload.</p>
<p>The data API is available under <code>/data/</code> and <code>/api/</code>.</p>
`;

/** Files of the viewer bundle only (no dotfiles, no directory listing), or a page saying how to build it. */
export function staticViewer(viewerDir: string): Router {
  const router = Router();
  router.use(express.static(viewerDir, { dotfiles: 'deny', index: 'index.html', redirect: false, fallthrough: true }));
  router.get('/', (_req, res) => {
    if (viewerBuilt(viewerDir)) {
      res.sendFile(ASSETS.viewerDir.marker, { root: viewerDir, dotfiles: 'deny' });
      return;
    }
    sendText(res, MISSING_BUNDLE_PAGE, 'text/html; charset=utf-8');
  });
  return router;
}
