import type { Express } from 'express';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppLocals } from './create-app';

export interface RunningServer {
  server: http.Server;
  /** The port actually bound (the free one when 0 was asked). */
  port: number;
  /** Stop accepting, end open connections (keep-alive, event streams), resolve when closed. */
  close(): Promise<void>;
}

/** A port already taken, an address not ours: a clear message, not a stack. */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** The notes createApp left for startup (see AppLocals). */
function startupNotes(app: Express): string[] {
  const notes = (app.locals as Partial<AppLocals>).startupNotes;
  return Array.isArray(notes) ? notes : [];
}

/**
 * Listen at the edge: the only place the app meets a socket. Once listening,
 * the app's startup notes (a missing viewer bundle) go to `log`, one line each.
 */
export function startServer(
  app: Express,
  host: string,
  port: number,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<RunningServer> {
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      const message =
        err.code === 'EADDRINUSE'
          ? `port ${port} is already in use on ${host} (pick another with --port, or --port 0 for a free one)`
          : err.code === 'EADDRNOTAVAIL'
            ? `cannot listen on ${host}: no such address on this machine`
            : err.code === 'EACCES'
              ? `not allowed to listen on ${where} (ports below 1024 need privileges)`
              : `cannot listen on ${where}: ${err.message}`;
      reject(new ListenError(message, err.code));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      for (const note of startupNotes(app)) log(note);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: bound,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
