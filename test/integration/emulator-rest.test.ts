import * as assert from 'node:assert/strict';
import { OAuth2 } from '@jsforce/jsforce-node';
import { AuthInfo, Connection } from '@salesforce/core';
import { Emulator, type EmulatedOrg } from '../emulator';
import { rawConnection } from './helpers/raw-connection';

/**
 * The emulator's REST API driven by the real @salesforce/core Connection (jsforce): auth, describe,
 * CRUD with validation, composite, SOQL with paging, tooling, conditional update, OAuth web login.
 */

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const fieldXml = (inner: string) => b64(`<fields xmlns="http://soap.sforce.com/2006/04/metadata">${inner}</fields>`);

/** Puts a custom object into the org as the Metadata API stores it (parent + one component per field). */
function deployChangeRequestObject(org: EmulatedOrg): void {
  const object = `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Change Request</label><pluralLabel>Change Requests</pluralLabel><nameField><label>Number</label><type>AutoNumber</type><displayFormat>CR-{00000}</displayFormat></nameField><deploymentStatus>Deployed</deploymentStatus><sharingModel>ReadWrite</sharingModel></CustomObject>`;
  const fields: Record<string, string> = {
    Title__c: '<fullName>Title__c</fullName><label>Title</label><type>Text</type><length>40</length><required>true</required>',
    Stage__c:
      '<fullName>Stage__c</fullName><label>Stage</label><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition><value><fullName>Draft</fullName><default>true</default><label>Draft</label></value><value><fullName>Done</fullName><default>false</default><label>Done</label></value></valueSetDefinition></valueSet>',
    Account__c: '<fullName>Account__c</fullName><label>Account</label><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Change_Requests</relationshipName>',
    Seq__c: '<fullName>Seq__c</fullName><label>Seq</label><type>Number</type><precision>6</precision><scale>0</scale>',
  };
  org.store.commitMetadata(
    [
      { type: 'CustomObject', fullName: 'Change_Request__c', files: { 'objects/Change_Request__c.object': b64(object) } },
      ...Object.entries(fields).map(([name, xml]) => ({ type: 'CustomField', fullName: `Change_Request__c.${name}`, files: { 'fragment.xml': fieldXml(xml) } })),
      { type: 'CustomField', fullName: 'Account.Tier__c', files: { 'fragment.xml': fieldXml('<fullName>Tier__c</fullName><label>Tier</label><type>Text</type><length>5</length>') } },
      // Fields deployed through the Metadata API are hidden until a profile or permission set grants them.
      {
        type: 'Profile',
        fullName: 'Admin',
        files: {
          'profiles/Admin.profile': b64(
            `<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata">${['Change_Request__c.Stage__c', 'Change_Request__c.Account__c', 'Change_Request__c.Seq__c', 'Account.Tier__c']
              .map((f) => `<fieldPermissions><editable>true</editable><field>${f}</field><readable>true</readable></fieldPermissions>`)
              .join('')}<custom>false</custom></Profile>`,
          ),
        },
      },
      {
        type: 'ApexClass',
        fullName: 'Greeter',
        files: {
          'classes/Greeter.cls': b64('public class Greeter { public static String hi() { return \'hi\'; } }'),
          'classes/Greeter.cls-meta.xml': b64('<?xml version="1.0"?><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>61.0</apiVersion><status>Active</status></ApexClass>'),
        },
      },
    ],
    [],
    org.admin.id,
  );
}


/** `create` through jsforce; fails the test unless it succeeded; returns the new id. */
async function createOne(c: Connection, type: string, rec: Record<string, unknown>): Promise<string> {
  const res = await c.sobject(type).create(rec);
  assert.equal(res.success, true, JSON.stringify(res));
  return res.id as string;
}

/** `retrieve` through jsforce, typed loosely (the tests read arbitrary fields). */
function retrieveAny(c: Connection, type: string, id: string, fields?: string[]): Promise<Record<string, any>> {
  return (c.sobject(type) as any).retrieve(id, fields ? { fields } : {});
}

