/** Cancellation of a compare: one error the UI shows as "cancelled", and prompt racing. */

/** Thrown when the compare's signal is aborted. `name` is 'AbortError' like DOM aborts. */
export class CompareCancelledError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('The comparison was cancelled.');
  }
}

export function isCancellation(e: unknown): boolean {
  return e instanceof CompareCancelledError || (e instanceof Error && e.name === 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CompareCancelledError();
}

/**
 * Settles with `work`, or rejects with CompareCancelledError as soon as `signal` aborts, even if
 * `work` ignores the signal (its late outcome is then ignored).
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new CompareCancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(new CompareCancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? new CompareCancelledError() : e);
      },
    );
  });
}

/** Lets timers and I/O (an abort from the UI) run during long synchronous work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
