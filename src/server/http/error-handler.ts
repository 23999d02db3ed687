import type { NextFunction, Request, Response } from 'express';
import { HttpError, notFound } from './http-error';
import { sendJson } from './send';

/** Body-parser errors carry a 4xx `status` and a safe `type`. */
function clientStatus(err: unknown): number | undefined {
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * The one error-to-response mapping, for every route: HttpError and
 * request-parsing errors become a 4xx `{error}` with a message for the
 * client; anything else is a bug: logged, 500, no stack.
 */
export function errorHandler(logError: (message: string) => void) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof HttpError) {
      sendJson(res, { error: err.message }, err.status);
      return;
    }
    const status = clientStatus(err);
    if (status !== undefined) {
      const type = (err as { type?: unknown }).type;
      const message =
        type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : type === 'entity.too.large'
            ? 'request body is too large'
            : 'bad request';
      sendJson(res, { error: message }, status);
      return;
    }
    logError(`featherboard: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    sendJson(res, { error: 'internal error' }, 500);
  };
}

/** Unmatched routes: a 404 with `message`, through the error handler. */
export function routeNotFound(message = 'Not found') {
  return (_req: Request, _res: Response, next: NextFunction): void => next(notFound(message));
}
