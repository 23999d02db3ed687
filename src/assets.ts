import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where featherboard's built files are, found one way however the code runs: the bundled CLI
 * (dist/*.js), the compiled library (dist/src/), or the TypeScript sources under jest. Each is a
 * path below the package root (the nearest folder above this file whose package.json is
 * featherboard's), and a missing one is an error that says how to build it: no probing of other
 * layouts, no silent fallback to another code path.
 */

/** The files `npm run build` (and `npm run build:viewer`) make that the code loads at run time. */
export const ASSETS = {
  /** TFRecord framing, CRC and plain-scalar scanning (wasm/scan-scalars.ts). */
  scanScalarsWasm: { file: 'dist/wasm/scan-scalars.wasm', build: 'npm run build' },
  /** Rows as bytes, doubles in shortest round-trip form (wasm/format-rows.ts). */
  formatRowsWasm: { file: 'dist/wasm/format-rows.wasm', build: 'npm run build' },
  /** proto/*.proto as protobufjs JSON (scripts/build-proto-schema.js). */
  protoSchema: { file: 'dist/proto/schema.json', build: 'npm run build' },
  /** The worker thread that reads runs (src/logdir/load-worker.ts, bundled). */
  loadWorker: { file: 'dist/load-worker.js', build: 'npm run build' },
  /** The worker thread that formats export rows (src/export/format-worker.ts, bundled). */
  formatWorker: { file: 'dist/format-worker.js', build: 'npm run build' },
  /** The worker thread that encodes Parquet row groups (src/export/parquet-worker.ts, bundled). */
  parquetWorker: { file: 'dist/parquet-worker.js', build: 'npm run build' },
  /** The browser app's folder (viewer/build.js); index.html marks it built. */
  viewerDir: { file: 'viewer/dist', marker: 'index.html', build: 'npm run build:viewer' },
} as const;

export type AssetName = keyof typeof ASSETS;

/** A built file the code needs is not there. */
export class MissingAssetError extends Error {
  override name = 'MissingAssetError';
}

let root: string | undefined;

/** The folder holding featherboard's package.json, above this file. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && isFeatherboardManifest(manifest)) {
      root = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new MissingAssetError(`featherboard: no package.json of featherboard above ${__dirname}`);
}

function isFeatherboardManifest(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown }).name === 'featherboard';
  } catch {
    return false;
  }
}

/** The absolute path of an asset, whether or not it exists. */
export function assetPath(name: AssetName): string {
  return path.join(packageRoot(), ASSETS[name].file);
}

/** Whether an asset was built. */
export function assetExists(name: AssetName): boolean {
  const asset: { file: string; marker?: string } = ASSETS[name];
  return fs.existsSync(asset.marker === undefined ? assetPath(name) : path.join(assetPath(name), asset.marker));
}

/** The absolute path of an asset that must exist; otherwise an error naming it and the command that builds it. */
export function requireAsset(name: AssetName): string {
  if (!assetExists(name)) {
    const { file, build } = ASSETS[name];
    throw new MissingAssetError(`featherboard: ${file} is missing (run \`${build}\` in ${packageRoot()})`);
  }
  return assetPath(name);
}
