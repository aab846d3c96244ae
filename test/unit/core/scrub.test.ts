import * as assert from 'node:assert/strict';
import { scrubSecrets } from '../../../src/core/scrub';
import { describeOrgError, isOrgError } from '../../../src/core/orgErrors';

const TOKEN = '00D5g000004XyZ1!AQ0AQHx7.Kf_3jz9bLwqRtY1-abc';

describe('secrets are scrubbed before logging', () => {
  it('removes Salesforce access tokens wherever they appear', () => {
    for (const text of [
      `token ${TOKEN} expired`,
      `Authorization: Bearer ${TOKEN}`,
      `{"access_token":"${TOKEN}","instance_url":"https://x"}`,
      `<soapenv:Header><SessionHeader><sessionId>${TOKEN}</sessionId></SessionHeader>`,
      `POST /?access_token=${encodeURIComponent(TOKEN)}&x=1`,
    ]) {
      const out = scrubSecrets(text);
      assert.ok(!out.includes('AQ0AQHx7'), out);
      assert.match(out, /redacted/);
    }
  });

  it('leaves ordinary text and org ids alone', () => {
    const text = 'Connected to 00D5g000004XyZ1EAI as admin@example.com (API 62.0)';
    assert.equal(scrubSecrets(text), text);
  });
});

describe('org error messages', () => {
  it('recognises Salesforce layer errors by shape', () => {
    assert.ok(isOrgError(Object.assign(new Error('x'), { kind: 'expired-session' })));
    assert.ok(!isOrgError(new Error('x')));
    assert.ok(!isOrgError({ kind: 'made-up', message: 'x' }));
  });

  it('tells what to do for each failure a connection test can meet', () => {
    assert.match(describeOrgError('expired-session', 'uat'), /expired.*sf org login web --alias uat/);
    assert.match(describeOrgError('unknown-org', 'qa'), /not an authorized org.*Add Environment/);
    assert.match(describeOrgError('unreachable', 'dev'), /cannot be reached.*network/);
  });
});
