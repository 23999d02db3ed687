import { assetPath, MissingAssetError } from '../src/assets';
import { loadWasm } from '../src/wasm-module';

/**
 * The WebAssembly modules and the compiled schema are found one way
 * (src/assets.ts) and are required: a missing one is a MissingAssetError
 * naming the file and the command that builds it, never a quiet switch to
 * another code path.
 */
afterEach(() => jest.restoreAllMocks());

/** As if `file` had not been built (the module object itself: an `import *` namespace cannot be spied on). */
function without(file: string): void {
  const fs = require('node:fs') as typeof import('node:fs');
  const exists = fs.existsSync;
  jest.spyOn(fs, 'existsSync').mockImplementation((p) => p !== file && exists(p));
}

it('loads the built modules', () => {
  const scanner = loadWasm<{ scan: unknown; readRecord: unknown }>('scanScalarsWasm');
  expect(typeof scanner.scan).toBe('function');
  expect(typeof scanner.readRecord).toBe('function');
  expect(typeof loadWasm<{ format: unknown }>('formatRowsWasm').format).toBe('function');
});

it.each(['scanScalarsWasm', 'formatRowsWasm'] as const)('refuses to go on without %s', (asset) => {
  without(assetPath(asset));
  expect(() => loadWasm(asset)).toThrow(MissingAssetError);
  expect(() => loadWasm(asset)).toThrow(/dist\/wasm\/.*\.wasm is missing \(run `npm run build`/);
});

it('refuses to go on without the compiled schema (no parsing of the .proto files instead)', () => {
  jest.isolateModules(() => {
    const assets = require('../src/assets') as typeof import('../src/assets');
    without(assets.assetPath('protoSchema'));
    const { protoRoot } = require('../src/protobuf/schema') as typeof import('../src/protobuf/schema');
    expect(() => protoRoot()).toThrow(/dist\/proto\/schema\.json is missing/);
  });
});
