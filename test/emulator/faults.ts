/** Faults a test (or the demo) can inject into one emulated org. */
export class Faults {
  /** Added latency on every request, in ms. */
  latencyMs = 0;
  /** The next N requests answer with this HTTP status (5xx). */
  private failures: { remaining: number; status: number } = { remaining: 0, status: 503 };
  /** Every token is rejected with INVALID_SESSION_ID until restored. */
  sessionExpired = false;
  /**
   * Deploy jobs stop moving while in one of these statuses (`Pending`, `InProgress`,
   * `FinalizingDeploy`, `Canceling`) until cleared, so a test can act on or observe a deploy in
   * that state. A cancel still changes the status (a held InProgress deploy becomes Canceling).
   */
  holdDeploysAt: readonly string[] = [];

  failNext(count: number, status = 503): void {
    this.failures = { remaining: count, status };
  }

  /** Consumes one injected failure, if any; returns its status. */
  takeFailure(): number | undefined {
    if (this.failures.remaining <= 0) return undefined;
    this.failures.remaining--;
    return this.failures.status;
  }

  clear(): void {
    this.latencyMs = 0;
    this.failures = { remaining: 0, status: 503 };
    this.sessionExpired = false;
    this.holdDeploysAt = [];
  }
}
