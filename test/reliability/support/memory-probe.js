'use strict';
// Preloaded into a featherboard server under test (`node --expose-gc --require
// memory-probe.js bin/featherboard ...`): on SIGUSR2, collect garbage and append
// process.memoryUsage() as one JSON line to $FB_MEMORY_PROBE_OUT. The server's
// own code is untouched.
const fs = require('node:fs');

const out = process.env.FB_MEMORY_PROBE_OUT;
if (out) {
  process.on('SIGUSR2', () => {
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
    fs.appendFileSync(out, `${JSON.stringify(process.memoryUsage())}\n`);
  });
}
