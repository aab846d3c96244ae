import * as assert from 'node:assert/strict';
import { classify, toSalesforceError, SalesforceError } from '../../../src/salesforce/errors';

/** Errors shaped like the ones @salesforce/core, jsforce and Node raise, classified for the user. */
function err(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe('salesforce errors', () => {
  const cases: Array<[string, unknown, string]> = [
    ['INVALID_SESSION_ID (REST)', err('INVALID_SESSION_ID', 'Session expired or invalid', { errorCode: 'INVALID_SESSION_ID' }), 'expired-session'],
    ['SOAP sf:INVALID_SESSION_ID', err('sf:INVALID_SESSION_ID', 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader'), 'expired-session'],
    ['HTTP 401', err('ERROR_HTTP_401', 'Unauthorized'), 'expired-session'],
    ['expired refresh token', err('RefreshTokenAuthError', 'Error authenticating with the refresh token due to: expired access/refresh token'), 'expired-session'],
    ['unknown alias', err('NamedOrgNotFoundError', 'No authorization information found for nope.'), 'unknown-org'],
    ['no auth info', err('NoAuthInfoFound', 'No auth info'), 'unknown-org'],
    ['connection refused', Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) }), 'unreachable'],
    ['dns', err('Error', 'getaddrinfo ENOTFOUND my.example'), 'unreachable'],
    ['socket hang up', err('Error', 'socket hang up'), 'unreachable'],
    ['412', err('PRECONDITION_FAILED', 'The record was modified', { errorCode: 'PRECONDITION_FAILED' }), 'conflict'],
    ['503', err('ERROR_HTTP_503', 'Service Unavailable'), 'server-error'],
    ['500 status', Object.assign(new Error('boom'), { statusCode: 500 }), 'server-error'],
    ['abort', err('AbortError', 'This operation was aborted'), 'cancelled'],
    ['SOAP invalid argument (HTTP 500)', Object.assign(err('sf:INVALID_ARGUMENT', 'INVALID_ARGUMENT: bad'), { statusCode: 500 }), 'invalid-request'],
    ['request limit', err('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'limit-exceeded'],
    ['not found', err('NOT_FOUND', 'The requested resource does not exist'), 'not-found'],
  ];
  for (const [label, e, kind] of cases) {
    it(`classifies ${label} as ${kind}`, () => assert.equal(classify(e), kind));
  }

  it('says what happened and what to do, naming the org', () => {
    const e = toSalesforceError(err('INVALID_SESSION_ID', 'Session expired or invalid'), { org: 'uat' });
    assert.ok(e instanceof SalesforceError);
    assert.equal(e.kind, 'expired-session');
    assert.match(e.message, /session for "uat" has expired/);
    assert.match(e.message, /sf org login web --alias uat/);
  });

  it('never carries a token in the message or the log detail', () => {
    const token = '00D5g000004ABCD!AQ8AQJkE.secretpart_x9';
    const e = toSalesforceError(err('ERROR_HTTP_500', `failed for ${token} with Bearer ${token}`), { org: 'dev' });
    assert.ok(!e.message.includes('secretpart'), e.message);
    assert.ok(!String(e.detail).includes('secretpart'), String(e.detail));
  });

  it('keeps a SalesforceError as it is', () => {
    const e = new SalesforceError('conflict', 'x');
    assert.equal(toSalesforceError(e), e);
  });
});
