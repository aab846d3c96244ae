/**
 * Salesforce Files in the emulator, through the real Salesforce layer (jsforce over HTTP):
 * ContentVersion inserts create and version their ContentDocument, link it to the record named by
 * FirstPublishLocationId, serve VersionData as bytes; who sees a file; what a delete takes along;
 * and the query restriction on ContentDocumentLink, as Salesforce documents them.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as salesforce from '../../src/salesforce';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

describe('emulator: Salesforce Files (ContentVersion, ContentDocument, ContentDocumentLink)', function () {
  this.timeout(60_000);
  let env: StartedEmulator;
  let reviewerConn: salesforce.OrgConnection;
  let adminId: string;
  let reviewerId: string;
  const conn = () => env.conns.files!;

  before(async () => {
    env = await startEmulator({ orgs: ['files'], aliasPrefix: 'emu-content-' });
    const users = env.org('files').info().users;
    adminId = users.find((u) => u.isAdmin)!.id;
    const rev = users.find((u) => !u.isAdmin)!;
    reviewerId = rev.id;
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: rev.accessToken, instanceUrl: env.org('files').instanceUrl, alias: 'emu-content-reviewer' });
  });
  after(async () => {
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it('a version published to a record creates the file, links it to the record and its owner, and serves its bytes', async () => {
    const account = await salesforce.createRecord(conn(), 'Account', { Name: 'Files Inc' });
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13, 0x50, 0x4b]);
    const versionId = await salesforce.createRecord(conn(), 'ContentVersion', { Title: 'pkg', PathOnClient: 'pkg.zip', VersionData: bytes.toString('base64'), FirstPublishLocationId: account });
    const [v] = await salesforce.query(conn(), `SELECT ContentDocumentId, VersionNumber, IsLatest, ContentSize, Checksum, FileExtension, VersionData FROM ContentVersion WHERE Id = '${versionId}'`);
    assert.match(String(v.ContentDocumentId), /^069/);
    assert.deepEqual([v.VersionNumber, v.IsLatest, v.ContentSize, v.FileExtension], ['1', true, bytes.length, 'zip']);
    assert.equal(v.Checksum, createHash('md5').update(bytes).digest('hex'));
    assert.match(String(v.VersionData), new RegExp(`^/services/data/v\\d+\\.0/sobjects/ContentVersion/${versionId}/VersionData$`), 'a query gives the URL of the bytes, not the bytes');
    const links = await salesforce.query(conn(), `SELECT LinkedEntityId, ShareType FROM ContentDocumentLink WHERE ContentDocumentId = '${String(v.ContentDocumentId)}'`);
    assert.deepEqual(links.map((l) => l.LinkedEntityId).sort(), [account, adminId].sort());
    assert.deepEqual(await salesforce.filesOf(conn(), account), [v.ContentDocumentId]);
    assert.ok(Buffer.from(await salesforce.readStoredPackage(conn(), String(v.ContentDocumentId))).equals(bytes));
  });

  it('refuses a version without its bytes or file name, and a link query without an id filter', async () => {
    const e = await rejection(salesforce.createRecord(conn(), 'ContentVersion', { Title: 'no name', VersionData: Buffer.from('x').toString('base64') }));
    assert.match(e.message, /Required fields are missing: \[PathOnClient\]/);
    const q = await rejection(salesforce.query(conn(), 'SELECT Id FROM ContentDocumentLink'));
    assert.match(q.message, /Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId/);
  });

  it('a new version of a file becomes its latest; readStoredPackage reads the latest', async () => {
    const account = await salesforce.createRecord(conn(), 'Account', { Name: 'Versions Ltd' });
    const first = await salesforce.storePackage(conn(), account, Buffer.from('first package'), 'DEP-00001-package');
    const second = await salesforce.storePackage(conn(), account, Buffer.from('second, longer package'), 'DEP-00001-package', first.contentDocumentId);
    assert.equal(second.contentDocumentId, first.contentDocumentId, 'the same file');
    const versions = await salesforce.query(conn(), `SELECT Id, VersionNumber, IsLatest FROM ContentVersion WHERE ContentDocumentId = '${first.contentDocumentId}' ORDER BY VersionNumber`);
    assert.deepEqual(versions.map((r) => [r.VersionNumber, r.IsLatest]), [['1', false], ['2', true]]);
    assert.equal(Buffer.from(await salesforce.readStoredPackage(conn(), first.contentDocumentId)).toString(), 'second, longer package');
    assert.deepEqual(await salesforce.filesOf(conn(), account), [first.contentDocumentId], 'still one file linked to the record');
  });

  it('a user sees the files linked to records and those shared with them, not the private files of others', async () => {
    const priv = await salesforce.createRecord(conn(), 'ContentVersion', { PathOnClient: 'private.txt', VersionData: Buffer.from('mine').toString('base64') });
    const [p] = await salesforce.query(conn(), `SELECT ContentDocumentId FROM ContentVersion WHERE Id = '${priv}'`);
    assert.equal((await salesforce.query(reviewerConn, `SELECT Id FROM ContentVersion WHERE Id = '${priv}'`)).length, 0);
    const e = await rejection(salesforce.readStoredPackage(reviewerConn, String(p.ContentDocumentId)));
    assert.equal(e.kind, 'not-found');
    await salesforce.createRecord(conn(), 'ContentDocumentLink', { ContentDocumentId: p.ContentDocumentId, LinkedEntityId: reviewerId, ShareType: 'V' });
    assert.equal(Buffer.from(await salesforce.readStoredPackage(reviewerConn, String(p.ContentDocumentId))).toString(), 'mine');
  });

  it('deleting a record removes its links; deleting the file removes its versions and links', async () => {
    const account = await salesforce.createRecord(conn(), 'Account', { Name: 'Short-lived' });
    const stored = await salesforce.storePackage(conn(), account, Buffer.from('zip bytes'), 'gone');
    await salesforce.deleteRecord(conn(), 'Account', account);
    const links = await salesforce.query(conn(), `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${stored.contentDocumentId}'`);
    assert.deepEqual(links.map((l) => l.LinkedEntityId), [adminId], 'only the owner link is left');
    await salesforce.deleteRecord(conn(), 'ContentDocument', stored.contentDocumentId);
    assert.equal((await salesforce.query(conn(), `SELECT Id FROM ContentVersion WHERE ContentDocumentId = '${stored.contentDocumentId}'`)).length, 0);
    assert.equal((await salesforce.query(conn(), `SELECT Id FROM ContentDocumentLink WHERE ContentDocumentId = '${stored.contentDocumentId}'`)).length, 0);
    const e = await rejection(salesforce.readStoredPackage(conn(), stored.contentDocumentId));
    assert.equal(e.kind, 'not-found');
  });
});
