import * as assert from 'node:assert/strict';
import { parseRetryAfter, transientFailure, withResponseFacts } from '../../../src/salesforce/transient';

/** Errors shaped as jsforce and node-fetch make them. */
const httpApiError = (errorCode: string, message: string) => Object.assign(new Error(message), { name: errorCode, errorCode });

describe('transient failures of an org', () => {
  it('502, 503 and 504 are transient, with the status kept from the answer', () => {
    for (const status of [502, 503, 504]) {
      const e = withResponseFacts(httpApiError('sf:SERVER_UNAVAILABLE', 'Service temporarily unavailable'), { statusCode: status, headers: {} });
      assert.deepEqual(transientFailure(e), { reason: `answered ${status}`, retryAfterMs: undefined });
    }
    // jsforce's own code for an answer it could not parse (an HTML maintenance page).
    assert.equal(transientFailure(httpApiError('ERROR_HTTP_503', '<html>Down for maintenance</html>'))?.reason, 'answered 503');
  });

  it('a fault or error that is the request\'s or the org\'s answer is not retried', () => {
    const fault500 = withResponseFacts(httpApiError('sf:SERVER_UNAVAILABLE', 'x'), { statusCode: 500, headers: {} });
    assert.equal(transientFailure(fault500), undefined, 'a 500 fault is final');
    assert.equal(transientFailure(withResponseFacts(httpApiError('INVALID_SESSION_ID', 'Session expired'), { statusCode: 401 })), undefined);
    assert.equal(transientFailure(withResponseFacts(httpApiError('MALFORMED_QUERY', 'bad'), { statusCode: 400 })), undefined);
    assert.equal(transientFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })), undefined, 'an org that is down fails fast');
    assert.equal(transientFailure(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })), undefined);
    assert.equal(transientFailure('text'), undefined);
  });

  it('connection resets and timeouts are transient', () => {
    const reset = Object.assign(new Error('request to http://x/ failed, reason: socket hang up'), { name: 'FetchError', code: 'ECONNRESET' });
    assert.equal(transientFailure(reset)?.reason, 'dropped the connection');
    const timeout = Object.assign(new Error('request to http://x/ failed, reason: connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
    assert.equal(transientFailure(timeout)?.reason, 'did not answer in time');
    assert.equal(transientFailure(new Error('wrapped', { cause: reset }))?.reason, 'dropped the connection', 'found in the cause');
  });

  it('Retry-After in seconds or as an HTTP date', () => {
    const e = withResponseFacts(httpApiError('ERROR_HTTP_503', ''), { statusCode: 503, headers: { 'retry-after': '7' } });
    assert.equal(transientFailure(e)?.retryAfterMs, 7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now), 3000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0, 'a past date means now');
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
