/** Faults a test (or the demo) can inject into one emulated org. */
export class Faults {
  /** Added latency on every request, in ms. */
  latencyMs = 0;
  /**
   * The next N requests answer with this HTTP status (5xx), with Retry-After when set (seconds);
   * with `only`, the next N requests for that call: a SOAP operation ("deploy") or the start of
   * "METHOD /path" ("PATCH /services/data").
   */
  private failures: { remaining: number; status: number; retryAfter?: number; only?: string } = { remaining: 0, status: 503 };
  /** Every token is rejected with INVALID_SESSION_ID until restored. */
  sessionExpired = false;
  /**
   * Deploy jobs stop moving while in one of these statuses (`Pending`, `InProgress`,
   * `FinalizingDeploy`, `Canceling`) until cleared, so a test can act on or observe a deploy in
   * that state. A cancel still changes the status (a held InProgress deploy becomes Canceling).
   */
  holdDeploysAt: readonly string[] = [];
  /**
   * The org does not answer Tooling `MetadataComponentDependency` (a beta object some orgs lack):
   * queries on it fail with INVALID_TYPE, as for an unknown object.
   */
  dependencyApiOff = false;
  /** A lower row cap for MetadataComponentDependency queries than Salesforce's 2,000, so a test can reach it with a few components. */
  dependencyRowCap: number | undefined = undefined;

  failNext(count: number, status = 503, retryAfterSeconds?: number, only?: string): void {
    this.failures = { remaining: count, status, retryAfter: retryAfterSeconds, only };
  }

  /** Injected failures not yet answered. */
  get failuresLeft(): number {
    return this.failures.remaining;
  }

  /** The Retry-After (seconds) of the injected failures, if they carry one. */
  get retryAfterSeconds(): number | undefined {
    return this.failures.retryAfter;
  }

  /** Consumes one injected failure for this call (SOAP operation, or "METHOD /path"), if any; returns its status. */
  takeFailure(call: string): number | undefined {
    if (this.failures.remaining <= 0) return undefined;
    if (this.failures.only !== undefined && !call.startsWith(this.failures.only)) return undefined;
    this.failures.remaining--;
    return this.failures.status;
  }

  clear(): void {
    this.latencyMs = 0;
    this.failures = { remaining: 0, status: 503 };
    this.sessionExpired = false;
    this.holdDeploysAt = [];
    this.dependencyApiOff = false;
    this.dependencyRowCap = undefined;
  }
}
