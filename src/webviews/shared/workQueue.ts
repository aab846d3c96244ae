/**
 * A panel's org work, one piece at a time in the order asked: the webview shows "busy" around
 * each, and a failure goes to the panel (an error banner) instead of breaking the queue.
 */
export class WorkQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly busy: (busy: boolean, what?: string) => void,
    private readonly fail: (what: string, e: unknown) => void,
  ) {}

  /** Runs `work` after everything queued before it. */
  enqueue(what: string, work: () => Promise<void>): Promise<void> {
    const next = this.tail.then(async () => {
      this.busy(true, `${what}…`);
      try {
        await work();
      } catch (e) {
        this.fail(what, e);
      } finally {
        this.busy(false);
      }
    });
    this.tail = next;
    return next;
  }

  /** Settles once everything queued so far is done. */
  idle(): Promise<void> {
    return this.tail;
  }
}
