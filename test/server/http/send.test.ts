import express from 'express';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { errorHandler } from '../../../src/server/http/error-handler';
import { HttpError } from '../../../src/server/http/http-error';
import { clientGone, openEventStream, sendJson, sendSlices, type TextSlices } from '../../../src/server/http/send';

/** A route that sends `make()`'s slices; `seen` counts the slices made and whether the maker was closed. */
function sliceApp(make: () => TextSlices): express.Express {
  const app = express();
  app.get('/slices', async (_req, res) => {
    await sendSlices(res, make(), clientGone(res), 'text/plain; charset=utf-8');
  });
  app.use(errorHandler(() => {}));
  return app;
}

function* counted(count: number, chunk: string, seen: { slices: number; closed: boolean }): TextSlices {
  try {
    for (let i = 0; i < count; i++) {
      seen.slices++;
      yield [`${i}:`, chunk];
    }
  } finally {
    seen.closed = true;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sendJson', () => {
  it('sends short and long texts alike: the JSON, its type and its length in bytes', async () => {
    const app = express();
    app.get('/json/:n', (req, res) => sendJson(res, { text: 'é'.repeat(Number(req.params.n)), x: NaN }));
    for (const n of [3, 200_000]) {
      const res = await request(app).get(`/json/${n}`);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toEqual({ text: 'é'.repeat(n), x: 'NaN' });
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    }
  });
});

describe('sendSlices', () => {
  it('sends a text of one slice whole, with its length', async () => {
    const seen = { slices: 0, closed: false };
    const res = await request(sliceApp(() => counted(1, 'abc', seen))).get('/slices');
    expect(res.status).toBe(200);
    expect(res.text).toBe('0:abc');
    expect(res.headers['content-length']).toBe('5');
    expect(seen).toEqual({ slices: 1, closed: true });
  });

  it('sends many slices in order', async () => {
    const seen = { slices: 0, closed: false };
    const res = await request(sliceApp(() => counted(50, 'x'.repeat(1000), seen))).get('/slices');
    expect(res.text).toBe(Array.from({ length: 50 }, (_, i) => `${i}:${'x'.repeat(1000)}`).join(''));
    expect(res.headers['content-length']).toBeUndefined();
    expect(seen).toEqual({ slices: 50, closed: true });
  });

  it('answers an error made before the first byte as an error', async () => {
    const app = sliceApp(() =>
      (function* (): TextSlices {
        yield* [];
        throw new HttpError(422, 'cannot be printed');
      })(),
    );
    const res = await request(app).get('/slices');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'cannot be printed' });
  });

  it('waits for a client that does not read, and stops when it leaves', async () => {
    const seen = { slices: 0, closed: false };
    const slice = 'y'.repeat(64 * 1024);
    const server = http.createServer(sliceApp(() => counted(100_000, slice, seen))).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const req = http.get({ host: '127.0.0.1', port, path: '/slices' });
      const response = await new Promise<http.IncomingMessage>((resolve) => req.once('response', resolve));
      response.pause();
      // The socket buffers fill, then the maker waits: a few MB made, not the 6 GB asked for.
      let whilePaused = -1;
      for (let i = 0; i < 50 && seen.slices !== whilePaused; i++) {
        whilePaused = seen.slices;
        await sleep(200);
      }
      expect(seen.slices).toBe(whilePaused);
      expect(seen.slices).toBeLessThan(1000);
      expect(seen.closed).toBe(false);
      req.destroy();
      for (let i = 0; i < 100 && !seen.closed; i++) await sleep(10);
      expect(seen.closed).toBe(true);
      expect(seen.slices).toBeLessThan(whilePaused + 3);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('openEventStream', () => {
  it('sends events and heartbeats, and cleans up once when the client leaves', async () => {
    let cleanups = 0;
    const app = express();
    app.get('/events', (req, res) => {
      const stream = openEventStream(req, res, 20);
      stream.send('hello', { n: 1 });
      stream.onClose(() => cleanups++);
    });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const text = await new Promise<string>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/events' }, (res) => {
          expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
          expect(res.headers['cache-control']).toBe('no-cache, no-transform');
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            if (buf.includes(': heartbeat')) {
              req.destroy();
              resolve(buf);
            }
          });
        });
        req.on('error', () => {});
      });
      expect(text.startsWith('retry: 2000\n: connected\n\nevent: hello\ndata: {"n":1}\n\n')).toBe(true);
      for (let i = 0; i < 100 && cleanups === 0; i++) await sleep(10);
      await sleep(50);
      expect(cleanups).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
