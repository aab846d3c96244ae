import * as assert from 'node:assert/strict';
import { AuthInfo, Connection } from '@salesforce/core';
import { Emulator, type EmulatedOrg } from '../emulator';

/**
 * Wire details clients depend on: an instance URL kept with a trailing slash (as the sf CLI stores
 * it) makes `//services/…` paths, which an org serves like single-slash ones; and the sf CLI's
 * `data query` asks `query?…&columns=true` for the column metadata before it prints rows.
 */
describe('emulator wire: doubled slashes and query column metadata', function () {
  this.timeout(30000);
  let emu: Emulator;
  let dev: EmulatedOrg;

  before(async () => {
    emu = await Emulator.start({ orgs: ['dev'], settings: { jobStepMs: 20 } });
    dev = emu.org('dev');
  });
  after(async () => emu?.stop());

  const get = (path: string) => fetch(`${dev.instanceUrl}${path}`, { headers: { Authorization: `Bearer ${dev.admin.accessToken}` } });

  it('serves //services/data and //services/Soap paths as a real org does', async () => {
    const versions = await get('//services/data');
    assert.equal(versions.status, 200);
    assert.ok(((await versions.json()) as Array<{ version: string }>).some((v) => v.version === '62.0'));
    const q = await get("//services/data/v62.0//query?q=SELECT+Id,Username+FROM+User+WHERE+Username='" + encodeURIComponent(dev.admin.username) + "'");
    assert.equal(q.status, 200);
    assert.equal(((await q.json()) as { totalSize: number }).totalSize, 1);

    // A Connection whose instance URL ends in a slash: every REST and SOAP call path starts with //.
    const slashed = `${dev.instanceUrl}/`;
    const authInfo = await AuthInfo.create({ accessTokenOptions: { accessToken: dev.admin.accessToken, instanceUrl: slashed, loginUrl: slashed } });
    const conn = await Connection.create({ authInfo });
    const users = await conn.query<{ Id: string }>('SELECT Id FROM User');
    assert.equal(users.totalSize, dev.users.length);
    const described = await conn.metadata.describe('62.0');
    assert.ok(described.metadataObjects.some((o) => o.xmlName === 'ApexClass'));
  });

  it('answers columns=true on the data and Tooling query resources with the column metadata', async () => {
    const soql = encodeURIComponent('SELECT Id, Status, CreatedBy.Name, NumberComponentsTotal FROM DeployRequest');
    const res = await get(`/services/data/v62.0/tooling/query?q=${soql}&columns=true`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { entityName: string; idSelected: boolean; columnMetadata: Array<Record<string, any>> };
    assert.equal(body.entityName, 'DeployRequest');
    assert.equal(body.idSelected, true);
    assert.deepEqual(body.columnMetadata.map((c) => c.columnName), ['Id', 'Status', 'CreatedBy', 'NumberComponentsTotal']);
    assert.equal(body.columnMetadata[2].joinColumns[0].displayName, 'CreatedBy.Name');
    assert.equal(body.columnMetadata[3].numberType, true);
    const bad = await get(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Nope FROM User')}&columns=true`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as Array<{ errorCode: string }>)[0].errorCode, 'INVALID_FIELD');
  });
});