async function rejectsWith(p: PromiseLike<unknown>, errorCode: string, pattern?: RegExp): Promise<void> {
  await assert.rejects(Promise.resolve(p), (e: any) => {
    assert.equal(e.errorCode ?? e.name, errorCode, `${e.errorCode ?? e.name}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('emulator REST API with the real @salesforce/core Connection', function () {
  this.timeout(60000);
  let emu: Emulator;
  let prod: EmulatedOrg;
  let conn: Connection;

  before(async () => {
    emu = await Emulator.start({ orgs: ['prod', 'dev'] });
    prod = emu.org('prod');
    deployChangeRequestObject(prod);
    conn = await rawConnection(prod);
  });
  after(async () => emu?.stop());
  afterEach(() => prod.faults.clear());

  it('authenticates with an access token: user, org, API version, not a Dev Hub', async () => {
    const authInfo = conn.getAuthInfo();
    assert.equal(authInfo.getUsername(), prod.admin.username);
    const fields = authInfo.getFields();
    assert.equal(fields.orgId, prod.store.identity.orgId);
    assert.equal(fields.isDevHub, false);
    assert.equal(conn.getApiVersion(), '62.0');
    const org = await conn.singleRecordQuery<{ IsSandbox: boolean; OrganizationType: string; TrialExpirationDate: null }>(
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization',
    );
    assert.deepEqual([org.IsSandbox, org.OrganizationType, org.TrialExpirationDate], [false, 'Enterprise Edition', null]);
    const dev = await rawConnection(emu.org('dev'));
    assert.equal((await dev.singleRecordQuery<{ IsSandbox: boolean }>('SELECT IsSandbox FROM Organization')).IsSandbox, true);
    const me = await conn.identity();
    assert.deepEqual([me.user_id, me.organization_id, me.username], [prod.admin.id, prod.store.identity.orgId, prod.admin.username]);
  });

  it('describes deployed custom objects and custom fields on standard objects', async () => {
    const global = await conn.describeGlobal();
    assert.ok(global.sobjects.some((s) => s.name === 'Change_Request__c' && s.custom));
    const d = await conn.sobject('Change_Request__c').describe();
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    assert.equal(byName.get('Title__c')?.length, 40);
    assert.equal(byName.get('Title__c')?.nillable, false);
    assert.deepEqual(byName.get('Stage__c')?.picklistValues?.map((p) => p.value), ['Draft', 'Done']);
    assert.deepEqual([byName.get('Account__c')?.referenceTo, byName.get('Account__c')?.relationshipName], [['Account'], 'Account__r']);
    const accountDescribe = await conn.sobject('Account').describe();
    assert.ok(accountDescribe.childRelationships.some((c) => c.childSObject === 'Change_Request__c' && c.relationshipName === 'Change_Requests__r'));
    assert.equal(byName.get('Name')?.autoNumber, true);
    assert.ok(accountDescribe.fields.some((f) => f.name === 'Tier__c'));
    await rejectsWith(conn.sobject('Nope__c').describe(), 'NOT_FOUND');
  });

  it('creates, retrieves, updates and deletes records with audit fields and auto-numbers', async () => {
    const accId = await createOne(conn, 'Account', { Name: 'Acme', Tier__c: 'Gold' });
    const crId = await createOne(conn, 'Change_Request__c', { Title__c: 'First', Account__c: accId });
    const got = await retrieveAny(conn, 'Change_Request__c', crId);
    assert.match(String(got.Name), /^CR-\d{5}$/);
    assert.equal(got.Stage__c, 'Draft');
    assert.equal(got.OwnerId, prod.admin.id);
    assert.equal(got.CreatedById, prod.admin.id);
    assert.match(String(got.CreatedDate), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    const secondId = await createOne(conn, 'Change_Request__c', { Title__c: 'Second' });
    const secondName = (await retrieveAny(conn, 'Change_Request__c', secondId)).Name as string;
    assert.equal(Number(secondName.slice(3)), Number(String(got.Name).slice(3)) + 1);

    await conn.sobject('Change_Request__c').update({ Id: crId, Stage__c: 'Done' });
    const after = await retrieveAny(conn, 'Change_Request__c', crId, ['Stage__c']);
    assert.equal(after.Stage__c, 'Done');
    assert.equal(after.Title__c, undefined, 'only the asked fields come back');

    await conn.sobject('Change_Request__c').destroy(secondId);
    await rejectsWith(retrieveAny(conn, 'Change_Request__c', secondId), 'ENTITY_IS_DELETED');
    const all = await conn.query(`SELECT Id, IsDeleted FROM Change_Request__c WHERE Id = '${secondId}'`, { scanAll: true });
    assert.deepEqual(all.records.map((r) => r.IsDeleted), [true], 'queryAll still sees the deleted record');
    assert.equal((await conn.query(`SELECT Id FROM Change_Request__c WHERE Id = '${secondId}'`)).totalSize, 0);
  });

  it('rejects invalid writes with Salesforce error codes', async () => {
    const cr = conn.sobject('Change_Request__c');
    await rejectsWith(cr.create({ Stage__c: 'Draft' }), 'REQUIRED_FIELD_MISSING', /Title__c/);
    await rejectsWith(cr.create({ Title__c: 'x', Stage__c: 'Shipped' }), 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    await rejectsWith(cr.create({ Title__c: 'x'.repeat(41) }), 'STRING_TOO_LONG');
    await rejectsWith(cr.create({ Title__c: 'x', Account__c: '001000000000000AAA' }), 'INVALID_CROSS_REFERENCE_KEY');
    await rejectsWith(cr.create({ Title__c: 'x', Bogus__c: 1 }), 'INVALID_FIELD', /No such column 'Bogus__c'/);
    await rejectsWith(cr.create({ Title__c: 'x', Name: 'CR-1' }), 'INVALID_FIELD_FOR_INSERT_UPDATE');
    await rejectsWith(cr.create({ Title__c: 'x', Seq__c: 1234567 }), 'NUMBER_OUTSIDE_VALID_RANGE');
    const bad = await fetch(`${prod.instanceUrl}/services/data/v62.0/sobjects/Account`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${prod.admin.accessToken}`, 'Content-Type': 'application/json' },
      body: '{"Name": ',
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as Array<{ errorCode: string }>)[0].errorCode, 'JSON_PARSER_ERROR');
    const put = await fetch(`${prod.instanceUrl}/services/data/v62.0/sobjects/Account`, { method: 'PUT', headers: { Authorization: `Bearer ${prod.admin.accessToken}` } });
    assert.equal(put.status, 405);
    const unknown = await fetch(`${prod.instanceUrl}/services/data/v62.0/nothing/here`, { headers: { Authorization: `Bearer ${prod.admin.accessToken}` } });
    assert.equal(unknown.status, 404);
  });

  it('writes arrays through composite/sobjects, honouring allOrNone', async () => {
    const cr = conn.sobject('Change_Request__c');
    const batch = [{ Title__c: 'A' }, { Title__c: 'B', Stage__c: 'Nope' }, { Title__c: 'C' }];
    const before = (await conn.query('SELECT COUNT() FROM Change_Request__c')).totalSize;
    const strict = await cr.create(batch, { allOrNone: true });
    assert.deepEqual(
      strict.map((r: any) => r.errors[0]?.statusCode),
      ['ALL_OR_NONE_OPERATION_ROLLED_BACK', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
    );
    assert.equal((await conn.query('SELECT COUNT() FROM Change_Request__c')).totalSize, before, 'nothing was created');
    const lenient = await cr.create(batch, { allOrNone: false });
    assert.deepEqual(lenient.map((r) => r.success), [true, false, true]);
    assert.equal((lenient[1] as any).errors[0].statusCode, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const ids = lenient.filter((r) => r.success).map((r) => r.id as string);
    const updated = await cr.update(ids.map((Id) => ({ Id, Stage__c: 'Done' })));
    assert.deepEqual(updated.map((r) => r.success), [true, true]);
    const fetched = (await (cr as any).retrieve(ids, { fields: ['Stage__c'] })) as any[];
    assert.deepEqual(fetched.map((r: any) => r.Stage__c), ['Done', 'Done']);
    const removed = await cr.destroy(ids);
    assert.deepEqual(removed.map((r) => r.success), [true, true]);
  });

  it('queries with parent relationships, ordering and paging through queryMore and autoFetch', async () => {
    const accId = await createOne(conn, 'Account', { Name: 'Paging Co' });
    const total = 450;
    for (let start = 0; start < total; start += 200) {
      const chunk = Array.from({ length: Math.min(200, total - start) }, (_, i) => ({ Title__c: `Bulk ${start + i}`, Seq__c: start + i, Account__c: accId }));
      const res = await conn.sobject('Change_Request__c').create(chunk, { allOrNone: true });
      assert.ok(res.every((r) => r.success));
    }
    const soql = `SELECT Name, Seq__c, Account__r.Name, Owner.Name, CreatedBy.Name FROM Change_Request__c WHERE Account__r.Name = 'Paging Co' ORDER BY Seq__c DESC`;
    const first = await conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=200' } } as any);
    assert.equal(first.totalSize, total);
    assert.equal(first.done, false);
    assert.equal(first.records.length, 200);
    assert.equal(first.records[0].Seq__c, total - 1);
    assert.deepEqual([(first.records[0] as any).Account__r.Name, (first.records[0] as any).Owner.Name, (first.records[0] as any).CreatedBy.Name], ['Paging Co', 'Ada Admin', 'Ada Admin']);
    const next = await conn.queryMore(first.nextRecordsUrl as string);
    assert.equal(next.records[0].Seq__c, total - 201);
    const everything = await conn.query(soql, { autoFetch: true, maxFetch: 10000, headers: { 'Sforce-Query-Options': 'batchSize=200' } } as any);
    assert.equal(everything.records.length, total);
    assert.deepEqual(new Set(everything.records.map((r) => r.Seq__c)).size, total);
    const page = await conn.query(`SELECT Seq__c FROM Change_Request__c WHERE Seq__c != null ORDER BY Seq__c LIMIT 3 OFFSET 10`);
    assert.deepEqual(page.records.map((r) => r.Seq__c), [10, 11, 12]);
  });

  it('answers SOQL errors as Salesforce does', async () => {
    await rejectsWith(conn.query('SELECT Id FROM ScratchOrgInfo limit 1'), 'INVALID_TYPE');
    await rejectsWith(conn.query('SELECT Id FROM Account WHERE'), 'MALFORMED_QUERY');
    await rejectsWith(conn.query('SELECT Nope__c FROM Account'), 'INVALID_FIELD');
    await rejectsWith(conn.query('SELECT Id FROM DeployRequest'), 'INVALID_TYPE', /DeployRequest/);
    const badLocator = await fetch(`${prod.instanceUrl}/services/data/v62.0/query/01gXYZ-2000`, { headers: { Authorization: `Bearer ${prod.admin.accessToken}` } });
    assert.equal(badLocator.status, 400);
  });

  it('serves tooling queries: DeployRequest history with CreatedBy.Name, ApexClass from metadata', async () => {
    const reviewer = prod.users[1];
    const table = prod.store.table('DeployRequest');
    const id = prod.store.ids.next('0Af');
    table.set(id, {
      Id: id,
      Status: 'Succeeded',
      CheckOnly: false,
      StartDate: '2025-03-01T10:00:00.000Z',
      CompletedDate: '2025-03-01T10:00:05.000Z',
      CreatedById: reviewer.id,
      CreatedDate: '2025-03-01T10:00:00.000Z',
      NumberComponentsDeployed: 3,
      NumberComponentsTotal: 3,
    });
    const res = await conn.tooling.query<any>('SELECT Id, Status, StartDate, CompletedDate, CreatedBy.Name, CheckOnly, NumberComponentsTotal FROM DeployRequest ORDER BY StartDate DESC');
    assert.equal(res.totalSize, 1);
    assert.deepEqual(
      [res.records[0].Status, res.records[0].CreatedBy.Name, res.records[0].CompletedDate, res.records[0].NumberComponentsTotal],
      ['Succeeded', reviewer.name, '2025-03-01T10:00:05.000+0000', 3],
    );
    const classes = await conn.tooling.query<any>("SELECT Id, Name, Body, ApiVersion, Status FROM ApexClass WHERE Name = 'Greeter'");
    assert.deepEqual([classes.records[0].ApiVersion, classes.records[0].Status], [61, 'Active']);
    assert.match(classes.records[0].Body, /public class Greeter/);
  });

  it('updates conditionally with If-Unmodified-Since and If-Match', async () => {
    const id = await createOne(conn, 'Account', { Name: 'Conditional' });
    const url = `/services/data/v62.0/sobjects/Account/${id}`;
    const rec = await retrieveAny(conn, 'Account', id);
    const modified = Date.parse(String(rec.LastModifiedDate).replace('+0000', 'Z'));
    const sameSecond = new Date(Math.floor(modified / 1000) * 1000).toUTCString();
    await conn.request({ method: 'PATCH', url, body: JSON.stringify({ Description: 'same second is not later' }), headers: { 'If-Unmodified-Since': sameSecond, 'Content-Type': 'application/json' } });
    assert.equal((await retrieveAny(conn, 'Account', id)).Description, 'same second is not later');
    const stale = new Date(modified - 60000).toUTCString();
    await rejectsWith(
      conn.request({ method: 'PATCH', url, body: JSON.stringify({ Description: 'lost update' }), headers: { 'If-Unmodified-Since': stale, 'Content-Type': 'application/json' } }),
      'PRECONDITION_FAILED',
    );
    await rejectsWith(
      conn.request({ method: 'PATCH', url, body: JSON.stringify({ Description: 'x' }), headers: { 'If-Match': '"stale-etag"', 'Content-Type': 'application/json' } }),
      'PRECONDITION_FAILED',
    );
    assert.equal((await retrieveAny(conn, 'Account', id)).Description, 'same second is not later');
    const head = await fetch(`${prod.instanceUrl}${url}`, { headers: { Authorization: `Bearer ${prod.admin.accessToken}` } });
    const tag = head.headers.get('etag') as string;
    const ok = await fetch(`${prod.instanceUrl}${url}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${prod.admin.accessToken}`, 'Content-Type': 'application/json', 'If-Match': tag },
      body: JSON.stringify({ Description: 'etag matched' }),
    });
    assert.equal(ok.status, 204);
    const again = await fetch(`${prod.instanceUrl}${url}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${prod.admin.accessToken}`, 'Content-Type': 'application/json', 'If-Match': tag },
      body: JSON.stringify({ Description: 'etag now stale' }),
    });
    assert.equal(again.status, 412);
  });

  it('sends ETags and honours If-Match for Account records only, as Salesforce does', async () => {
    const id = await createOne(conn, 'Change_Request__c', { Title__c: 'No ETag here' });
    const url = `${prod.instanceUrl}/services/data/v62.0/sobjects/Change_Request__c/${id}`;
    const auth = { Authorization: `Bearer ${prod.admin.accessToken}` };
    const got = await fetch(url, { headers: auth });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('etag'), null, 'no ETag on a custom object record');
    const patched = await fetch(url, { method: 'PATCH', headers: { ...auth, 'Content-Type': 'application/json', 'If-Match': '"stale-etag"' }, body: JSON.stringify({ Title__c: 'If-Match ignored' }) });
    assert.equal(patched.status, 204, 'If-Match has no effect outside Account');
    assert.equal((await retrieveAny(conn, 'Change_Request__c', id)).Title__c, 'If-Match ignored');
  });

  it("acts as the second user with that user's token", async () => {
    const reviewer = prod.users[1];
    const rconn = await rawConnection(prod, reviewer.accessToken);
    assert.equal(rconn.getUsername(), reviewer.username);
    const id = await createOne(rconn, 'Change_Request__c', { Title__c: 'By reviewer' });
    const [rec] = (await conn.query<any>(`SELECT CreatedBy.Name, Owner.Username FROM Change_Request__c WHERE Id = '${id}'`)).records;
    assert.deepEqual([rec.CreatedBy.Name, rec.Owner.Username], [reviewer.name, reviewer.username]);
    const users = await conn.query<any>('SELECT Username, Profile.Name FROM User ORDER BY Username');
    assert.deepEqual(users.records.map((u) => u.Profile.Name).sort(), ['Standard User', 'System Administrator']);
  });

  it('answers 401 INVALID_SESSION_ID when the session has expired', async () => {
    prod.faults.sessionExpired = true;
    await assert.rejects(Promise.resolve(conn.query('SELECT Id FROM Account')), (e: any) => {
      assert.equal(e.errorCode, 'INVALID_SESSION_ID');
      return true;
    });
    const raw = await fetch(`${prod.instanceUrl}/services/data/v62.0/sobjects`, { headers: { Authorization: `Bearer ${prod.admin.accessToken}` } });
    assert.equal(raw.status, 401);
    prod.faults.sessionExpired = false;
    assert.ok((await conn.query('SELECT Id FROM Account')).totalSize >= 1);
  });

  it('logs in through the OAuth web-server flow (PKCE) and refreshes the token', async () => {
    const dev = emu.org('dev');
    const reviewer = dev.users[1];
    const oauthConfig = { loginUrl: dev.instanceUrl, clientId: 'PlatformCLI', redirectUri: 'http://localhost:1717/OauthRedirect' };
    const oauth2 = new OAuth2({ ...oauthConfig, useVerifier: true });
    const authUrl = AuthInfo.getAuthorizationUrl({ ...oauthConfig, state: 'st4te' } as any, oauth2 as any);
    const redirect = await fetch(`${authUrl}&login_hint=${encodeURIComponent(reviewer.username)}`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.get('location') as string);
    assert.equal(`${location.origin}${location.pathname}`, oauthConfig.redirectUri);
    assert.equal(location.searchParams.get('state'), 'st4te');
    const authCode = location.searchParams.get('code') as string;
    const authInfo = await AuthInfo.create({ oauth2Options: { ...oauthConfig, authCode }, oauth2: oauth2 as any });
    assert.equal(authInfo.getUsername(), reviewer.username);
    const fields = authInfo.getFields(true);
    assert.equal(fields.accessToken, reviewer.accessToken);
    assert.ok(fields.refreshToken);
    await authInfo.save();
    const webConn = await Connection.create({ authInfo });
    assert.equal((await webConn.identity()).user_id, reviewer.id);

    // The code is single-use; the refresh token gets a new access token.
    await assert.rejects(AuthInfo.create({ oauth2Options: { ...oauthConfig, authCode }, oauth2: oauth2 as any }), /invalid authorization code|invalid_grant/);
    const refreshed = await new OAuth2(oauthConfig).refreshToken(fields.refreshToken as string);
    assert.equal(refreshed.access_token, reviewer.accessToken);
    await assert.rejects(new OAuth2(oauthConfig).refreshToken('5Aep861bogus'), /expired access\/refresh token/);
  });

  it('rejects a token exchange with the wrong PKCE verifier', async () => {
    const dev = emu.org('dev');
    const oauthConfig = { loginUrl: dev.instanceUrl, clientId: 'PlatformCLI', redirectUri: 'http://localhost:1717/OauthRedirect' };
    const real = new OAuth2({ ...oauthConfig, useVerifier: true });
    const redirect = await fetch(real.getAuthorizationUrl({}), { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location') as string).searchParams.get('code') as string;
    const impostor = new OAuth2({ ...oauthConfig, useVerifier: true });
    await assert.rejects(impostor.requestToken(code), /invalid code verifier/);
  });

  it('answers bad REST and OAuth input with clear errors', async () => {
    const auth = { Authorization: `Bearer ${prod.admin.accessToken}`, 'Content-Type': 'application/json' };
    const api = `${prod.instanceUrl}/services/data/v62.0`;
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${path.startsWith('http') ? '' : api}${path}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const tooMany = Array.from({ length: 201 }, () => ({ attributes: { type: 'Account' }, Name: 'x' }));
    const big = await call('/composite/sobjects', { method: 'POST', body: JSON.stringify({ records: tooMany }) });
    assert.deepEqual([big.status, big.body[0].errorCode], [400, 'EXCEEDED_ID_LIMIT']);
    const notAList = await call('/composite/sobjects', { method: 'POST', body: JSON.stringify({ records: 'nope' }) });
    assert.deepEqual([notAList.status, notAList.body[0].errorCode], [400, 'JSON_PARSER_ERROR']);
    const user = await call('/sobjects/User', { method: 'POST', body: JSON.stringify({ Username: 'x@y.z' }) });
    assert.deepEqual([user.status, user.body[0].errorCode], [400, 'INVALID_TYPE_FOR_OPERATION']);
    const me = await call(`/sobjects/User/${prod.admin.id}`);
    assert.equal(me.body.Username, prod.admin.username);
    const arrayBody = await call('/sobjects/Account', { method: 'POST', body: '[1,2]' });
    assert.deepEqual([arrayBody.status, arrayBody.body[0].errorCode], [400, 'JSON_PARSER_ERROR']);
    const noQuery = await call('/query');
    assert.deepEqual([noQuery.status, noQuery.body[0].errorCode], [400, 'MALFORMED_QUERY']);
    const noDeploy = await call('/metadata/deployRequest/0AfA00000000000AAA?includeDetails=true');
    assert.equal(noDeploy.status, 404);

    const token = await fetch(`${prod.instanceUrl}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
    assert.deepEqual([token.status, ((await token.json()) as { error: string }).error], [400, 'unsupported_grant_type']);
    const badCode = await fetch(`${prod.instanceUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=bogus&client_id=PlatformCLI&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect',
    });
    assert.deepEqual([badCode.status, await badCode.json()], [400, { error: 'invalid_grant', error_description: 'invalid authorization code' }]);
    const noRedirect = await fetch(`${prod.instanceUrl}/services/oauth2/authorize?response_type=code&client_id=PlatformCLI`, { redirect: 'manual' });
    assert.equal(noRedirect.status, 400);
    const unauth = await fetch(`${prod.instanceUrl}/services/oauth2/userinfo`);
    assert.equal(unauth.status, 401);
  });

  it('lists API versions up to the org version', async () => {
    const res = await fetch(`${prod.instanceUrl}/services/data`);
    const versions = (await res.json()) as Array<{ version: string; label: string }>;
    assert.equal(versions[versions.length - 1].version, '62.0');
    assert.equal(versions[versions.length - 1].label, "Winter '25");
    const tooNew = await fetch(`${prod.instanceUrl}/services/data/v63.0/sobjects`, { headers: { Authorization: `Bearer ${prod.admin.accessToken}` } });
    assert.equal(tooNew.status, 404);
  });
});
