import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { requireAsset } from './assets';

/**
 * Loads featherboard's WebAssembly modules (wasm/*.ts, built by `npm run
 * build` to dist/wasm/). They run the hot loops of reading and export, and
 * are always there: a missing one is a MissingAssetError, not a slower path.
 */

/** The parts of the WebAssembly API used here (the ES2022 lib does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** An exported global of a module. */
export interface WasmGlobal {
  value: unknown;
}

/**
 * The exports of a WebAssembly asset, instantiated. Compiled with V8's
 * optimizing compiler straight away: its baseline code runs the loops ~25%
 * slower, and a short export would finish before V8 tiers it up.
 */
export function loadWasm<T>(asset: 'scanScalarsWasm' | 'formatRowsWasm'): T {
  const file = requireAsset(asset);
  const bytes = fs.readFileSync(file);
  let module: object;
  v8.setFlagsFromString('--no-liftoff');
  try {
    module = new wasm.Module(bytes);
  } finally {
    v8.setFlagsFromString('--liftoff');
  }
  const abort = (): never => {
    throw new Error(`${file} aborted`);
  };
  return new wasm.Instance(module, { env: { abort } }).exports as T;
}
