'use strict';
// A GCS JSON-API server for the tests, run as its own process by gcs-server.ts:
// the Cloud Storage emulator of firebase-tools (pure Node: listing with page
// tokens, object metadata with generations, ranged media downloads, uploads),
// on 127.0.0.1 and a port the system picks. Prints {"port":N} once listening;
// exits when its stdin closes (the test process ended) or on SIGTERM.
//
// firebase-tools starts it together with a rules runtime it downloads; the
// JSON API used here is its admin layer, which checks no rules, so the
// server is made from the emulator's own modules without that runtime.
// Its blobs go to os.tmpdir(): the caller gives each server its own TMPDIR.
const path = require('node:path');

const EMULATOR = path.join(__dirname, 'gcs-emulator', 'node_modules', 'firebase-tools', 'lib', 'emulator');

function load(name) {
  try {
    return require(path.join(EMULATOR, name));
  } catch {
    process.stderr.write(
      'the GCS emulator is not installed: run `npm ci --prefix test/support/gcs-emulator` (as .ci/run does)\n',
    );
    process.exit(3);
  }
}

async function main() {
  const { StorageEmulator } = load('storage/index');
  const { createApp } = load('storage/server');
  const { EmulatorRegistry } = load('registry');
  const emulator = new StorageEmulator({ projectId: 'demo-featherboard', rules: [], host: '127.0.0.1', port: 0 });
  const app = await createApp('demo-featherboard', emulator);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address();
  // Links in its answers (selfLink, upload URLs) name the registered host and port.
  emulator.args.port = port;
  EmulatorRegistry.set('storage', emulator);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`gcs-server: ${err.message}\n`);
  process.exit(1);
});
