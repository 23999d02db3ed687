/**
 * An error whose message is safe to show the client, with its HTTP status. Routes throw it for
 * bad input or missing data; error-handler.ts turns it into `{ "error": message }`.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 400: the request is malformed or asks for too much. */
export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

/** 404: no such run, tag, point or route. */
export function notFound(message: string): HttpError {
  return new HttpError(404, message);
}
