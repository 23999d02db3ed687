/**
 * Retries for object-store reads. The SDKs retry a request until its
 * response starts (5xx, throttling, refused connections); a body cut off
 * halfway is ours to resume, from the byte where it stopped.
 */
export interface RetryPolicy {
  /** Tries in all for one piece of work (the first one included). */
  attempts: number;
  /** Delay before the second try; doubled for each later one (with jitter), capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

/** Socket-level failures that another try may get past. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'ECONNCLOSED',
]);

/** Is `err` a dropped, refused or timed-out connection (rather than an answer from the store)? */
export function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout') return true;
  // Some layers keep only the text (an SDK wraps what it does not take for an Error as "... for TimeoutError: ...").
  if (typeof e.message === 'string' && NETWORK_TEXT.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== err && isNetworkError(e.cause);
}

const NETWORK_TEXT = new RegExp(
  `^(aborted|socket hang up|premature close)$|\\b(${[...TRANSIENT_CODES, 'TimeoutError'].join('|')})\\b|socket hang up`,
  'i',
);

/** What to show of a network error: `ECONNRESET`, `socket hang up`, or the first line of its message. */
export function networkErrorText(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return e.code;
  if (e.cause !== undefined && e.cause !== err && isNetworkError(e.cause)) return networkErrorText(e.cause);
  const text = typeof e.message === 'string' ? (e.message.split('\n')[0] ?? '') : String(err);
  const named = /\b(E[A-Z]+|ERR_[A-Z_]+|UND_ERR_[A-Z_]+)\b/.exec(text);
  if (named !== null && TRANSIENT_CODES.has(named[1] as string)) return named[1] as string;
  return /socket hang up/i.test(text) ? 'socket hang up' : text;
}

/** How long to wait before try number `attempt` (2 = the first retry): exponential, half of it random. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 2));
  return full / 2 + Math.random() * (full / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
