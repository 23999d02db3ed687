'use strict';
// An S3-protocol server for the tests, run as its own process by s3-server.ts:
// s3rver (a filesystem-backed S3 implementation from npm) on 127.0.0.1, on a
// port the system picks. Prints {"port":N} once listening; exits when its
// stdin closes (the test process ended, even by a crash) or on SIGTERM.
//
//   node s3-server-main.js --directory DIR [--deny BUCKET[/PREFIX]]...
//
// s3rver refuses unknown key ids (InvalidAccessKeyId) but has no bucket
// policies; --deny stands in for one that grants nothing: every request on
// that bucket (or under that key prefix) is answered 403 AccessDenied, in S3's
// own XML.
const S3rver = require('s3rver');

function parseArgs(argv) {
  const out = { directory: undefined, deny: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--directory') out.directory = argv[++i];
    else if (a === '--deny') {
      const [bucket, ...rest] = argv[++i].split('/');
      out.deny.push({ bucket, prefix: rest.join('/') });
    } else throw new Error(`unknown argument ${a}`);
  }
  if (out.directory === undefined) throw new Error('--directory is required');
  return out;
}

/** Bucket and key of a path-style request (`/bucket/key`). */
function target(ctx) {
  const [, bucket = '', ...key] = ctx.path.split('/');
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key.join('/')) };
}

function accessDenied(ctx) {
  ctx.status = 403;
  ctx.type = 'application/xml';
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>0</RequestId></Error>';
}

function policy(options) {
  return async (ctx, next) => {
    const { bucket, key } = target(ctx);
    const listed = typeof ctx.query.prefix === 'string' ? ctx.query.prefix : '';
    for (const d of options.deny) {
      if (d.bucket !== bucket) continue;
      const onKey = key !== '' && key.startsWith(d.prefix);
      const onListing = key === '' && (d.prefix === '' || listed.startsWith(d.prefix));
      if (onKey || onListing) return accessDenied(ctx);
    }
    return next();
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory: options.directory, silent: true });
  // Before every route of s3rver, so that its answers are never reached for a denied request.
  server.middleware.unshift(policy(options));
  const address = await server.run();
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  const stop = () => {
    server.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`s3-server: ${err.message}\n`);
  process.exit(1);
});
