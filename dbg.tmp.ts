import { randomBytes } from 'node:crypto';
import { startGcsServer, saveGcs } from './test/support/gcs-server';
import { CuttingProxy } from './test/support/cutting-proxy';
import { GcsBackend } from './src/source/gcs-backend';
(async () => {
  const server = await startGcsServer();
  const data = randomBytes(2 * 1024 * 1024);
  await saveGcs(server.storage, 'bkt', 'net/big.bin', data);
  const proxy = new CuttingProxy(server.port); await proxy.start();
  const b = new GcsBackend('bkt', { apiEndpoint: `http://127.0.0.1:${proxy.port}`, projectId: 'x', retryOptions: { autoRetry: true, maxRetries: 1, maxRetryDelay: 0.05, totalTimeout: 10 } });
  proxy.cutAfter(150_000, 1);
  const r = await b.getRange('net/big.bin', 0, 1024 * 1024);
  let n = 0;
  const t = setTimeout(() => { console.log('STUCK at', n); process.exit(1); }, 5000);
  try { for await (const c of r.body) n += c.length; console.log('ended', n); } catch (e) { console.log('error', n, (e as Error).message, (e as any).code); }
  clearTimeout(t);
  // no creds
  process.env.METADATA_SERVER_DETECTION = 'none'; process.env.HOME = '/tmp/nonexist-home';
  const b2 = new GcsBackend('bkt', { apiEndpoint: server.endpoint, useAuthWithCustomEndpoint: true } as any);
  try { const p = await b2.listPage('', undefined); console.log('listed', p.objects.length); } catch (e) { console.log('nocreds error', (e as Error).message); }
  await proxy.stop(); await server.stop();
})();
