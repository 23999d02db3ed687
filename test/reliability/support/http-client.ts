import * as http from 'node:http';

export interface Reply {
  status: number;
  body: string;
  /** Milliseconds from request to the last byte. */
  ms: number;
}

/** GET `url` through `agent`; rejects on a network error or after `timeoutMs`. */
export function get(url: string, agent: http.Agent, timeoutMs = 30_000): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: performance.now() - t0,
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms: ${url}`)));
    req.on('error', reject);
  });
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export interface SseEvent {
  event: string;
  data: string;
}

/** A Server-Sent Events reader of `url`: collects events until closed. */
export class SseClient {
  readonly events: SseEvent[] = [];
  /** A failure of the stream before close(). */
  error: Error | undefined;
  /** The server ended the stream. */
  ended = false;
  private req: http.ClientRequest | undefined;
  readonly connected: Promise<void>;

  constructor(url: string) {
    this.connected = new Promise((resolve, reject) => {
      this.req = http.get(url, { agent: false }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`SSE answered ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          buffer += text;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length > 0) this.events.push({ event, data: data.join('\n') });
          }
          resolve();
        });
        res.on('end', () => (this.ended = true));
        res.on('error', (err) => {
          if (!this.closed) this.error = err;
        });
      });
      this.req.on('error', (err) => {
        if (!this.closed) this.error = err;
        reject(err);
      });
    });
  }

  private closed = false;

  close(): void {
    this.closed = true;
    this.req?.destroy();
  }
}
