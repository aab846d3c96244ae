import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EmulatedOrg } from '../emulator';
import type { RestReply, RestRequest } from '../emulator/context';
import {
  componentsExisting,
  createChangeRequest,
  defaultTrackingFolder,
  deleteChangeRequest,
  deploy,
  findCopy,
  getChangeRequest,
  installTracking,
  isTrackingMissing,
  isTrackingOutdated,
  listChangeRequests,
  query,
  readHistory,
  syncChangeRequest,
  trackingStore,
  updateRecord,
  type OrgConnection,
  type SyncRequest,
} from '../../src/salesforce';
import { createRequest, editRequest, newCopy, placeComponents, verifyChain, type ChangeRequest, type ChangeRequestFields } from '../../src/core/change-requests';
import { apexClass, project } from './helpers/metadata-deploy';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

const cls = (n: string) => ({ type: 'ApexClass', fullName: n });
const flow = (n: string) => ({ type: 'Flow', fullName: n });

/**
 * Fails the next REST request `match` accepts with a 503 (as the emulator's injected faults do),
 * once; returns how many requests it failed so far.
 */
function failOnce(org: EmulatedOrg, match: (req: RestRequest) => boolean): { hits: number; restore(): void } {
  const rest = org.rest as unknown as { handle: (ctx: unknown, req: RestRequest) => Promise<RestReply> };
  const original = rest.handle;
  const state = {
    hits: 0,
    restore: () => {
      rest.handle = original;
    },
  };
  rest.handle = async function (this: unknown, ctx, req) {
    if (state.hits === 0 && match(req)) {
      state.hits++;
      return { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'Service temporarily unavailable (injected fault)' }] };
    }
    return original.call(rest, ctx, req);
  };
  return state;
}
const historyWrite = (req: RestRequest): boolean => req.method === 'POST' && req.path.endsWith('/composite/sobjects') && req.body.toString('utf8').includes('Changeline_CR_History__c');

