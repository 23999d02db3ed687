import * as net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a test server that can drop the
 * network on purpose: cut connections once a number of bytes has come back
 * through them (a body cut off halfway), or refuse everything (the network
 * is down). It counts the connections made through it.
 */
export class CuttingProxy {
  /** Connections accepted so far. */
  connections = 0;
  private server: net.Server | undefined;
  private readonly open = new Set<net.Socket>();
  private down = false;
  private cut: { afterBytes: number; times: number } | undefined;
  private readonly received = new WeakMap<net.Socket, number>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<string> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `times` connections that carry more than `afterBytes` back from now on are cut there. */
  cutAfter(afterBytes: number, times: number): void {
    this.cut = { afterBytes, times };
    for (const s of this.open) this.received.set(s, 0);
  }

  /** Drop every open connection and refuse new ones, until restore(). */
  goDown(): void {
    this.down = true;
    for (const s of this.open) s.destroy();
  }

  restore(): void {
    this.down = false;
    this.cut = undefined;
  }

  async stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: net.Socket): void {
    this.connections++;
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.open.add(client);
    this.received.set(client, 0);
    const close = () => {
      this.open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (d: Buffer) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      const cut = this.cut;
      const before = this.received.get(client) ?? 0;
      if (cut !== undefined && cut.times > 0 && before + d.length > cut.afterBytes) {
        cut.times--;
        client.write(d.subarray(0, Math.max(0, cut.afterBytes - before)), () => close());
        return;
      }
      this.received.set(client, before + d.length);
      client.write(d);
    });
  }
}
