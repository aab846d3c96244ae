import * as assert from 'node:assert/strict';
import {
  appendHistory,
  authorizeWithToken,
  createChangeRequest,
  getChangeRequest,
  grantTrackingAccess,
  installTracking,
  listChangeRequests,
  readHistory,
  removeAuthorization,
  trackingStatus,
  trackingStore,
  updateChangeRequest,
  updateRecord,
  TRACKING_SCHEMA_VERSION,
  type OrgConnection,
} from '../../src/salesforce';
import { applyEdit, changeStatus, createRequest, editRequest, entriesForChange, newDraft, resolve, saveResolution, threeWay, transition, verifyChain } from '../../src/core/change-requests';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

/** The tracking schema installed through the real deploy path (SDR) and CRs stored through jsforce REST. */
describe('tracking schema and change request repository (emulated sandbox)', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let reviewerConn: OrgConnection;
  const conn = () => env.conns.uat!;
  const admin = () => env.org('uat').info().users.find((u) => u.isAdmin)!;
  const reviewer = () => env.org('uat').info().users.find((u) => !u.isAdmin)!;
  const now = () => new Date().toISOString();

  before(async () => {
    env = await startEmulator({ orgs: ['uat'], aliasPrefix: 'trk-' });
  });
  after(async () => {
    if (reviewerConn) await removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it('reports an org without the schema as not installed, then installs it through a deploy', async () => {
    const before = await trackingStatus(conn());
    assert.deepEqual(before, { installed: false, upgradeAvailable: true, shipped: TRACKING_SCHEMA_VERSION });
    // Without the schema, the repository says what to do.
    for (const call of [() => listChangeRequests(conn()), () => createChangeRequest(conn(), newDraft({ name: 'x' }))]) {
      const refused = await rejection(call());
      assert.equal(refused.kind, 'not-found');
      assert.match(refused.message, /Change requests are not set up in "trk-uat": install Changeline's change tracking there first/);
    }

    const progress: string[] = [];
    const result = await installTracking(conn(), { pollMs: 20, onProgress: (p) => progress.push(p.status) });
    assert.equal(result.success, true);
    const deployed = result.successes.map((s) => `${s.type}:${s.fullName}`);
    for (const c of ['PermissionSet:Changeline_Tracking', 'CustomObject:Changeline_Change_Request__c', 'CustomObject:Changeline_CR_History__c', 'CustomObject:Changeline_Deployment__c', 'CustomField:Changeline_CR_History__c.Hash__c']) {
      assert.ok(deployed.includes(c), `${c} deployed`);
    }
    assert.ok(progress.length > 0, 'progress reported');

    const after = await trackingStatus(conn());
    assert.deepEqual(after, { installed: true, version: TRACKING_SCHEMA_VERSION, upgradeAvailable: false, shipped: TRACKING_SCHEMA_VERSION });
  });

  it('creates a change request and reads it back with its auto-number', async () => {
    const draft = newDraft({
      name: 'Greeting on the home page',
      changeType: 'Feature',
      overview: 'Users asked for it.',
      customizations: [{ type: 'ApexClass', fullName: 'Greeter' }],
      proposedCustomizations: [{ type: 'Flow', fullName: 'Onboarding' }],
      approvers: [reviewer().id],
    });
    const saved = await createChangeRequest(conn(), draft);
    assert.match(saved.number ?? '', /^CR-\d{5}$/);
    assert.match(saved.id ?? '', /^\w{18}$/);
    const read = await getChangeRequest(conn(), saved.id!);
    assert.equal(read.name, 'Greeting on the home page');
    assert.equal(read.status, 'Draft');
    assert.deepEqual(read.customizations, [{ type: 'ApexClass', fullName: 'Greeter' }]);
    assert.deepEqual(read.proposedCustomizations, [{ type: 'Flow', fullName: 'Onboarding' }]);
    assert.deepEqual(read.approvers, [reviewer().id]);
    assert.equal(read.createdBy, admin().id);
    assert.ok(read.lastModified);

    const missing = await rejection(getChangeRequest(conn(), `${saved.id!.slice(0, 14)}9`));
    assert.equal(missing.kind, 'not-found');
    const bad = await rejection(getChangeRequest(conn(), "x' OR Name != '"));
    assert.equal(bad.kind, 'invalid-request');
  });

  it('refuses approvers who are not users of the org', async () => {
    const stranger = '005000000000099AAA';
    const e = await rejection(createChangeRequest(conn(), newDraft({ name: 'Bad approver', approvers: [reviewer().id, stranger] })));
    assert.equal(e.kind, 'invalid-request');
    assert.match(e.message, new RegExp(`${stranger} is not an active user of "trk-uat"; choose approvers among its users`));
    assert.equal((await listChangeRequests(conn())).totalSize, 1, 'nothing saved');
  });

  it('lists change requests with their numbers', async () => {
    await createChangeRequest(conn(), newDraft({ name: 'Second' }));
    await createChangeRequest(conn(), newDraft({ name: 'Third' }));
    const page = await listChangeRequests(conn());
    assert.equal(page.totalSize, 3);
    assert.deepEqual(page.items.map((c) => c.name).sort(), ['Greeting on the home page', 'Second', 'Third']);
    assert.equal(new Set(page.items.map((c) => c.number)).size, 3, 'distinct auto-numbers');
    assert.equal(page.next, undefined);
  });

  it('a concurrent edit by the second user yields a conflict, resolved field by field', async () => {
    const base = await createChangeRequest(conn(), newDraft({ name: 'Shared', overview: 'base', customizations: [{ type: 'ApexClass', fullName: 'A' }] }));
    const info = reviewer();
    // The reviewer works on change requests once given the tracking permission set.
    await grantTrackingAccess(conn(), [info.id]);
    reviewerConn = await authorizeWithToken({ accessToken: info.accessToken, instanceUrl: env.org('uat').instanceUrl, alias: 'trk-reviewer' });
    const theirsEdit = applyEdit(await getChangeRequest(reviewerConn, base.id!), { overview: 'reviewer wording', name: 'Shared (theirs)' }, { userId: info.id });
    assert.ok(theirsEdit.ok);
    await updateChangeRequest(reviewerConn, theirsEdit.cr);

    const mineEdit = applyEdit(base, { name: 'Shared (mine)', customizations: [{ type: 'ApexClass', fullName: 'B' }] }, { userId: admin().id });
    assert.ok(mineEdit.ok);
    const e = await rejection(updateChangeRequest(conn(), mineEdit.cr));
    assert.equal(e.kind, 'conflict');
    assert.match(e.message, /changed .* by someone else/);
    assert.equal((await getChangeRequest(conn(), base.id!)).name, 'Shared (theirs)', 'their edit is kept');

    const theirs = await getChangeRequest(conn(), base.id!);
    const merge = threeWay(base, mineEdit.cr, theirs);
    assert.deepEqual(merge.conflicts.map((c) => [c.field, c.mine, c.theirs]), [['name', 'Shared (mine)', 'Shared (theirs)']]);
    assert.deepEqual(merge.fromMine, ['customizations']);
    assert.deepEqual(merge.fromTheirs, ['overview']);
    const resolved = resolve(merge, { name: 'mine' });
    assert.ok(resolved.ok);
    const stored = await updateChangeRequest(conn(), resolved.cr);
    assert.equal(stored.name, 'Shared (mine)');
    assert.equal(stored.overview, 'reviewer wording');
    assert.deepEqual(stored.customizations, [{ type: 'ApexClass', fullName: 'B' }]);
  });

  it('stores a hash-chained history and detects an entry edited in the org', async () => {
    const cr = await createChangeRequest(conn(), newDraft({ name: 'Audited', customizations: [{ type: 'ApexClass', fullName: 'G' }] }));
    await appendHistory(conn(), cr.id!, [{ action: 'created', actorId: admin().id, at: now(), details: {} }]);
    const submitted = transition(cr, 'Pending approval', { actor: { userId: admin().id } });
    assert.ok(submitted.ok);
    await updateChangeRequest(conn(), submitted.cr);
    await appendHistory(conn(), cr.id!, entriesForChange(cr, submitted.cr, admin().id, now()));
    const approved = transition(submitted.cr, 'Approved', { actor: { userId: reviewer().id }, comment: 'ship it' });
    assert.ok(approved.ok);
    await appendHistory(conn(), cr.id!, entriesForChange(submitted.cr, approved.cr, reviewer().id, now(), 'ship it'));

    const chain = await readHistory(conn(), cr.id!);
    assert.deepEqual(chain.map((e) => [e.seq, e.action]), [[1, 'created'], [2, 'status'], [3, 'approved']]);
    assert.equal(chain[2]!.details.comment, 'ship it');
    assert.equal(chain[2]!.actorId, reviewer().id);
    assert.equal(verifyChain(chain), undefined, 'intact chain verifies');

    // Someone edits the second entry's details directly in the org.
    const rows = await readHistoryIds(cr.id!);
    assert.deepEqual(await chainKeys(cr.id!), [1, 2, 3].map((n) => `${cr.id}:${n}`), 'each entry holds its unique position key');
    await updateRecord(conn(), 'Changeline_CR_History__c', rows[1]!, { Details__c: JSON.stringify({ changes: [{ field: 'status', label: 'Status', old: 'Draft', new: 'Approved' }] }) });
    assert.equal(verifyChain(await readHistory(conn(), cr.id!)), 1);
  });

  it('core operations over the org store: submit, approve by the reviewer, stale edit as a conflict', async () => {
    const mine = { store: trackingStore(conn()), actor: { userId: admin().id } };
    const created = await createRequest(mine, { name: 'Through the service', approvers: [reviewer().id], customizations: [{ type: 'ApexClass', fullName: 'S' }] });
    assert.ok(created.ok);
    const sub = await changeStatus(mine, created.cr, 'Pending approval');
    assert.ok(sub.ok);
    const selfApprove = await changeStatus(mine, sub.cr, 'Approved', 'mine');
    assert.equal(selfApprove.ok, false);
    assert.match((selfApprove as { reason: string }).reason, /Only an approver of CR-\d{5} can approve/);

    const info = reviewer();
    reviewerConn ??= await authorizeWithToken({ accessToken: info.accessToken, instanceUrl: env.org('uat').instanceUrl, alias: 'trk-reviewer' });
    const theirs = { store: trackingStore(reviewerConn), actor: { userId: info.id } };
    const appr = await changeStatus(theirs, await theirs.store.get(sub.cr.id!), 'Approved', 'approved in review');
    assert.ok(appr.ok);

    // The admin still holds the pending copy: editing it meets the reviewer's approval.
    const stale = await editRequest(mine, sub.cr, { overview: 'late wording' });
    assert.equal(stale.ok, false);
    assert.ok('conflict' in stale);
    assert.deepEqual(stale.conflict.conflicts, []);
    assert.deepEqual(stale.conflict.fromTheirs, ['status']);
    const merged = resolve(stale.conflict, {});
    assert.ok(merged.ok);
    const saved = await saveResolution(mine, stale.theirs, merged.cr);
    assert.ok(saved.ok);
    const stored = await getChangeRequest(conn(), sub.cr.id!);
    assert.equal(stored.status, 'Approved');
    assert.equal(stored.overview, 'late wording');

    const chain = await readHistory(conn(), sub.cr.id!);
    assert.deepEqual(chain.map((e) => e.action), ['created', 'status', 'approved', 'edited']);
    assert.equal(chain[2]!.actorId, info.id);
    assert.equal(verifyChain(chain), undefined);
  });

  it('two saves of one copy in the same second: the second gets a conflict and nothing of it is written', async () => {
    const info = reviewer();
    await grantTrackingAccess(conn(), [info.id]);
    reviewerConn ??= await authorizeWithToken({ accessToken: info.accessToken, instanceUrl: env.org('uat').instanceUrl, alias: 'trk-reviewer' });
    const mine = { store: trackingStore(conn()), actor: { userId: admin().id } };
    const theirs = { store: trackingStore(reviewerConn), actor: { userId: info.id } };
    let sameSecond = 0;
    for (let i = 0; i < 5; i++) {
      const created = await createRequest(mine, { name: `Race ${i}`, overview: 'base' });
      assert.ok(created.ok);
      // The admin's copy is read; the reviewer saves; the admin saves the copy read before that.
      const read = await mine.store.get(created.cr.id!);
      const first = await editRequest(theirs, await theirs.store.get(created.cr.id!), { overview: 'reviewer wording' });
      assert.ok(first.ok, 'reason' in first ? first.reason : '');
      const second = await editRequest(mine, read, { name: `Race ${i} (admin)` });
      if (Math.floor(Date.parse(first.cr.lastModified!) / 1000) === Math.floor(Date.parse(read.lastModified!) / 1000)) sameSecond++;
      assert.equal(second.ok, false, `try ${i}: the second save is refused`);
      assert.ok('conflict' in second);
      assert.match(second.reason, /was changed by someone else meanwhile/);
      assert.deepEqual(second.conflict.fromTheirs, ['overview']);
      assert.deepEqual(second.conflict.fromMine, ['name'], 'the admin\u2019s edit is kept for the resolution');
      const stored = await getChangeRequest(conn(), created.cr.id!);
      assert.equal(stored.name, `Race ${i}`, 'nothing of the second save written');
      assert.equal(stored.overview, 'reviewer wording');
      assert.equal(stored.version, 2);
      assert.deepEqual((await readHistory(conn(), created.cr.id!)).map((h) => [h.action, h.actorId]), [['created', admin().id], ['edited', info.id]]);
      // Resolving over what is stored saves both.
      const merged = resolve(second.conflict, {});
      assert.ok(merged.ok);
      const saved = await saveResolution(mine, second.theirs, merged.cr);
      assert.ok(saved.ok);
      assert.deepEqual([saved.cr.name, saved.cr.overview, saved.cr.version], [`Race ${i} (admin)`, 'reviewer wording', 3]);
    }
    assert.ok(sameSecond > 0, 'at least one race had both saves within one second (what If-Unmodified-Since cannot tell apart)');
  });

  it('the org itself refuses a write that does not raise the version (the schema\u2019s validation rule)', async () => {
    const cr = await createChangeRequest(conn(), newDraft({ name: 'Versioned' }));
    assert.equal(cr.version, 1);
    const refused = await rejection(updateRecord(conn(), 'Changeline_Change_Request__c', cr.id!, { Overview__c: 'no version' }));
    assert.equal(refused.kind, 'invalid-request');
    assert.match(`${refused.message} ${(refused as { detail?: string }).detail}`, /FIELD_CUSTOM_VALIDATION_EXCEPTION/);
    assert.match(refused.message, /Changeline: this change request was changed by someone else since it was read/);
    const skipped = await rejection(updateRecord(conn(), 'Changeline_Change_Request__c', cr.id!, { Overview__c: 'skips one', Version__c: 3 }));
    assert.equal(skipped.kind, 'invalid-request');
    await updateRecord(conn(), 'Changeline_Change_Request__c', cr.id!, { Overview__c: 'next version', Version__c: 2 });
    const stored = await getChangeRequest(conn(), cr.id!);
    assert.deepEqual([stored.overview, stored.version], ['next version', 2]);
  });

  async function chainKeys(crId: string): Promise<string[]> {
    const { query } = await import('../../src/salesforce');
    const rows = await query<{ Chain_Key__c: string }>(conn(), `SELECT Chain_Key__c FROM Changeline_CR_History__c WHERE Change_Request__c = '${crId}' ORDER BY Seq__c ASC`);
    return rows.map((r) => r.Chain_Key__c);
  }

  async function readHistoryIds(crId: string): Promise<string[]> {
    const { query } = await import('../../src/salesforce');
    const rows = await query<{ Id: string }>(conn(), `SELECT Id FROM Changeline_CR_History__c WHERE Change_Request__c = '${crId}' ORDER BY Seq__c ASC`);
    return rows.map((r) => r.Id);
  }
});