describe('change request sync between two environments (emulated orgs)', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  const uat = (): OrgConnection => env.conns.uat!;
  const dev = (): OrgConnection => env.conns.dev!;
  const adminOf = (org: string): string => env.org(org).info().users.find((u) => u.isAdmin)!.id;

  const push = (crId: string, extra: Partial<SyncRequest> = {}) =>
    syncChangeRequest({ from: uat(), fromEnvironment: 'UAT', to: dev(), toEnvironment: 'Dev', crId, direction: 'push', actorFrom: adminOf('uat'), actorTo: adminOf('dev'), ...extra });
  const pull = (crId: string, extra: Partial<SyncRequest> = {}) =>
    syncChangeRequest({ from: dev(), fromEnvironment: 'Dev', to: uat(), toEnvironment: 'UAT', crId, direction: 'pull', actorFrom: adminOf('dev'), actorTo: adminOf('uat'), ...extra });
  const pushBack = (crId: string) =>
    syncChangeRequest({ from: uat(), fromEnvironment: 'UAT', to: dev(), toEnvironment: 'Dev', crId, direction: 'push', actorFrom: adminOf('uat'), actorTo: adminOf('dev') });

  async function newCr(conn: OrgConnection, org: string, fields: Partial<ChangeRequestFields> & { name: string }): Promise<ChangeRequest> {
    const out = await createRequest({ store: trackingStore(conn), actor: { userId: adminOf(org) } }, fields);
    assert.ok(out.ok, 'reason' in out ? out.reason : '');
    return out.cr;
  }
  async function edit(conn: OrgConnection, org: string, id: string, changes: Partial<ChangeRequestFields>): Promise<ChangeRequest> {
    const out = await editRequest({ store: trackingStore(conn), actor: { userId: adminOf(org) } }, await getChangeRequest(conn, id), changes);
    assert.ok(out.ok, 'reason' in out ? out.reason : '');
    return out.cr;
  }
  async function all(conn: OrgConnection): Promise<ChangeRequest[]> {
    return (await listChangeRequests(conn, { pageSize: 2000 })).items;
  }
  const copiesOf = async (id: string) => (await all(dev())).filter((c) => c.origin?.recordId === id);

  before(async () => {
    env = await startEmulator({ orgs: ['uat', 'dev', 'prod'], aliasPrefix: 'sync-' });
    for (const c of [uat(), dev()]) await installTracking(c, { pollMs: 20 });
    // Shared exists in both orgs, OnlyInUat in UAT only.
    await deploy(uat(), { sourcePaths: [project({ ...apexClass('Shared', 'public class Shared {}'), ...apexClass('OnlyInUat', 'public class OnlyInUat {}') })], pollMs: 20 });
    await deploy(dev(), { sourcePaths: [project(apexClass('Shared', 'public class Shared {}'))], pollMs: 20 });
  });
  after(async () => {
    await env?.stop();
  });

  it('tells which components an org holds, by type and name', async () => {
    const have = await componentsExisting(dev(), [cls('Shared'), cls('shared'), cls('OnlyInUat'), flow('Nope'), { type: 'NoSuchType', fullName: 'X' }]);
    assert.deepEqual([...have].sort(), ['ApexClass:Shared', 'ApexClass:shared']);
  });

  let sent: ChangeRequest;
  let copy: ChangeRequest;

  it('push creates a Draft copy pointing at its origin, components missing there marked proposed', async () => {
    sent = await newCr(uat(), 'uat', { name: 'Greeting', overview: 'Users asked for it.', customizations: [cls('Shared'), cls('OnlyInUat')], proposedCustomizations: [flow('Onboarding')] });
    const out = await push(sent.id!);
    assert.ok(out.ok);
    assert.equal(out.created, true);
    copy = out.copy;
    assert.equal(copy.status, 'Draft');
    assert.equal(copy.name, 'Greeting');
    assert.deepEqual(copy.approvers, []);
    assert.deepEqual(copy.origin, { orgId: uat().orgId, recordId: sent.id, number: sent.number, environment: 'UAT' });
    assert.deepEqual(copy.customizations, [cls('Shared')]);
    assert.deepEqual(copy.proposedCustomizations, [cls('OnlyInUat'), flow('Onboarding')]);
    assert.deepEqual(out.proposed, copy.proposedCustomizations);

    const copyHistory = await readHistory(dev(), copy.id!);
    assert.deepEqual(copyHistory.map((h) => [h.action, h.details.org, h.details.number]), [['pushed', 'UAT', sent.number]]);
    const sentHistory = await readHistory(uat(), sent.id!);
    assert.deepEqual(sentHistory.map((h) => [h.action, h.details.org, h.details.number]), [['created', undefined, undefined], ['pushed', 'Dev', copy.number]]);
    assert.equal(verifyChain(copyHistory), undefined);
    assert.equal(verifyChain(sentHistory), undefined);
    assert.equal((await findCopy(dev(), uat().orgId, sent.id!))?.id, copy.id);
  });

  it('pushing again updates the same copy with the sender\'s edits and keeps the receiver\'s own', async () => {
    await edit(dev(), 'dev', copy.id!, { overview: 'Dev notes on it.' });
    await edit(uat(), 'uat', sent.id!, { name: 'Greeting v2' });
    const out = await push(sent.id!);
    assert.ok(out.ok);
    assert.equal(out.created, false);
    assert.equal(out.copy.id, copy.id);
    assert.equal(out.copy.name, 'Greeting v2');
    assert.equal(out.copy.overview, 'Dev notes on it.', 'the receiver\'s edit is kept');
    assert.equal((await copiesOf(sent.id!)).length, 1, 'no duplicate copy');
    const h = await readHistory(dev(), copy.id!);
    assert.deepEqual(h.map((e) => e.action), ['pushed', 'edited', 'edited', 'pushed']);
    assert.deepEqual((h[2]!.details.changes as Array<{ field: string }>).map((c) => c.field), ['name']);

    // Nothing new to send: nothing is written.
    const again = await push(sent.id!);
    assert.ok(again.ok && again.created === false);
    assert.equal((await readHistory(dev(), copy.id!)).length, h.length);
  });

  it('edits on both sides are a conflict naming the fields; nothing is written until the user chooses', async () => {
    await edit(dev(), 'dev', copy.id!, { name: 'Dev name' });
    await edit(uat(), 'uat', sent.id!, { name: 'UAT name', changeType: 'Bug fix' });
    const before = await getChangeRequest(dev(), copy.id!);
    const out = await push(sent.id!);
    assert.equal(out.ok, false);
    assert.ok(!out.ok);
    assert.deepEqual(out.conflict.conflicts.map((c) => [c.label, c.mine, c.theirs]), [['Name', 'UAT name', 'Dev name']]);
    assert.match(out.reason, /both changed since they were last synced; choose which version to keep for: Name/);
    assert.deepEqual(await getChangeRequest(dev(), copy.id!), before, 'nothing written');

    const chosen = await push(sent.id!, { choices: { name: 'theirs' } });
    assert.ok(chosen.ok);
    assert.equal(chosen.copy.name, 'Dev name');
    assert.equal(chosen.copy.changeType, 'Bug fix', 'the one-sided edit merges');
    // The choice sticks: the next push does not ask again.
    const next = await push(sent.id!);
    assert.ok(next.ok);
    assert.equal(next.copy.name, 'Dev name');
  });

  it('new components for an approved copy send it back for approval', async () => {
    // Approved in the org directly: a write there raises the version, as the schema's rule requires.
    const current = await getChangeRequest(dev(), copy.id!);
    await updateRecord(dev(), 'Changeline_Change_Request__c', copy.id!, { Status__c: 'Approved', Version__c: (current.version ?? 0) + 1 });
    await edit(uat(), 'uat', sent.id!, { proposedCustomizations: [flow('Onboarding'), flow('Reminder')] });
    const out = await push(sent.id!);
    assert.ok(out.ok);
    assert.equal(out.copy.status, 'Pending approval');
    assert.equal(out.copy.submittedBy, adminOf('dev'));
    assert.deepEqual(out.copy.proposedCustomizations, [cls('OnlyInUat'), flow('Onboarding'), flow('Reminder')]);
  });

  let pulled: ChangeRequest;
  let original: ChangeRequest;

  it('pull makes a child of the original that shows its parent', async () => {
    original = await newCr(dev(), 'dev', { name: 'Dev fix', overview: 'Found in Dev.', customizations: [cls('Shared')] });
    const out = await pull(original.id!);
    assert.ok(out.ok && out.created);
    pulled = out.copy;
    assert.deepEqual(pulled.origin, { orgId: dev().orgId, recordId: original.id, number: original.number, environment: 'Dev' });
    assert.deepEqual(pulled.customizations, [cls('Shared')]);
    assert.deepEqual((await readHistory(uat(), pulled.id!)).map((h) => [h.action, h.details.org]), [['pulled', 'Dev']]);
    assert.deepEqual((await readHistory(dev(), original.id!)).map((h) => [h.action, h.details.org, h.details.direction]).slice(-1), [['pushed', 'UAT', 'pull']]);
  });

  it('pushing a pulled CR back updates the original instead of making a third copy', async () => {
    await edit(uat(), 'uat', pulled.id!, { overview: 'Checked in UAT.', customizations: [cls('Shared'), cls('OnlyInUat')] });
    const before = (await all(dev())).length;
    const out = await pushBack(pulled.id!);
    assert.ok(out.ok);
    assert.equal(out.created, false);
    assert.equal(out.copy.id, original.id);
    assert.equal(out.copy.overview, 'Checked in UAT.');
    assert.deepEqual(out.copy.customizations, [cls('Shared')]);
    assert.deepEqual(out.copy.proposedCustomizations, [cls('OnlyInUat')], 'missing in Dev: proposed there');
    assert.equal((await all(dev())).length, before, 'no new CR in Dev');
    assert.equal(await findCopy(dev(), uat().orgId, pulled.id!), undefined);

    // The sync base moved with it: Dev's later edit comes back on a pull without a conflict.
    await edit(dev(), 'dev', original.id!, { name: 'Dev fix (renamed)' });
    const back = await pull(original.id!);
    assert.ok(back.ok, !back.ok ? back.reason : '');
    assert.equal(back.copy.id, pulled.id);
    assert.equal(back.copy.name, 'Dev fix (renamed)');
    assert.equal(back.copy.overview, 'Checked in UAT.');
  });

  it('a receiver without change tracking is refused before anything is written, offering to install it', async () => {
    const cr = await newCr(uat(), 'uat', { name: 'To prod', customizations: [cls('Shared')] });
    const e = await rejection(
      syncChangeRequest({ from: uat(), fromEnvironment: 'UAT', to: env.conns.prod!, toEnvironment: 'Production', crId: cr.id!, direction: 'push', actorFrom: adminOf('uat'), actorTo: adminOf('prod') }),
    );
    assert.equal(isTrackingMissing(e), true);
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /not set up in "sync-prod": install Changeline's change tracking there first/);
    assert.deepEqual((await readHistory(uat(), cr.id!)).map((h) => h.action), ['created'], 'the sent CR is untouched');
    assert.equal(isTrackingMissing(new Error('Change requests are not set up')), false);

    // Tracking of version 1 (before sync): the receiver is told to upgrade, still before any write.
    const v1 = fs.mkdtempSync(path.join(os.tmpdir(), 'trk-v1-'));
    try {
      fs.cpSync(defaultTrackingFolder(), v1, { recursive: true });
      const fields = path.join(v1, 'objects', 'Changeline_Change_Request__c', 'fields');
      for (const f of ['Origin_Number__c', 'Origin_Environment__c', 'Sync_Base__c']) fs.rmSync(path.join(fields, `${f}.field-meta.xml`));
      fs.rmSync(path.join(v1, 'permissionsets'), { recursive: true });
      const version = path.join(fields, 'Schema_Version__c.field-meta.xml');
      fs.writeFileSync(version, fs.readFileSync(version, 'utf8').replace(/<defaultValue>\d+<\/defaultValue>/, '<defaultValue>1</defaultValue>'));
      await installTracking(env.conns.prod!, { folder: v1, pollMs: 20 });
    } finally {
      fs.rmSync(v1, { recursive: true, force: true });
    }
    const old = await rejection(
      syncChangeRequest({ from: uat(), fromEnvironment: 'UAT', to: env.conns.prod!, toEnvironment: 'Production', crId: cr.id!, direction: 'push', actorFrom: adminOf('uat'), actorTo: adminOf('prod') }),
    );
    assert.equal(isTrackingOutdated(old), true);
    assert.equal(isTrackingMissing(old), false);
    assert.match(old.message, /change tracking in "sync-prod" is older than this Changeline, or your user lacks its Changeline_Tracking permission set: install change tracking again/);
    assert.deepEqual((await readHistory(uat(), cr.id!)).map((h) => h.action), ['created']);
    assert.equal((await query(env.conns.prod!, 'SELECT Id FROM Changeline_Change_Request__c')).length, 0, 'nothing written in Production');
  });

  it('a failure writing the copy\'s history leaves no copy, and a retry makes exactly one', async () => {
    const cr = await newCr(uat(), 'uat', { name: 'Fragile', customizations: [cls('OnlyInUat')] });
    const fault = failOnce(env.org('dev'), historyWrite);
    try {
      const e = await rejection(push(cr.id!));
      assert.equal(fault.hits, 1);
      assert.equal(e.kind, 'server-error');
      assert.match(e.message, /Pushing CR-\d+ to "Dev" failed: .* Nothing was kept in "Dev"; try again\./);
    } finally {
      fault.restore();
    }
    assert.deepEqual(await copiesOf(cr.id!), [], 'no half-made copy');
    assert.deepEqual((await readHistory(uat(), cr.id!)).map((h) => h.action), ['created']);
    const retry = await push(cr.id!);
    assert.ok(retry.ok && retry.created);
    assert.equal((await copiesOf(cr.id!)).length, 1);
  });

  it('a failure recording the push on the sent CR removes the copy again', async () => {
    const cr = await newCr(uat(), 'uat', { name: 'Fragile too', customizations: [cls('Shared')] });
    const fault = failOnce(env.org('uat'), historyWrite);
    try {
      const e = await rejection(push(cr.id!));
      assert.equal(fault.hits, 1);
      assert.match(e.message, /Nothing was kept in "Dev"; try again/);
    } finally {
      fault.restore();
    }
    assert.deepEqual(await copiesOf(cr.id!), []);
    const retry = await push(cr.id!);
    assert.ok(retry.ok && retry.created);
    assert.deepEqual((await copiesOf(cr.id!)).map((c) => c.id), [retry.copy.id]);
    assert.deepEqual((await readHistory(dev(), retry.copy.id!)).map((h) => h.action), ['pushed']);
  });

  it('a failure after an update writes the copy\'s previous fields back', async () => {
    await edit(uat(), 'uat', sent.id!, { changeType: 'Configuration' });
    const before = await getChangeRequest(dev(), copy.id!);
    const fault = failOnce(env.org('dev'), historyWrite);
    try {
      const e = await rejection(push(sent.id!));
      assert.match(e.message, /Nothing was changed in "Dev"; try again/);
    } finally {
      fault.restore();
    }
    const after = await getChangeRequest(dev(), copy.id!);
    // The fields are as before; the record was written twice (the update, then the fields back).
    assert.deepEqual(after, { ...before, lastModified: after.lastModified, version: (before.version ?? 0) + 2 });
    const retry = await push(sent.id!);
    assert.ok(retry.ok);
    assert.equal(retry.copy.changeType, 'Configuration');
  });

  it('a copy left by a sync that stopped right after creating it is completed by the retry', async () => {
    const cr = await newCr(uat(), 'uat', { name: 'Crashed midway', customizations: [cls('Shared')] });
    // What a crash between creating the copy and writing its history leaves behind.
    const leftover = await createChangeRequest(dev(), newCopy(cr, { orgId: uat().orgId, environment: 'UAT' }, placeComponents(cr.customizations, () => true)));
    const out = await push(cr.id!);
    assert.ok(out.ok);
    assert.equal(out.copy.id, leftover.id);
    assert.equal((await copiesOf(cr.id!)).length, 1);
    assert.deepEqual((await readHistory(dev(), leftover.id!)).map((h) => h.action), ['pushed']);
    assert.deepEqual((await readHistory(uat(), cr.id!)).map((h) => h.action), ['created', 'pushed']);
  });

  it('deletes a draft with its history, and refuses to delete anything else', async () => {
    const cr = (await copiesOf((await all(uat())).find((c) => c.name === 'Crashed midway')!.id!))[0]!;
    await deleteChangeRequest(dev(), cr.id!);
    assert.deepEqual(await copiesOf(cr.origin!.recordId), []);
    assert.deepEqual(await readHistory(dev(), cr.id!), []);
    const e = await rejection(deleteChangeRequest(dev(), copy.id!));
    assert.equal(e.kind, 'invalid-request');
    assert.match(e.message, /is Pending approval: only drafts can be deleted, so its history is kept\. Cancel it instead\./);
    assert.ok(await getChangeRequest(dev(), copy.id!));
  });

  it('an unreachable receiver fails cleanly and the retry succeeds', async () => {
    const cr = await newCr(uat(), 'uat', { name: 'While Dev was down', customizations: [cls('Shared')] });
    await env.org('dev').setDown(true);
    try {
      const e = await rejection(push(cr.id!));
      assert.equal(e.kind, 'unreachable');
    } finally {
      await env.org('dev').setDown(false);
    }
    assert.deepEqual((await readHistory(uat(), cr.id!)).map((h) => h.action), ['created']);
    const out = await push(cr.id!);
    assert.ok(out.ok && out.created);
    assert.equal((await copiesOf(cr.id!)).length, 1);
  });
});
