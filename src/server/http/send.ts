import type { Request, Response } from 'express';
import { nextTurn } from '../../graph/cooperative';
import { toJson } from './json';

/**
 * Every answer leaves through here: JSON, bytes, text, text made a slice at a time (with
 * back-pressure, stopping when the client leaves), and event streams.
 */

export const JSON_TYPE = 'application/json';

/** JSON (non-finite numbers as "NaN", "Infinity", "-Infinity", see json.ts). */
export function sendJson(res: Response, value: unknown, status = 200): void {
  sendText(res, toJson(value), JSON_TYPE, status);
}

/** JSON text already written (the scalar rows' byte writer, protobuf's JSON printer). */
export function sendJsonText(res: Response, text: string | Buffer): void {
  sendText(res, text, JSON_TYPE);
}

/**
 * Texts from this length on are written as bytes: Node sends a string joined
 * to the headers, which for a large one costs up to twice the CPU of
 * encoding it once (2.4 MB of JSON: 5.4 ms against 3.5 ms); short ones are
 * as fast or faster as a string.
 */
const BYTES_FROM_CHARS = 64 * 1024;

export function sendText(res: Response, text: string | Buffer, contentType: string, status = 200): void {
  res.status(status).setHeader('Content-Type', contentType);
  res.end(typeof text === 'string' && text.length >= BYTES_FROM_CHARS ? Buffer.from(text, 'utf8') : text);
}

/** Bytes with their type; `headers` adds others (caching, `nosniff`). */
export function sendBytes(
  res: Response,
  bytes: Uint8Array,
  contentType: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.status(200).setHeader('Content-Type', contentType);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** Whether the response was closed before it was finished (the client went away); checked before each slice of work. */
export function clientGone(res: Response): () => boolean {
  let closed = false;
  res.once('close', () => (closed = true));
  return () => (closed || res.destroyed) && !res.writableFinished;
}

function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Text made a slice at a time: each step yields the chunks of one slice (see `jsonSlices`, `pbtxtSlices`). */
export type TextSlices = Generator<string[], void, undefined>;

/**
 * Text written a slice at a time: between slices the event loop serves
 * other requests, a slow client is waited for (graphs are tens of MB), and a
 * client that left stops the work. A text of one slice is made before the
 * status is set, so it is sent whole, with a length, and an error while
 * making it still becomes an error answer.
 */
export async function sendSlices(
  res: Response,
  slices: TextSlices,
  gone: () => boolean,
  contentType: string,
): Promise<void> {
  try {
    if (gone()) return;
    const first = slices.next();
    let slice = first.done === true ? first : slices.next();
    res.status(200).setHeader('Content-Type', contentType);
    if (slice.done === true) {
      res.end(first.done === true ? '' : first.value.join(''));
      return;
    }
    if (first.done !== true && !(await writeChunks(res, first.value, gone))) return;
    while (slice.done !== true) {
      if (!(await writeChunks(res, slice.value, gone))) return;
      await nextTurn();
      if (gone()) return;
      slice = slices.next();
    }
    res.end();
  } finally {
    slices.return();
  }
}

/** Writes chunks, waiting for the client to read when its buffer is full; false when it left. */
async function writeChunks(res: Response, chunks: string[], gone: () => boolean): Promise<boolean> {
  for (const chunk of chunks) {
    if (gone()) return false;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  return !gone();
}

/** An open Server-Sent Events stream. */
export interface EventStream {
  /** Sends one event; `data` is written as JSON. */
  send(event: string, data: unknown): void;
  /** Runs once when the client disconnects. */
  onClose(cleanup: () => void): void;
}

/**
 * Starts a Server-Sent Events answer: headers that keep proxies from buffering it, a retry
 * hint, and a comment line every `heartbeatMs` so idle connections stay open. The timer stops
 * when the client leaves.
 */
export function openEventStream(req: Request, res: Response, heartbeatMs: number): EventStream {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n: connected\n\n');
  const timer = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  timer.unref();
  const cleanups: (() => void)[] = [() => clearInterval(timer)];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups) cleanup();
  };
  req.on('close', close);
  res.on('close', close);
  return {
    send: (event, data) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose: (cleanup) => {
      if (closed) cleanup();
      else cleanups.push(cleanup);
    },
  };
}
