import * as assert from 'node:assert/strict';
import {
  authorizeWithToken,
  createRecord,
  createRecords,
  deleteRecord,
  getRecord,
  query,
  queryPage,
  removeAuthorization,
  toolingQuery,
  updateIfUnmodifiedSince,
  updateRecord,
  updateRecords,
} from '../../src/salesforce';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

/** Records through the real @salesforce/core Connection (jsforce REST) against the emulator. */
describe('salesforce layer: records', function () {
  this.timeout(120_000);
  let env: StartedEmulator;

  before(async () => {
    env = await startEmulator({ orgs: ['dev'], aliasPrefix: 'rec-' });
  });
  after(async () => env?.stop());

  const conn = () => env.conns.dev;

  it('creates, reads, updates and deletes a record', async () => {
    const id = await createRecord(conn(), 'Account', { Name: 'Acme' });
    assert.match(id, /^001\w{15}$/);
    const rec = await getRecord<{ Id: string; Name: string; attributes?: unknown }>(conn(), 'Account', id, ['Id', 'Name']);
    assert.equal(rec.Name, 'Acme');
    assert.equal(rec.attributes, undefined, 'plain record, no jsforce attributes');
    await updateRecord(conn(), 'Account', id, { Name: 'Acme Ltd' });
    assert.equal((await getRecord<{ Name: string }>(conn(), 'Account', id, ['Name'])).Name, 'Acme Ltd');
    await deleteRecord(conn(), 'Account', id);
    const gone = await rejection(getRecord(conn(), 'Account', id));
    assert.equal(gone.kind, 'not-found');
  });

  it('rejects bad input and invalid fields clearly', async () => {
    assert.equal((await rejection(getRecord(conn(), 'Account', 'x'))).kind, 'invalid-request');
    assert.equal((await rejection(createRecord(conn(), 'Bad Name', {}))).kind, 'invalid-request');
    const e = await rejection(createRecord(conn(), 'Account', { Name: 'A', No_Such_Field__c: 1 }));
    assert.equal(e.kind, 'invalid-request');
    assert.match(e.message, /No_Such_Field__c/);
    assert.equal((await rejection(queryPage(conn(), 'SELEC nonsense'))).kind, 'invalid-request');
  });

  it('creates and updates in composite batches of 200, and pages a query past 2000 records', async () => {
    const rows = Array.from({ length: 2150 }, (_, i) => ({ Name: `Bulk ${String(i).padStart(4, '0')}` }));
    const created = await createRecords(conn(), 'Account', rows);
    assert.equal(created.length, 2150);
    assert.ok(created.every((r) => r.success && r.id));

    const pages: number[] = [];
    const all = await query<{ Id: string; Name: string }>(conn(), "SELECT Id, Name FROM Account WHERE Name LIKE 'Bulk %' ORDER BY Name", {
      onPage: (p) => pages.push(p.records.length),
    });
    assert.equal(all.length, 2150);
    assert.ok(pages.length >= 2, `pages ${pages.join(',')}`);
    assert.equal(all[2149].Name, 'Bulk 2149');
    assert.equal(new Set(all.map((r) => r.Id)).size, 2150);

    const first = await queryPage(conn(), "SELECT Id FROM Account WHERE Name LIKE 'Bulk %'", { batchSize: 500 });
    assert.equal(first.totalSize, 2150);
    assert.equal(first.done, false);
    assert.equal(first.records.length, 500);
    assert.ok(first.nextRecordsUrl);
    const second = await queryPage(conn(), first.nextRecordsUrl);
    assert.equal(second.records.length, 500);
    assert.ok(!second.records.some((r) => first.records.some((f) => f.Id === r.Id)));

    const updates = all.slice(0, 450).map((r) => ({ Id: r.Id, Name: `${r.Name} updated` }));
    const updated = await updateRecords(conn(), 'Account', updates);
    assert.equal(updated.filter((u) => u.success).length, 450);
    const check = await query(conn(), "SELECT Id FROM Account WHERE Name LIKE '% updated'");
    assert.equal(check.length, 450);

    const mixed = await createRecords(conn(), 'Account', [{ Name: 'Fine' }, { Name: 'Bad', No_Such_Field__c: 1 }]);
    assert.equal(mixed[0].success, true);
    assert.equal(mixed[1].success, false);
    assert.ok(mixed[1].errors.length > 0);
  });

  it('queries the Tooling API', async () => {
    const rows = await toolingQuery<{ Id: string; Name: string }>(conn(), 'SELECT Id, Name FROM ApexClass');
    assert.ok(Array.isArray(rows));
    assert.deepEqual(rows.map((r) => r.Name).sort(), env.org('dev').store.listComponents('ApexClass').map((c) => c.fullName).sort());
  });

  it('refuses a conditional update when another user changed the record since it was read', async () => {
    const id = await createRecord(conn(), 'Account', { Name: 'Shared' });
    // The copy was read a second before the second user's edit (If-Unmodified-Since is an HTTP
    // date, second precision; two writes within one second are told apart by a version rule, see
    // tracking.test.ts).
    const created = await getRecord<{ LastModifiedDate: string }>(conn(), 'Account', id, ['LastModifiedDate']);
    const read = { LastModifiedDate: new Date(Date.parse(created.LastModifiedDate) - 1000).toISOString() };
    const reviewer = env.org('dev').info().users.find((u) => !u.isAdmin)!;
    const other = await authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'rec-reviewer' });
    await updateRecord(other, 'Account', id, { Name: 'Changed by reviewer' });

    const e = await rejection(updateIfUnmodifiedSince(conn(), 'Account', id, { Name: 'Mine' }, read.LastModifiedDate));
    assert.equal(e.kind, 'conflict');
    assert.match(e.message, /changed .* by someone else/);
    assert.equal((await getRecord<{ Name: string }>(conn(), 'Account', id, ['Name'])).Name, 'Changed by reviewer');

    // With the fresh date, the update goes through.
    const fresh = await getRecord<{ LastModifiedDate: string }>(conn(), 'Account', id, ['LastModifiedDate']);
    await updateIfUnmodifiedSince(conn(), 'Account', id, { Name: 'Mine' }, fresh.LastModifiedDate);
    assert.equal((await getRecord<{ Name: string }>(conn(), 'Account', id, ['Name'])).Name, 'Mine');
    await removeAuthorization(other.username);
  });
});
