/**
 * Send and the deployment queue in plain Node against the emulator, through the real Salesforce
 * layer: Rae sends a change request from Dev to UAT (the entry and its package written into UAT's
 * org with her UAT login); Ada, another user of UAT and its release manager, reads it there and
 * deploys it; a send with nothing changed is refused; a second send is rejected with a reason Rae
 * reads; Rae, without the release-manager permission set, is refused — by the workflow, naming who
 * can act, and by the org itself when the workflow is bypassed. Also the upgrade of an org on
 * schema 4 (no queue) to the shipped schema.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { readDeploymentLog } from '../../src/workflows/promotion/log';
import { deployEntry, readQueue, rejectEntry } from '../../src/workflows/promotion/queue';
import { prepareSend, send, sendChanges } from '../../src/workflows/promotion/send';
import { withdrawEntry } from '../../src/workflows/promotion/withdraw';
import { readSendBasis } from '../../src/workflows/promotion/send-freshness';
import { freshnessBeforeSend } from '../../src/core/promotion';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

const GREETER = (word: string) => `public with sharing class Greeter {\n    public static String greet(String name) {\n        return '${word}, ' + name;\n    }\n}\n`;

/** The shipped schema as version 4 had it: no queue object, no release-manager permission set. */
function schemaV4(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trk-v4-'));
  fs.cpSync(salesforce.defaultTrackingFolder(), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'objects', 'Changeline_Queue_Entry__c'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'permissionsets', 'Changeline_Release_Manager.permissionset-meta.xml'));
  const ps = path.join(dir, 'permissionsets', 'Changeline_Tracking.permissionset-meta.xml');
  let xml = fs.readFileSync(ps, 'utf8');
  xml = xml.replace(/\s*<fieldPermissions>\s*<editable>\w+<\/editable>\s*<field>Changeline_Queue_Entry__c\.[\s\S]*?<\/fieldPermissions>/g, '');
  xml = xml.replace(/\s*<objectPermissions>(?:(?!<\/objectPermissions>)[\s\S])*?<object>Changeline_Queue_Entry__c<\/object>[\s\S]*?<\/objectPermissions>/, '');
  fs.writeFileSync(ps, xml);
  const carrier = path.join(dir, 'objects', 'Changeline_Change_Request__c', 'fields', 'Schema_Version__c.field-meta.xml');
  fs.writeFileSync(carrier, fs.readFileSync(carrier, 'utf8').replace(/<defaultValue>\d+<\/defaultValue>/, '<defaultValue>4</defaultValue>'));
  return dir;
}

