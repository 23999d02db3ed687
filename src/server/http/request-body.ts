import express, { type NextFunction, type Request, type Response } from 'express';
import { badRequest } from './http-error';
import { dict } from './dict';
import { LIMITS } from './params';

/** Request bodies, each at most LIMITS.bodyBytes (a larger one is answered 413). */

const urlencoded = express.urlencoded({ extended: false, limit: LIMITS.bodyBytes, parameterLimit: LIMITS.formFields });
const multipartRaw = express.raw({ type: 'multipart/form-data', limit: LIMITS.bodyBytes });

/** Any body, as text: TensorBoard's hparams routes read the raw body as JSON whatever its content type. */
export const textBody = express.text({ type: () => true, limit: LIMITS.bodyBytes });

/**
 * Parses form bodies as browsers send them: urlencoded, or multipart/form-data
 * (what a FormData posts) with text fields only. The result is
 * `req.body: Record<string, string | string[]>`.
 */
export function formBody(req: Request, res: Response, next: NextFunction): void {
  if (req.is('multipart/form-data')) {
    multipartRaw(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        req.body = parseMultipart(req.body as Buffer, req.get('content-type') ?? '');
        next();
      } catch (e) {
        next(e);
      }
    });
    return;
  }
  urlencoded(req, res, next);
}

function parseMultipart(body: Buffer | undefined, contentType: string): Record<string, string | string[]> {
  const match = /boundary=(?:"([^"]{1,200})"|([^;\s]{1,200}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw badRequest('multipart body without a boundary');
  const out: Record<string, string | string[]> = dict();
  if (body === undefined || !Buffer.isBuffer(body)) return out;
  const parts = body.toString('utf8').split(`--${boundary}`);
  for (const part of parts.slice(1)) {
    if (part.startsWith('--')) break;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw badRequest('malformed multipart body');
    const headers = part.slice(0, headerEnd);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) throw badRequest('multipart part without a name');
    const value = part.slice(headerEnd + 4).replace(/\r\n$/, '');
    const prev = out[name];
    out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
