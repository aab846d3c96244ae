import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, editRequest } from '../../src/core/change-requests';
import {
  authorizeWithToken,
  createRecords,
  defaultTrackingFolder,
  getChangeRequest,
  grantTrackingAccess,
  installTracking,
  listChangeRequests,
  removeAuthorization,
  trackingStatus,
  trackingStore,
  TRACKING_SCHEMA_VERSION,
} from '../../src/salesforce';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

/** A copy of the shipped schema whose version carrier says `version`. */
function schemaAt(version: number, without: string[] = [], keepPermissionSet = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trk-v${version}-`));
  fs.cpSync(defaultTrackingFolder(), dir, { recursive: true });
  const f = path.join(dir, 'objects', 'Changeline_Change_Request__c', 'fields', 'Schema_Version__c.field-meta.xml');
  for (const field of without) fs.rmSync(path.join(dir, 'objects', 'Changeline_Change_Request__c', 'fields', `${field}.field-meta.xml`));
  // Rules came with version 3 (Version_Must_Advance on Version__c).
  if (version < 3) fs.rmSync(path.join(dir, 'objects', 'Changeline_Change_Request__c', 'validationRules'), { recursive: true, force: true });
  const ps = path.join(dir, 'permissionsets', 'Changeline_Tracking.permissionset-meta.xml');
  if (keepPermissionSet) {
    // Without the grants of the fields it lacks (an org refuses grants of unknown fields).
    const grant = (f: string) => new RegExp(`\\s*<fieldPermissions>\\s*<editable>\\w+</editable>\\s*<field>Changeline_Change_Request__c\\.${f}</field>[\\s\\S]*?</fieldPermissions>`);
    fs.writeFileSync(ps, without.reduce((xml, f) => xml.replace(grant(f), ''), fs.readFileSync(ps, 'utf8')));
  } else fs.rmSync(path.join(dir, 'permissionsets'), { recursive: true, force: true });
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/<defaultValue>\d+<\/defaultValue>/, `<defaultValue>${version}</defaultValue>`));
  return dir;
}

describe('tracking schema: upgrades and paging (emulated sandbox)', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  const dirs: string[] = [];
  const conn = () => env.conns.qa!;

  before(async () => {
    env = await startEmulator({ orgs: ['qa', 'old'], aliasPrefix: 'trku-' });
  });
  after(async () => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await env?.stop();
  });

  it('an older installed schema offers an upgrade, and installing upgrades it', async () => {
    // Version 1 as shipped: without the sync fields version 2 added.
    const old = schemaAt(1, ['Origin_Number__c', 'Origin_Environment__c', 'Sync_Base__c', 'Version__c']);
    dirs.push(old);
    await installTracking(conn(), { folder: old, pollMs: 20 });
    const before = await trackingStatus(conn());
    assert.equal(before.installed, true);
    assert.ok((before.version ?? 0) < TRACKING_SCHEMA_VERSION);
    assert.equal(before.upgradeAvailable, true);
    // This release reads a field the older schema lacks: the user is told to upgrade.
    const e = await rejection(listChangeRequests(conn()));
    assert.equal(e.kind, 'invalid-request');
    assert.match(e.message, /change tracking in "trku-qa" is older than this Changeline, or your user lacks its Changeline_Tracking permission set: install change tracking again/);

    await installTracking(conn(), { pollMs: 20 });
    assert.equal((await listChangeRequests(conn())).totalSize, 0, 'readable after the upgrade');
    assert.deepEqual(await trackingStatus(conn()), { installed: true, version: TRACKING_SCHEMA_VERSION, upgradeAvailable: false, shipped: TRACKING_SCHEMA_VERSION });
    // Installing again changes nothing.
    await installTracking(conn(), { pollMs: 20 });
    assert.equal((await trackingStatus(conn())).version, TRACKING_SCHEMA_VERSION);
  });

  it('an org on version 2 (no record versions) is told to upgrade; its change requests then save with versions, and a stale save conflicts', async () => {
    const old = env.conns.old!;
    const v2 = schemaAt(2, ['Version__c'], true);
    assert.ok(!fs.readFileSync(path.join(v2, 'permissionsets', 'Changeline_Tracking.permissionset-meta.xml'), 'utf8').includes('Changeline_Change_Request__c.Version__c<'));
    dirs.push(v2);
    await installTracking(old, { folder: v2, pollMs: 20 });
    const before = await trackingStatus(old);
    assert.deepEqual([before.version, before.upgradeAvailable], [2, true]);
    const e = await rejection(listChangeRequests(old));
    assert.match(e.message, /change tracking in "trku-old" is older than this Changeline, .*install change tracking again/);
    // A CR saved by the earlier release: no version.
    const [made] = await createRecords(old, 'Changeline_Change_Request__c', [{ Title__c: 'Saved before versions', Status__c: 'Draft', Customizations__c: '[]', Proposed_Customizations__c: '[]' }]);
    assert.ok(made.success);

    await installTracking(old, { pollMs: 20 });
    assert.equal((await trackingStatus(old)).upgradeAvailable, false);
    const users = env.org('old').info().users;
    const admin = users.find((u) => u.isAdmin)!;
    const reviewer = users.find((u) => !u.isAdmin)!;
    await grantTrackingAccess(old, [reviewer.id]);
    const reviewerConn = await authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('old').instanceUrl, alias: 'trku-old-reviewer' });
    try {
      const read = await getChangeRequest(old, made.id!);
      assert.equal(read.version, 0, 'a record from before versions reads as version 0');
      const first = await editRequest({ store: trackingStore(reviewerConn), actor: { userId: reviewer.id } }, await getChangeRequest(reviewerConn, made.id!), { overview: 'first' });
      assert.ok(first.ok);
      assert.equal(first.cr.version, 1);
      const stale = await changeStatus({ store: trackingStore(old), actor: { userId: admin.id } }, read, 'Cancelled');
      assert.equal(stale.ok, false);
      assert.match((stale as { reason: string }).reason, /was changed by someone else meanwhile/);
      assert.equal((await getChangeRequest(old, made.id!)).status, 'Draft', 'the stale save wrote nothing');
    } finally {
      await removeAuthorization(reviewerConn.username).catch(() => undefined);
    }
  });

  it('refuses to downgrade an org with a newer schema, saying what to do', async () => {
    const newer = schemaAt(TRACKING_SCHEMA_VERSION + 1);
    dirs.push(newer);
    await installTracking(conn(), { folder: newer, pollMs: 20 });
    const e = await rejection(installTracking(conn(), { pollMs: 20 }));
    assert.equal(e.kind, 'invalid-request');
    assert.match(e.message, new RegExp(`version ${TRACKING_SCHEMA_VERSION + 1}, newer than this Changeline's \\(${TRACKING_SCHEMA_VERSION}\\); update Changeline`));
    assert.equal((await trackingStatus(conn())).version, TRACKING_SCHEMA_VERSION + 1, 'nothing deployed');
  });

  it('an install cancelled before it starts is reported as cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(installTracking(conn(), { signal: ac.signal }));
    assert.equal(e.kind, 'cancelled');
  });

  it('lists many change requests page by page', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => ({ Title__c: `Bulk ${i}`, Status__c: 'Draft', Customizations__c: '[]', Proposed_Customizations__c: '[]' }));
    const res = await createRecords(conn(), 'Changeline_Change_Request__c', rows, { allOrNone: true });
    assert.ok(res.every((r) => r.success));
    const names = new Set<string>();
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await listChangeRequests(conn(), { next, pageSize: 200 });
      assert.equal(page.totalSize, 450);
      for (const c of page.items) names.add(c.name);
      next = page.next;
      pages++;
    } while (next && pages < 10);
    assert.equal(names.size, 450);
    assert.ok(pages >= 3, `${pages} pages`);
  });
});
