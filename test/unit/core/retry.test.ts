import * as assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, retryDelay, retryMessage, sleepUnlessAborted, withRetry, type RetryNotice } from '../../../src/core/retry';

const transient503 = (e: unknown) => ((e as { status?: number }).status === 503 ? { reason: 'answered 503' } : undefined);
const http = (status: number, extra: object = {}) => Object.assign(new Error(`HTTP ${status}`), { status, ...extra });

/** A fake clock: sleeps are recorded and return at once. */
function fakeSleep() {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
}

describe('retry of idempotent calls', () => {
  it('tries again after transient failures with growing waits and says so before each wait', async () => {
    const { slept, sleep } = fakeSleep();
    const notices: RetryNotice[] = [];
    let calls = 0;
    const out = await withRetry(
      async (attempt) => {
        calls++;
        assert.equal(attempt, calls);
        if (calls < 4) throw http(503);
        return 'listed';
      },
      { transient: transient503, sleep, random: () => 0.5, onRetry: (n) => notices.push(n) },
    );
    assert.equal(out, 'listed');
    assert.equal(calls, 4);
    assert.deepEqual(slept, [500, 1000, 2000], 'no jitter at random() = 0.5');
    assert.deepEqual(notices.map((n) => [n.attempt, n.tries, n.delayMs, n.reason]), [
      [2, 4, 500, 'answered 503'],
      [3, 4, 1000, 'answered 503'],
      [4, 4, 2000, 'answered 503'],
    ]);
    assert.equal(retryMessage('UAT', notices[1]), 'UAT answered 503; retrying in 1 s (3 of 4)');
    assert.equal(retryMessage('UAT', notices[0]), 'UAT answered 503; retrying in 0.5 s (2 of 4)');
  });

  it('a persistent failure ends the work with the last error as it came, after the bounded tries', async () => {
    const { slept, sleep } = fakeSleep();
    let calls = 0;
    const last = http(503, { which: 'last' });
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw calls === 4 ? last : http(503);
      }, { transient: transient503, sleep }),
      (e) => e === last,
    );
    assert.equal(calls, DEFAULT_RETRY_POLICY.tries);
    assert.equal(slept.length, 3);
  });

  it('a failure that is not transient is thrown at once, without a wait', async () => {
    const { slept, sleep } = fakeSleep();
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls++;
      throw http(500);
    }, { transient: transient503, sleep }), /HTTP 500/);
    assert.equal(calls, 1);
    assert.deepEqual(slept, []);
  });

  it('jitter keeps each wait within ±20 % of its step; Retry-After wins when longer, capped', () => {
    const p = DEFAULT_RETRY_POLICY;
    assert.equal(retryDelay(2, p, () => 0), 400);
    assert.equal(retryDelay(2, p, () => 0.999999), 600);
    assert.equal(retryDelay(4, p, () => 0.5), 2000);
    assert.equal(retryDelay(9, p, () => 0.5), 2000, 'the last step repeats');
    assert.equal(retryDelay(2, p, () => 0.5, 5000), 5000, 'Retry-After: 5 honoured');
    assert.equal(retryDelay(3, p, () => 0.5, 200), 1000, 'a shorter Retry-After does not hurry the backoff');
    assert.equal(retryDelay(2, p, () => 0.5, 3_600_000), 30_000, 'at most 30 s');
  });

  it('an abort during the backoff ends the wait at once, with the cancellation error, and no further try', async () => {
    const ac = new AbortController();
    let calls = 0;
    const cancelledError = new Error('Cancelled.');
    const started = process.hrtime.bigint();
    const work = withRetry(
      async () => {
        calls++;
        throw http(503);
      },
      {
        transient: transient503,
        signal: ac.signal,
        cancelled: () => cancelledError,
        // A real sleep with a long wait: only the abort can end it soon.
        policy: { delaysMs: [60_000] },
        onRetry: () => setTimeout(() => ac.abort(), 10),
      },
    );
    await assert.rejects(work, (e) => e === cancelledError);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(calls, 1);
    assert.ok(ms < 30_000, `ended by the abort, not by the 60 s wait (${Math.round(ms)} ms)`);
  });

  it('an aborted signal stops before the first try; a failure after an abort is the cancellation', async () => {
    const ac = new AbortController();
    ac.abort();
    let calls = 0;
    await assert.rejects(withRetry(async () => void calls++, { transient: transient503, signal: ac.signal, cancelled: () => new Error('stopped') }), /stopped/);
    assert.equal(calls, 0);
    const ac2 = new AbortController();
    await assert.rejects(
      withRetry(async () => {
        ac2.abort();
        throw http(503);
      }, { transient: transient503, signal: ac2.signal, cancelled: () => new Error('stopped') }),
      /stopped/,
    );
  });

  it('sleepUnlessAborted resolves early on abort', async () => {
    const ac = new AbortController();
    const p = sleepUnlessAborted(60_000, ac.signal);
    ac.abort();
    await p;
    await sleepUnlessAborted(1, undefined);
  });
});
