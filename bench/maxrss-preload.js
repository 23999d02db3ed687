'use strict';
/**
 * Preloaded with `node -r` into a command the bench runs: at exit, writes the
 * process's peak RSS (kB) to $BENCH_MAXRSS_FILE. Lets the bench measure
 * `bin/featherboard export` exactly as users run it.
 */
const fs = require('node:fs');
const out = process.env.BENCH_MAXRSS_FILE;
if (out) {
  process.on('exit', () => {
    try {
      fs.writeFileSync(out, String(process.resourceUsage().maxRSS));
    } catch {
      /* the bench reports the figure as missing */
    }
  });
}
