/**
 * Another try of an idempotent call after a transient failure (a 503 during maintenance, a
 * connection reset): a bounded number of tries, growing waits with jitter, the server's
 * Retry-After honoured, the caller told before each wait, an abort ending the wait at once.
 * Plain TypeScript: what counts as transient is the caller's (the Salesforce layer's) business.
 * Only for calls that may safely run twice (reads, status checks); never for deploy or writes.
 */

/** Why a failure is worth another try. */
export interface TransientFailure {
  /** How the failure reads after the org's name: "answered 503", "dropped the connection". */
  reason: string;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
}

export interface RetryPolicy {
  /** Tries in all, the first included (default 4). */
  tries: number;
  /** Wait before the 2nd, 3rd, … try in ms; the last one repeats (default 500, 1000, 2000). */
  delaysMs: readonly number[];
  /** Each wait varies by up to ± this fraction of itself, so many callers do not retry in step (default 0.2). */
  jitter: number;
  /** Longest wait, Retry-After included (default 30 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { tries: 4, delaysMs: [500, 1000, 2000], jitter: 0.2, maxDelayMs: 30_000 };

/** Said before each wait. */
export interface RetryNotice extends TransientFailure {
  /** The try about to be made (2 … tries). */
  attempt: number;
  tries: number;
  /** The wait before it, in ms. */
  delayMs: number;
}

export interface RetryOptions {
  /** The failure's reason when it is worth another try; undefined ends the work with it. */
  transient: (e: unknown) => TransientFailure | undefined;
  signal?: AbortSignal;
  onRetry?: (notice: RetryNotice) => void;
  /** The error thrown when the signal aborts during a wait (default: the signal's reason). */
  cancelled?: () => Error;
  policy?: Partial<RetryPolicy>;
  /** For tests: waits `ms` or until the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For tests: a number in [0, 1). */
  random?: () => number;
}

/** Waits `ms`, or less when the signal aborts (it then resolves; the caller checks). */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The wait before try `attempt` (2 …): the policy's step with jitter, or the server's Retry-After when longer. */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  const steps = policy.delaysMs.length ? policy.delaysMs : [0];
  const base = steps[Math.min(attempt - 2, steps.length - 1)];
  const jittered = base * (1 + policy.jitter * (2 * random() - 1));
  const wanted = retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, wanted)));
}

/**
 * Runs `call` (given the try number, from 1) until it succeeds, fails for a reason that is not
 * transient, or has failed `tries` times; the last failure is thrown as it came.
 */
export async function withRetry<T>(call: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...opts.policy };
  const sleep = opts.sleep ?? sleepUnlessAborted;
  const random = opts.random ?? Math.random;
  const aborted = (): Error => opts.cancelled?.() ?? (opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('The operation was aborted.'));
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw aborted();
    try {
      return await call(attempt);
    } catch (e) {
      if (opts.signal?.aborted) throw aborted();
      const failure = attempt < policy.tries ? opts.transient(e) : undefined;
      if (!failure) throw e;
      const delayMs = retryDelay(attempt + 1, policy, random, failure.retryAfterMs);
      opts.onRetry?.({ ...failure, attempt: attempt + 1, tries: policy.tries, delayMs });
      await sleep(delayMs, opts.signal);
    }
  }
}

/** "UAT answered 503; retrying in 1 s (2 of 4)". */
export function retryMessage(org: string, n: RetryNotice): string {
  const tenths = Math.round(n.delayMs / 100) / 10;
  const secs = String(tenths >= 10 ? Math.round(tenths) : tenths);
  return `${org} ${n.reason}; retrying in ${secs} s (${n.attempt} of ${n.tries})`;
}
