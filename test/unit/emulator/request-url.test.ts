import { strict as assert } from 'node:assert';
import { requestUrl } from '../../emulator/http';

describe('emulator request paths', () => {
  const base = 'http://127.0.0.1:4000';

  it('reads repeated slashes as one, as Salesforce does, and never as a host', () => {
    const u = requestUrl('//services/data/v62.0/query?q=SELECT+Id+FROM+Account', base);
    assert.equal(u.host, '127.0.0.1:4000');
    assert.equal(u.pathname, '/services/data/v62.0/query');
    assert.equal(u.searchParams.get('q'), 'SELECT Id FROM Account');
    assert.equal(requestUrl('///services//Soap/m/62.0', base).pathname, '/services/Soap/m/62.0');
  });

  it('keeps slashes inside the query string and reads absolute-form targets by their path', () => {
    const u = requestUrl('/services/data/v62.0/query?q=a//b', base);
    assert.equal(u.searchParams.get('q'), 'a//b');
    assert.equal(requestUrl('http://example.com//services/data', base).pathname, '/services/data');
    assert.equal(requestUrl(undefined, base).pathname, '/');
    assert.equal(requestUrl('', base).pathname, '/');
  });
});
