import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';

/**
 * Loads featherboard's WebAssembly modules (wasm/*.ts, built by `npm run
 * build:wasm` to dist/wasm/). They run the hot loops of reading and export.
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
 * dist/wasm/<name>.wasm, from dist (the bundled CLI), dist/src (built) or src (tests run from sources); undefined when
 * not built.
 */
function wasmFile(name: string): string | undefined {
  const file = `${name}.wasm`;
  for (const candidate of [
    path.join(__dirname, 'wasm', file),
    path.join(__dirname, '..', 'wasm', file),
    path.join(__dirname, '..', 'dist', 'wasm', file),
  ]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The exports of dist/wasm/<name>.wasm, instantiated; undefined when it was
 * not built (callers then use their JavaScript path). Compiled with V8's
 * optimizing compiler straight away: its baseline code runs the loops ~25%
 * slower, and a short export would finish before V8 tiers it up.
 */
export function loadWasm<T>(name: string): T | undefined {
  const file = wasmFile(name);
  if (file === undefined) return undefined;
  const bytes = fs.readFileSync(file);
  let module: object;
  v8.setFlagsFromString('--no-liftoff');
  try {
    module = new wasm.Module(bytes);
  } finally {
    v8.setFlagsFromString('--liftoff');
  }
  const abort = (): never => {
    throw new Error(`${name}.wasm aborted`);
  };
  return new wasm.Instance(module, { env: { abort } }).exports as T;
}