describe('send and the deployment queue (emulated orgs, plain Node)', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let pipeline: Pipeline;
  let ada: WorkflowDeps; // admin of Dev and UAT; UAT's release manager
  let rae: WorkflowDeps; // reviewer in both orgs; sends, is no release manager
  let raeUat: salesforce.OrgConnection;
  let raeDev: salesforce.OrgConnection;
  let crNumber: string;
  const cleanup: Array<() => void> = [];

  const depsFor = (orgs: Record<string, string>): WorkflowDeps => {
    const envs = pipeline.environments.map((e) => ({ ...e, org: orgs[e.name] ?? e.org }));
    return { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };
  };

  async function deployGreeter(conn: salesforce.OrgConnection, word: string): Promise<void> {
    const proj = tempProject('queue-src-');
    cleanup.push(() => proj.remove());
    writeClass(proj, 'Greeter', GREETER(word));
    const r = await salesforce.deploy(conn, { sourcePaths: [proj.dir], pollMs: 20 });
    assert.ok(r.success, JSON.stringify(r.failures));
  }

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat', 'old'], aliasPrefix: 'queue-' });
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'queue-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'queue-uat', role: 'staging', next: 'Prod' },
          { name: 'Prod', org: 'queue-prod', role: 'production' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    for (const org of ['dev', 'uat']) {
      await salesforce.installTracking(env.conns[org]!, { pollMs: 20 });
      const rev = env.org(org).info().users.find((u) => !u.isAdmin)!;
      await salesforce.grantTrackingAccess(env.conns[org]!, [rev.id]);
    }
    const adminUat = env.org('uat').info().users.find((u) => u.isAdmin)!;
    await salesforce.grantReleaseManager(env.conns.uat!, [adminUat.id]);
    const revOf = (org: string) => env.org(org).info().users.find((u) => !u.isAdmin)!;
    raeDev = await salesforce.authorizeWithToken({ accessToken: revOf('dev').accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'queue-dev-rae' });
    raeUat = await salesforce.authorizeWithToken({ accessToken: revOf('uat').accessToken, instanceUrl: env.org('uat').instanceUrl, alias: 'queue-uat-rae' });
    ada = depsFor({ Dev: 'queue-dev', UAT: 'queue-uat' });
    rae = depsFor({ Dev: 'queue-dev-rae', UAT: 'queue-uat-rae' });

    await deployGreeter(env.conns.dev!, 'Hello');
    const dev = env.conns.dev!;
    const adminDev = env.org('dev').info().users.find((u) => u.isAdmin)!;
    const made = await createRequest({ store: salesforce.trackingStore(raeDev), actor: { userId: revOf('dev').id } }, { name: 'Greeting', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] });
    assert.ok(made.ok, JSON.stringify(made));
    const submitted = await changeStatus({ store: salesforce.trackingStore(raeDev), actor: { userId: revOf('dev').id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const approved = await changeStatus({ store: salesforce.trackingStore(dev), actor: { userId: adminDev.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok, JSON.stringify(approved));
    crNumber = approved.cr.number!;
  });
  after(async () => {
    for (const c of cleanup) c();
    for (const c of [raeDev, raeUat]) if (c) await salesforce.removeAuthorization(c.username).catch(() => undefined);
    await env?.stop();
  });

  it('refuses a send the pipeline does not allow, writing nothing', async () => {
    const skip = await prepareSend(rae, { from: 'Dev', to: 'Prod', pipeline, scope: { kind: 'cr', ref: crNumber } });
    assert.equal(skip.ok, false);
    assert.match((skip as { reason: string }).reason, /Dev → Prod skips a stage|Nothing goes straight to Prod from Dev/);
    assert.match((skip as { reason: string }).reason, /Send to UAT instead/);
    const top = await prepareSend(rae, { from: 'Prod', pipeline, scope: { kind: 'environment' } });
    assert.match((top as { reason: string }).reason, /Prod is the last stage: nothing is sent from it/);
    assert.deepEqual(await salesforce.listQueueEntries(env.conns.uat!), []);
  });

  it('sends a CR from Dev into UAT\'s org: another user of UAT reads the entry, its CRs and its package', async () => {
    const messages: string[] = [];
    const sent = await sendChanges(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: crNumber }, message: 'Greets people by name', pollMs: 20 }, { onProgress: (p) => messages.push(p.message) });
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.match(sent.entry.number ?? '', /^Q-\d{5}$/);
    assert.ok(messages.some((m) => /^Retrieving 1 component from Dev/.test(m)), messages.join(' | '));

    // Ada, in her own UAT session, reads the queue of UAT.
    const view = await readQueue(ada, 'UAT');
    assert.equal(view.entries.length, 1);
    const [e] = view.entries;
    assert.deepEqual([e.number, e.status, e.source, e.target, e.message], [sent.entry.number, 'Queued', 'Dev', 'UAT', 'Greets people by name']);
    assert.equal(e.sender.name, 'Rae Reviewer');
    assert.deepEqual(e.crs.map((c) => c.number), [crNumber]);
    assert.deepEqual(e.components, [{ type: 'ApexClass', fullName: 'Greeter' }]);
    assert.equal(view.canManage, true, 'Ada holds the release-manager permission set in UAT');
    // The package is a file linked to the entry in UAT; Ada downloads the bytes Rae stored.
    assert.deepEqual(await salesforce.filesOf(env.conns.uat!, e.id!), [e.packageFileId]);
    const zip = await salesforce.readStoredPackage(env.conns.uat!, e.packageFileId!);
    const cls = salesforce.packageFiles(zip).find((f) => f.path.endsWith('classes/Greeter.cls'));
    assert.ok(cls, 'the package holds the class');
    // Nothing was deployed by sending.
    assert.equal((await salesforce.query(env.conns.uat!, "SELECT Id FROM ApexClass WHERE Name = 'Greeter'")).length, 0);
  });

  it('refuses to send again while nothing changed since the last send', async () => {
    const again = await prepareSend(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: crNumber }, pollMs: 20 });
    assert.equal(again.ok, false);
    assert.match((again as { reason: string }).reason, /^Nothing changed in Dev since it was last sent to UAT \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): its component is as it was sent/);
    assert.equal((await salesforce.listQueueEntries(env.conns.uat!)).length, 1);
  });

  it('knows ahead of time, from the sender\'s listing and the target\'s queue alone, that nothing changed since that send', async () => {
    const basis = await readSendBasis(rae, 'Dev', 'UAT', ['ApexClass']);
    const [sent] = await salesforce.listQueueEntries(env.conns.uat!);
    assert.deepEqual([basis.last?.number, [...(basis.last?.keys ?? [])]], [sent.number, ['ApexClass:Greeter']]);
    assert.ok(basis.listed.has('ApexClass:Greeter'));
    const v = freshnessBeforeSend({ from: 'Dev', to: 'UAT', components: [{ type: 'ApexClass', fullName: 'Greeter' }], listed: basis.listed, last: basis.last, marginMs: 0 });
    assert.equal(v.unchanged, true, JSON.stringify([...basis.listed]));
  });

  it('refuses deploy and reject to a user without the release-manager permission set, naming who can act; the org refuses the bypass', async () => {
    const view = await readQueue(rae, 'UAT');
    assert.equal(view.canManage, false);
    assert.match(view.refusal ?? '', /Only release managers of UAT \(the Changeline Release Manager permission set\) can deploy or reject queued changes: Ada Admin/);
    const [e] = view.entries;
    const deploy = await deployEntry(rae, { env: 'UAT', ref: e.number!, pipeline });
    assert.equal(deploy.ok, false);
    assert.match((deploy as { reason: string }).reason, /Only release managers of UAT .* can deploy queued changes: Ada Admin/);
    const reject = await rejectEntry(rae, 'UAT', e.number!, 'no');
    assert.match((reject as { reason: string }).reason, /can reject queued changes: Ada Admin/);
    // Going around the workflow: the org's field-level security refuses the status write.
    const e2 = await rejection(salesforce.updateQueueEntry(raeUat, { ...e, status: 'Rejected', rejection: { reason: 'x', by: 'Rae', at: new Date().toISOString() } }, e.version));
    assert.equal((e2 as { code?: string }).code, salesforce.RELEASE_MANAGER_ONLY, `${e2.name}: ${e2.message}`);
    assert.match(e2.message, /only holders of the Changeline Release Manager permission set may deploy or reject/);
    const still = await salesforce.getQueueEntry(env.conns.uat!, e.id!);
    assert.deepEqual([still.status, still.version], ['Queued', e.version], 'nothing was written');
  });

  it('a release manager deploys the entry: the class reaches UAT and the entry reads Deployed, for its sender too', async () => {
    const progress: string[] = [];
    const started: string[] = [];
    const done = await deployEntry(ada, { env: 'UAT', ref: (await readQueue(ada, 'UAT')).entries[0].number!, pipeline, validateFirst: true }, {
      pollMs: 20,
      onProgress: (p) => progress.push(p.message),
      onStarted: (id) => started.push(id),
    });
    assert.ok(done.ok, JSON.stringify(done));
    assert.equal(done.validation?.result.success, true);
    assert.equal(done.outcome?.result.success, true);
    assert.equal(started.length, 2, 'a validation, then the deploy');
    assert.equal(done.entry.status, 'Deployed');
    assert.equal(done.entry.deploymentId, done.outcome!.result.id);
    assert.equal(done.entry.deployedBy, 'Ada Admin');
    assert.equal(done.entry.result?.validationId, done.validation!.result.id);
    assert.ok(progress.some((m) => /^Deploying/.test(m)), progress.join(' | '));
    const rows = await salesforce.query<{ Body: string }>(env.conns.uat!, "SELECT Body FROM ApexClass WHERE Name = 'Greeter'");
    assert.match(rows[0]?.Body ?? '', /'Hello, '/);
    // The carried CR in Dev follows Dev's role (development → Ready), with a history entry naming the entry.
    assert.deepEqual(done.crs, { updated: [`${crNumber} → Ready`], notes: [] });
    const cr = (await salesforce.listChangeRequests(env.conns.dev!)).items.find((c) => c.number === crNumber)!;
    assert.equal(cr.status, 'Ready');
    const last = (await salesforce.readHistory(env.conns.dev!, cr.id!)).at(-1)!;
    assert.equal((last.details.deployment as { number?: string }).number, done.entry.number);
    // Rae, the sender, reads it from her UAT session.
    const theirs = await readQueue(rae, 'UAT');
    assert.equal(theirs.entries[0].status, 'Deployed');
    assert.match(theirs.notices.map((n) => n.text).join('\n'), /was deployed to UAT by Ada Admin/);
    // UAT's deployment log shows the validation and the deploy as Changeline's, with the entry's message and CR.
    const log = await readDeploymentLog(ada, 'UAT', { pipeline });
    for (const id of [done.outcome!.result.id, done.validation!.result.id]) {
      const d = log.deployments.find((x) => x.id.slice(0, 15) === id.slice(0, 15));
      assert.deepEqual([d?.source, d?.message, d?.crNumbers, d?.mark?.label], ['changeline', done.entry.message, [crNumber], done.entry.number], id);
    }
    // Deployed is final.
    const twice = await deployEntry(ada, { env: 'UAT', ref: done.entry.number!, pipeline });
    assert.match((twice as { reason: string }).reason, /is already deployed to UAT/);
  });

  it('a release manager rejects a later send with a reason, which the sender reads; a rejected send may be sent again', async () => {
    await deployGreeter(env.conns.dev!, 'Good day');
    // Changed in Dev after the send: the listing says so before anything is retrieved.
    const basis = await readSendBasis(rae, 'Dev', 'UAT', ['ApexClass']);
    assert.equal(freshnessBeforeSend({ from: 'Dev', to: 'UAT', components: [{ type: 'ApexClass', fullName: 'Greeter' }], listed: basis.listed, last: basis.last, marginMs: 0 }).unchanged, false);
    const prepared = await prepareSend(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: crNumber }, pollMs: 20 });
    assert.ok(prepared.ok, JSON.stringify(prepared));
    assert.deepEqual(prepared.prepared.changed, ['ApexClass:Greeter']);
    assert.equal(prepared.prepared.advice, undefined, 'no advice while the behind count is unknown');
    // With a behind count, Send advises syncing first, and still lets the user send.
    const behind = await prepareSend(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: crNumber }, pollMs: 20, countBehind: async (from, to) => (from === 'Dev' && to === 'UAT' ? 3 : 0) });
    assert.ok(behind.ok);
    assert.equal(behind.prepared.advice, 'UAT has 3 deployments that Dev does not have. Sync Dev with UAT first (recommended), or send anyway.');
    assert.equal(prepared.prepared.label, 'Send to UAT…');
    const empty = await send(rae, prepared.prepared, '   ');
    assert.match((empty as { reason: string }).reason, /Write a message for UAT's release managers/);
    const sent = await send(rae, prepared.prepared, 'Friendlier greeting');
    assert.ok(sent.ok, JSON.stringify(sent));
    const noReason = await rejectEntry(ada, 'UAT', sent.entry.number!, ' ');
    assert.match((noReason as { reason: string }).reason, /Say why you reject .*: Rae Reviewer will read it/);
    const rejected = await rejectEntry(ada, 'UAT', sent.entry.number!, 'Marketing has not approved the wording');
    assert.ok(rejected.ok, JSON.stringify(rejected));
    assert.equal(rejected.entry.status, 'Rejected');
    const theirs = await readQueue(rae, 'UAT');
    assert.match(theirs.notices.map((n) => n.text).join('\n'), new RegExp(`UAT rejected ${sent.entry.number} “Friendlier greeting” \\(Ada Admin, .*\\): Marketing has not approved the wording`));
    // A rejected send does not count as the last send: the same changes may go again.
    const again = await prepareSend(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: crNumber }, pollMs: 20 });
    assert.ok(again.ok, JSON.stringify(again));
  });

  it('the sender withdraws a waiting send (no release-manager rights needed): it reads Withdrawn, cannot be deployed, and may be sent again; nobody else can withdraw it', async () => {
    const sent = await sendChanges(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: crNumber }, message: 'Take two', pollMs: 20 });
    assert.ok(sent.ok, JSON.stringify(sent));
    const withdrawn = await withdrawEntry(rae, 'UAT', sent.entry.number!);
    assert.ok(withdrawn.ok, JSON.stringify(withdrawn));
    // Ada, the release manager, reads it withdrawn in her own session, and cannot deploy it.
    const seen = (await readQueue(ada, 'UAT')).entries.find((e) => e.number === sent.entry.number)!;
    assert.equal(seen.status, 'Cancelled');
    assert.equal(seen.withdrawn?.by, 'Rae Reviewer');
    const deploy = await deployEntry(ada, { env: 'UAT', ref: sent.entry.number!, pipeline });
    assert.equal(deploy.ok, false);
    assert.match((deploy as { reason: string }).reason, /was withdrawn by Rae Reviewer; ask Rae Reviewer to send the changes again/);
    const twice = await withdrawEntry(rae, 'UAT', sent.entry.number!);
    assert.match((twice as { reason: string }).reason, /was withdrawn by Rae Reviewer/);
    // A withdrawn send is not the last send: the same changes may go again — here sent by Ada.
    const again = await sendChanges(ada, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: crNumber }, message: 'Take three', pollMs: 20 });
    assert.ok(again.ok, JSON.stringify(again));
    // Rae neither sent it nor is a release manager of UAT: refused, nothing written.
    const notHers = await withdrawEntry(rae, 'UAT', again.entry.number!);
    assert.equal(notHers.ok, false);
    assert.match((notHers as { reason: string }).reason, new RegExp(`Only Ada Admin, who sent ${again.entry.number} “Take three”, or a release manager of UAT can withdraw it`));
    const still = await salesforce.getQueueEntry(env.conns.uat!, again.entry.id!);
    assert.deepEqual([still.status, still.withdrawn], ['Queued', undefined]);
    const rejected = await rejectEntry(ada, 'UAT', again.entry.number!, 'cleaning up');
    assert.ok(rejected.ok, JSON.stringify(rejected));
  });

  it('an org on schema 4 is told to upgrade for the queue; after installing again its queue works', async () => {
    const old = env.conns.old!;
    const v4 = schemaV4();
    cleanup.push(() => fs.rmSync(v4, { recursive: true, force: true }));
    await salesforce.installTracking(old, { folder: v4, pollMs: 20 });
    assert.equal((await salesforce.trackingStatus(old)).version, 4);
    const e = await rejection(salesforce.listQueueEntries(old));
    assert.ok(salesforce.isTrackingOutdated(e), `${e.name}: ${e.message}`);
    assert.match(e.message, /is version 4; the deployment queue needs version 5: install change tracking again/);
    assert.deepEqual(await salesforce.releaseManagers(old), { permissionSetExists: false, holders: [] });
    await salesforce.installTracking(old, { pollMs: 20 });
    assert.equal((await salesforce.trackingStatus(old)).version, salesforce.TRACKING_SCHEMA_VERSION);
    assert.deepEqual(await salesforce.listQueueEntries(old), []);
    assert.equal((await salesforce.releaseManagers(old)).permissionSetExists, true);
  });
});
