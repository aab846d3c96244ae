/**
 * Reads that ride out a passing server failure: which failures of an org are transient (HTTP 502,
 * 503, 504; a connection reset; a timeout), the Retry-After the org sent, and `readWithRetry`,
 * core's withRetry with those rules. Only for calls that may safely run twice: listing,
 * describing, retrieving and its status checks, deploy status checks, queries and GETs. Never
 * for deploy, create, update or delete.
 *
 * jsforce retries some requests itself (GETs on 5xx, five times, silently): the calls made
 * through here switch that off (metadata-soap.ts, rest-read.ts), so the tries do not multiply.
 */
import { withRetry, type RetryNotice, type RetryOptions, type TransientFailure } from '../core/retry';
import { cancelled } from './errors';

/**
 * How the waits between tries are made: the policy (tries, steps) and the sleep. Left out, the
 * defaults (4 tries, about 0.5, 1 and 2 s); tests give a sleep that returns at once.
 */
export type Backoff = Pick<RetryOptions, 'policy' | 'sleep' | 'random'>;

/** How a read is made: cancellation, who hears of retries, the backoff. */
export interface ReadOptions {
  signal?: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
  backoff?: Backoff;
}

/** A read of one org: ReadOptions and the org's name for messages. */
export interface ReadContext extends ReadOptions {
  /** The org as named in messages. */
  label: string;
}

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const RESET = /ECONNRESET|EPIPE|UND_ERR_SOCKET|socket hang up|other side closed/i;
const TIMEOUT = /ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_(?:CONNECT|HEADERS|BODY)_TIMEOUT|\btimed out\b|network timeout/i;
const CANCELLED = /AbortError|\baborted\b/i;

interface Shape {
  name?: unknown;
  code?: unknown;
  errorCode?: unknown;
  message?: unknown;
  statusCode?: unknown;
  status?: unknown;
  retryAfter?: unknown;
  cause?: unknown;
}

/** Seconds or an HTTP date, as Retry-After carries them; in ms from `now`. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The status code and Retry-After of an HTTP error answer, kept on the error jsforce made of it
 * (jsforce keeps neither), so transientFailure can see them.
 */
export function withResponseFacts<E>(error: E, response: { statusCode?: number; headers?: Record<string, unknown> }): E {
  if (error && typeof error === 'object') {
    const e = error as Shape;
    if (e.statusCode === undefined && typeof response.statusCode === 'number') e.statusCode = response.statusCode;
    const after = response.headers?.['retry-after'];
    if (typeof after === 'string') e.retryAfter = after;
  }
  return error;
}

/** Why a failure of an org is worth another try, or undefined when it is not. */
export function transientFailure(e: unknown): TransientFailure | undefined {
  let status: number | undefined;
  let retryAfter: unknown;
  const texts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const s = cur as Shape;
    for (const v of [s.name, s.code, s.errorCode, s.message]) if (typeof v === 'string') texts.push(v);
    for (const v of [s.statusCode, s.status]) if (typeof v === 'number' && status === undefined) status = v;
    retryAfter ??= s.retryAfter;
    cur = s.cause;
  }
  const text = texts.join(' | ');
  if (CANCELLED.test(text)) return undefined;
  status ??= Number(/ERROR_HTTP_(\d{3})/.exec(text)?.[1]) || undefined;
  const retryAfterMs = parseRetryAfter(retryAfter);
  if (status !== undefined && TRANSIENT_STATUS.has(status)) return { reason: `answered ${status}`, retryAfterMs };
  if (status === undefined && /\bSERVER_UNAVAILABLE\b/.test(text)) return { reason: 'was unavailable', retryAfterMs };
  if (RESET.test(text)) return { reason: 'dropped the connection' };
  if (TIMEOUT.test(text)) return { reason: 'did not answer in time' };
  return undefined;
}

/**
 * Runs a read, trying again after a transient failure (4 tries: waits of about 0.5, 1 and 2 s, or
 * the org's Retry-After). An abort during a wait ends it at once as cancelled; the last failure
 * is thrown as it came, for the caller to wrap as it does today.
 */
export function readWithRetry<T>(ctx: ReadContext, call: (attempt: number) => Promise<T>): Promise<T> {
  return withRetry(call, {
    ...ctx.backoff,
    transient: transientFailure,
    signal: ctx.signal,
    onRetry: ctx.onRetry,
    cancelled: () => cancelled(ctx.label),
  });
}
