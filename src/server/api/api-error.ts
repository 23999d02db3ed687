/** A client mistake: answered as `{ error }` JSON with a 4xx status, never a stack trace. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
