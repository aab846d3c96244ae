/**
 * Deployment records in plain Node against the emulator, through the real Salesforce layer: the
 * tracking schema v4 (install and upgrade), records created only from an approved change request
 * along the promotion path, the approval flow, the package kept as a file with the record and read
 * back by a teammate from their own session, optimistic locking, and the cascade of a delete.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { verifyChain } from '../../src/core/audit/chain';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Environment, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { readZip, writeZip } from '../../src/salesforce/compare/zip-codec';
import {
  approveDeployment,
  createDeployment,
  deleteDraftDeployment,
  editDeployment,
  listDeploymentRecords,
  loadPackage,
  recordResult,
  rejectDeployment,
  retrievePackage,
  submitDeployment,
} from '../../src/workflows/deploy/records';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

const GREETER = 'public with sharing class Greeter {\n    public static String greet(String name) {\n        return \'Hello, \' + name;\n    }\n}\n';
const GREETER_TEST =
  "@isTest\nprivate class GreeterTest {\n    @isTest static void greets() {\n        System.assertEquals('Hello, Ada', Greeter.greet('Ada'));\n    }\n}\n";

/** A copy of the shipped schema as version 3 shipped it: no deployment record fields, no deployment history. */
function schemaV3(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trk-v3-'));
  fs.cpSync(salesforce.defaultTrackingFolder(), dir, { recursive: true });
  const dep = path.join(dir, 'objects', 'Changeline_Deployment__c');
  const v1Fields = ['Change_Request__c', 'Completed__c', 'Deploy_Id__c', 'Details__c', 'Started__c', 'Status__c', 'Target_Org_Id__c'];
  const added = fs.readdirSync(path.join(dep, 'fields')).map((f) => f.replace('.field-meta.xml', '')).filter((f) => !v1Fields.includes(f));
  for (const f of added) fs.rmSync(path.join(dep, 'fields', `${f}.field-meta.xml`));
  fs.rmSync(path.join(dep, 'validationRules'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'objects', 'Changeline_Deployment_History__c'), { recursive: true, force: true });
  const obj = path.join(dep, 'Changeline_Deployment__c.object-meta.xml');
  fs.writeFileSync(obj, fs.readFileSync(obj, 'utf8').replace('DEP-{00000}', 'D-{000000}'));
  const ps = path.join(dir, 'permissionsets', 'Changeline_Tracking.permissionset-meta.xml');
  let xml = fs.readFileSync(ps, 'utf8');
  for (const f of added) xml = xml.replace(new RegExp(`\\s*<fieldPermissions>\\s*<editable>\\w+</editable>\\s*<field>Changeline_Deployment__c\\.${f}</field>[\\s\\S]*?</fieldPermissions>`), '');
  xml = xml.replace(/\s*<fieldPermissions>\s*<editable>\w+<\/editable>\s*<field>Changeline_Deployment_History__c\.[\s\S]*?<\/fieldPermissions>/g, '');
  xml = xml.replace(/\s*<objectPermissions>(?:(?!<\/objectPermissions>)[\s\S])*?<object>Changeline_Deployment_History__c<\/object>[\s\S]*?<\/objectPermissions>/, '');
  fs.writeFileSync(ps, xml);
  const carrier = path.join(dir, 'objects', 'Changeline_Change_Request__c', 'fields', 'Schema_Version__c.field-meta.xml');
  fs.writeFileSync(carrier, fs.readFileSync(carrier, 'utf8').replace(/<defaultValue>\d+<\/defaultValue>/, '<defaultValue>3</defaultValue>'));
  return dir;
}

describe('deployment records (emulated orgs, plain Node)', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let reviewerConn: salesforce.OrgConnection;
  let pipeline: Pipeline;
  let admin: { id: string };
  let reviewer: { id: string };
  const cleanup: Array<() => void> = [];

  /** Workflow deps of one user: `devOrg` is the alias their Dev session opens. */
  const depsFor = (devOrg: string): WorkflowDeps => {
    const envs: Environment[] = pipeline.environments.map((e) => (e.name === 'Dev' ? { ...e, org: devOrg } : e));
    return { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };
  };
  let ada: WorkflowDeps;
  let rae: WorkflowDeps;

  /** An approved CR in Dev holding Greeter and its test: Ada submits, Rae approves. */
  async function approvedCr(name: string, classes = ['Greeter', 'GreeterTest']): Promise<string> {
    const dev = env.conns.dev!;
    const made = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, {
      name,
      customizations: classes.map((fullName) => ({ type: 'ApexClass', fullName })),
    });
    assert.ok(made.ok, JSON.stringify(made));
    const submitted = await changeStatus({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const approved = await changeStatus({ store: salesforce.trackingStore(reviewerConn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'Looks right');
    assert.ok(approved.ok, JSON.stringify(approved));
    return approved.cr.number!;
  }

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'deprec-' });
    const users = env.org('dev').info().users;
    admin = users.find((u) => u.isAdmin)!;
    const rev = users.find((u) => !u.isAdmin)!;
    reviewer = rev;
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'deprec-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'deprec-uat', role: 'staging', next: 'Prod', testLevel: 'RunLocalTests' },
          { name: 'Prod', org: 'deprec-prod', role: 'production' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    await salesforce.installTracking(env.conns.dev!, { pollMs: 20 });
    await salesforce.grantTrackingAccess(env.conns.dev!, [rev.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: rev.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'deprec-dev-reviewer' });
    const proj = tempProject('deprec-src-');
    cleanup.push(() => proj.remove());
    writeClass(proj, 'Greeter', GREETER);
    writeClass(proj, 'GreeterTest', GREETER_TEST);
    const deployed = await salesforce.deploy(env.conns.dev!, { sourcePaths: [proj.dir], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    ada = depsFor('deprec-dev');
    rae = depsFor('deprec-dev-reviewer');
  });
  after(async () => {
    for (const c of cleanup) c();
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it('installs the tracking schema (v4 brought deployment records), and upgrades an org on v3 so its deployment records become readable', async () => {
    const V = salesforce.TRACKING_SCHEMA_VERSION;
    assert.ok(V >= 4);
    assert.deepEqual(await salesforce.trackingStatus(env.conns.dev!), { installed: true, version: V, upgradeAvailable: false, shipped: V });
    const uat = env.conns.uat!;
    const v3 = schemaV3();
    cleanup.push(() => fs.rmSync(v3, { recursive: true, force: true }));
    await salesforce.installTracking(uat, { folder: v3, pollMs: 20 });
    assert.deepEqual(await salesforce.trackingStatus(uat), { installed: true, version: 3, upgradeAvailable: true, shipped: V });
    const e = await rejection(salesforce.listDeployments(uat));
    assert.ok(salesforce.isTrackingOutdated(e), `${e.name}: ${e.message}`);
    assert.match(e.message, /older than this Changeline.*install change tracking again/);
    // A row of the deployment object as schema 3 had it.
    const [old] = await salesforce.createRecords(uat, 'Changeline_Deployment__c', [{ Status__c: 'Succeeded', Deploy_Id__c: '0Af000000000001AAA' }]);
    assert.ok(old.success, JSON.stringify(old.errors));

    await salesforce.installTracking(uat, { pollMs: 20 });
    assert.deepEqual(await salesforce.trackingStatus(uat), { installed: true, version: V, upgradeAvailable: false, shipped: V });
    const made = await salesforce.createDeployment(uat, { crId: '', sourceEnvironment: 'UAT', targetEnvironment: 'Prod', components: [{ type: 'ApexClass', fullName: 'Greeter' }], runTests: [], approvers: [], status: 'Draft' });
    assert.equal(made.number, 'DEP-00002', 'numbering goes on from the rows numbered before the upgrade');
    const listed = await salesforce.listDeployments(uat);
    assert.deepEqual(listed.items.map((d) => [d.number, d.status]), [
      ['DEP-00002', 'Draft'],
      ['D-000001', 'Abandoned'],
    ]);
  });

  it('creates a record only from an approved change request, and only toward an environment the pipeline connects', async () => {
    const dev = env.conns.dev!;
    const draft = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, { name: 'Not approved yet', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] });
    assert.ok(draft.ok);
    const refused = await createDeployment(ada, { crEnv: 'Dev', crRef: draft.cr.number!, targetEnv: 'UAT', pipeline });
    assert.equal(refused.ok, false);
    assert.match((refused as { reason: string }).reason, new RegExp(`Only an approved change request can be deployed: ${draft.cr.number} is Draft`));

    const number = await approvedCr('Greeting');
    const skip = await createDeployment(ada, { crEnv: 'Dev', crRef: number, targetEnv: 'Prod', pipeline });
    assert.equal(skip.ok, false);
    assert.match((skip as { reason: string }).reason, /From Dev, changes go to UAT only; they reach Prod through the pipeline/);
    assert.equal((await salesforce.listDeployments(dev)).totalSize, 0, 'nothing was created by the refusals');

    const made = await createDeployment(ada, { crEnv: 'Dev', crRef: number, targetEnv: 'UAT', pipeline });
    assert.ok(made.ok, JSON.stringify(made));
    const rec = made.record;
    assert.match(rec.number ?? '', /^DEP-\d{5}$/);
    assert.equal(rec.crNumber, number);
    assert.deepEqual([rec.sourceEnvironment, rec.targetEnvironment, rec.status, rec.testLevel], ['Dev', 'UAT', 'Draft', 'RunLocalTests']);
    assert.deepEqual(rec.components.map((c) => c.fullName), ['Greeter', 'GreeterTest']);
    assert.deepEqual(made.history.map((h) => h.action), ['created']);
    // The teammate sees the same record in the org.
    const seen = await listDeploymentRecords(rae, 'Dev', { statuses: ['Draft'] });
    assert.deepEqual(seen.items.map((d) => d.number), [rec.number]);
  });

  it('goes through approval under the change request rules, with a hash-chained history', async () => {
    const [rec] = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Draft'] })).items;
    const submitted = await submitDeployment(ada, 'Dev', rec.id!, pipeline);
    assert.ok(submitted.ok, JSON.stringify(submitted));
    assert.equal(submitted.record.submittedBy, admin.id);
    const self = await approveDeployment(ada, 'Dev', rec.id!, 'mine');
    assert.equal(self.ok, false, 'the submitter cannot approve');
    const silent = await approveDeployment(rae, 'Dev', rec.id!, '  ');
    assert.equal(silent.ok, false);
    assert.match((silent as { reason: string }).reason, /Add a comment saying why you approve/);
    const rejected = await rejectDeployment(rae, 'Dev', rec.id!, 'Run all tests in UAT, please');
    assert.ok(rejected.ok);
    assert.equal((await submitDeployment(ada, 'Dev', rec.id!, pipeline)).ok, true);
    const approved = await approveDeployment(rae, 'Dev', rec.id!, 'Ready for UAT');
    assert.ok(approved.ok, JSON.stringify(approved));
    assert.equal(approved.record.status, 'Approved');
    const history = await salesforce.readDeploymentHistory(env.conns.dev!, rec.id!);
    assert.deepEqual(history.map((h) => h.action), ['created', 'status', 'rejected', 'status', 'approved']);
    assert.equal(history[4].details.comment, 'Ready for UAT');
    assert.equal(history[4].actorId, reviewer.id);
    assert.equal(verifyChain(history), undefined, 'the chain holds');
  });

  it('keeps the package with the record in the org; a teammate reads back the same bytes', async () => {
    const [rec] = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Approved'] })).items;
    const messages: string[] = [];
    const got = await retrievePackage(ada, 'Dev', rec.id!, { pollMs: 20, onProgress: (p) => messages.push(p.message) });
    assert.ok(got.ok, JSON.stringify(got));
    const { record, files } = got.result;
    assert.match(record.package?.fileId ?? '', /^069/);
    assert.equal(record.package?.componentCount, 2);
    assert.equal(record.package?.retrievedBy, admin.id);
    assert.ok(files.some((f) => f.path.endsWith('classes/Greeter.cls')), files.map((f) => f.path).join());
    assert.ok(files.some((f) => f.path.endsWith('package.xml')));
    assert.match(messages[0], /^Retrieving 2 components from Dev/);
    // The org links the file to the record.
    assert.deepEqual(await salesforce.filesOf(env.conns.dev!, rec.id!), [record.package!.fileId]);

    // Rae, in her own session (another machine), loads it from the org.
    const theirs = await loadPackage(rae, 'Dev', rec.id!);
    const mine = await loadPackage(ada, 'Dev', rec.id!);
    assert.ok(Buffer.from(theirs.zip).equals(Buffer.from(mine.zip)));
    const stored = [...env.org('dev').store.table('ContentVersion').values()].find((v) => v.ContentDocumentId === record.package!.fileId);
    assert.ok(stored && Buffer.from(theirs.zip).equals(Buffer.from(String(stored.VersionData), 'base64')), 'the bytes are the ones the org holds');
    assert.deepEqual(theirs.changed, []);
    const greeter = theirs.files.find((f) => f.path.endsWith('classes/Greeter.cls'))!;
    assert.equal(greeter.digest, record.package!.digests![greeter.path]);
    const history = await salesforce.readDeploymentHistory(env.conns.dev!, rec.id!);
    assert.equal(history[history.length - 1].action, 'package');

    // The stored bytes replaced behind Changeline's back (checksum kept consistent): even in the
    // process that stored the package, loading it reads the org's bytes and names the changed file.
    const original = String(stored.VersionData);
    const entries = readZip(Buffer.from(original, 'base64'), 1e8);
    entries.set(greeter.path, Buffer.from('public class Greeter { /* changed in the org */ }'));
    const altered = writeZip([...entries]);
    Object.assign(stored, { VersionData: altered.toString('base64'), ContentSize: altered.length, Checksum: createHash('md5').update(altered).digest('hex') });
    try {
      assert.deepEqual((await loadPackage(ada, 'Dev', rec.id!)).changed, [greeter.path]);
    } finally {
      Object.assign(stored, { VersionData: original, ContentSize: Buffer.from(original, 'base64').length, Checksum: createHash('md5').update(Buffer.from(original, 'base64')).digest('hex') });
    }
  });

  it('records a real validation against the target, read back by the teammate', async () => {
    const [rec] = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Approved'] })).items;
    const proj = tempProject('deprec-val-');
    cleanup.push(() => proj.remove());
    writeClass(proj, 'Greeter', GREETER);
    writeClass(proj, 'GreeterTest', GREETER_TEST);
    const result = await salesforce.deploy(env.conns.uat!, { sourcePaths: [proj.dir], checkOnly: true, testLevel: 'RunLocalTests', pollMs: 20 });
    assert.ok(result.success, JSON.stringify(result.failures));
    const started = await recordResult(ada, 'Dev', rec, { kind: 'validation-started', start: { id: result.id, startedAt: new Date().toISOString(), by: admin.id, testLevel: 'RunLocalTests' } });
    assert.ok(started.ok, JSON.stringify(started));
    const finished = await recordResult(ada, 'Dev', started.record, { kind: 'validation-finished', result });
    assert.ok(finished.ok, JSON.stringify(finished));
    const read = await salesforce.getDeployment(reviewerConn, rec.id!);
    assert.equal(read.validation?.id, result.id);
    assert.equal(read.validation?.success, true);
    assert.equal(read.validation?.testsRun, result.tests.run);
    assert.ok((read.validation?.testsRun ?? 0) > 0);
    assert.deepEqual(read.validation?.apex?.map((a) => a.fullName), ['Greeter', 'GreeterTest']);
    assert.ok(read.package, 'recording a validation keeps the package');
  });

  it('two saves based on one read (same second) do not both succeed: the second is a conflict and writes nothing', async () => {
    const [rec] = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Approved'] })).items;
    const mineBase = await salesforce.getDeployment(env.conns.dev!, rec.id!);
    const theirBase = await salesforce.getDeployment(reviewerConn, rec.id!);
    const at = new Date().toISOString();
    const first = await recordResult(ada, 'Dev', mineBase, { kind: 'dependencies', fact: { at, by: admin.id, missing: 0, sources: ['static scan'] } });
    const second = await recordResult(rae, 'Dev', theirBase, { kind: 'dependencies', fact: { at, by: reviewer.id, missing: 3, sources: ['org dependencies'] } });
    assert.ok(first.ok, JSON.stringify(first));
    assert.equal(second.ok, false);
    assert.equal((second as { conflict?: true }).conflict, true);
    assert.match((second as { reason: string }).reason, new RegExp(`${rec.number} was changed by someone else meanwhile; reload it`));
    const now = await salesforce.getDeployment(env.conns.dev!, rec.id!);
    assert.equal(now.dependencyCheck?.missing, 0, 'the stale save wrote nothing');
    assert.equal(now.version, (mineBase.version ?? 0) + 1);
    // Within one second If-Unmodified-Since cannot tell the two saves apart: a stale read carrying the
    // current LastModifiedDate passes that header, and the org's version rule alone refuses it.
    const sameSecond = await recordResult(rae, 'Dev', { ...theirBase, lastModified: now.lastModified }, { kind: 'dependencies', fact: { at, by: reviewer.id, missing: 5, sources: ['static scan'] } });
    assert.equal((sameSecond as { conflict?: true }).conflict, true);
    assert.equal((await salesforce.getDeployment(env.conns.dev!, rec.id!)).dependencyCheck?.missing, 0);
    const history = await salesforce.readDeploymentHistory(env.conns.dev!, rec.id!);
    assert.equal(history.filter((h) => h.action === 'dependencies').length, 1);
  });

  it('records a deploy from its start to its result: the record is Deploying, then Deployed', async () => {
    const [rec] = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Approved'] })).items;
    const proj = tempProject('deprec-dep-');
    cleanup.push(() => proj.remove());
    writeClass(proj, 'Greeter', GREETER);
    writeClass(proj, 'GreeterTest', GREETER_TEST);
    const result = await salesforce.deploy(env.conns.uat!, { sourcePaths: [proj.dir], testLevel: 'RunLocalTests', pollMs: 20 });
    assert.ok(result.success, JSON.stringify(result.failures));
    const started = await recordResult(ada, 'Dev', rec.id!, { kind: 'deploy-started', start: { id: result.id, startedAt: new Date().toISOString(), by: admin.id, testLevel: 'RunLocalTests' } });
    assert.ok(started.ok, JSON.stringify(started));
    assert.equal(started.record.status, 'Deploying');
    assert.equal((await salesforce.getDeployment(reviewerConn, rec.id!)).deploy?.id, result.id, 'a teammate (or a reload) can follow the deploy by its id');
    const wrong = await recordResult(ada, 'Dev', rec.id!, { kind: 'deploy-finished', result: { ...result, id: '0Af000000000000AAA' } });
    assert.equal(wrong.ok, false);
    assert.match((wrong as { reason: string }).reason, new RegExp(`follows deploy ${result.id}`));
    const finished = await recordResult(ada, 'Dev', rec.id!, { kind: 'deploy-finished', result });
    assert.ok(finished.ok, JSON.stringify(finished));
    assert.equal(finished.record.status, 'Deployed');
    assert.equal(finished.record.deploy?.status, 'Succeeded');
    assert.equal(finished.record.deploy?.componentsDeployed, result.componentsDone);
    const history = await salesforce.readDeploymentHistory(env.conns.dev!, rec.id!);
    assert.deepEqual(history.slice(-4).map((h) => h.action), ['deploy', 'status', 'deploy', 'status']);
    assert.equal(verifyChain(history), undefined);
  });

  it('deletes only a draft, and its history goes with it', async () => {
    const deployed = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Deployed'] })).items[0];
    const refused = await rejection(deleteDraftDeployment(ada, 'Dev', deployed.id!));
    assert.match(refused.message, /is Deployed: only a draft can be deleted; abandon it instead/);

    const number = await approvedCr('Greeting again');
    const made = await createDeployment(ada, { crEnv: 'Dev', crRef: number, targetEnv: 'UAT', pipeline });
    assert.ok(made.ok);
    const id = made.record.id!;
    assert.equal((await salesforce.readDeploymentHistory(env.conns.dev!, id)).length, 1);
    await deleteDraftDeployment(ada, 'Dev', id);
    const gone = await rejection(salesforce.getDeployment(env.conns.dev!, id));
    assert.equal(gone.kind, 'not-found');
    const rows = await salesforce.query(env.conns.dev!, `SELECT Id FROM Changeline_Deployment_History__c WHERE Deployment__c = '${id}'`);
    assert.equal(rows.length, 0, 'the history was deleted with the record');
  });

  it('stores no package when the source lacks an approved component, and says which', async () => {
    const number = await approvedCr('Greeting with a class Dev lost', ['Greeter', 'Vanished']);
    const made = await createDeployment(ada, { crEnv: 'Dev', crRef: number, targetEnv: 'UAT', pipeline });
    assert.ok(made.ok);
    assert.ok((await submitDeployment(ada, 'Dev', made.record.id!, pipeline)).ok);
    assert.ok((await approveDeployment(rae, 'Dev', made.record.id!, 'Fine')).ok);
    const got = await retrievePackage(ada, 'Dev', made.record.id!, { pollMs: 20 });
    assert.equal(got.ok, false);
    assert.match((got as { reason: string }).reason, /Dev could not give every component of DEP-\d{5}: Entity of type 'ApexClass' named 'Vanished' cannot be found\. Remove those components/);
    assert.deepEqual(await salesforce.filesOf(env.conns.dev!, made.record.id!), [], 'no file was stored');
    const after = await salesforce.getDeployment(env.conns.dev!, made.record.id!);
    assert.equal(after.package, undefined);
    assert.equal(after.status, 'Approved');
  });

  it('removing a component of an approved record sends it back for approval and drops its package', async () => {
    const number = await approvedCr('Greeting to trim');
    const made = await createDeployment(ada, { crEnv: 'Dev', crRef: number, targetEnv: 'UAT', pipeline });
    assert.ok(made.ok);
    const id = made.record.id!;
    assert.ok((await submitDeployment(ada, 'Dev', id, pipeline)).ok);
    assert.ok((await approveDeployment(rae, 'Dev', id, 'Fine')).ok);
    const got = await retrievePackage(ada, 'Dev', id, { pollMs: 20 });
    assert.ok(got.ok);
    const trimmed = await editDeployment(rae, 'Dev', id, { components: [{ type: 'ApexClass', fullName: 'Greeter' }] });
    assert.ok(trimmed.ok, JSON.stringify(trimmed));
    assert.equal(trimmed.record.status, 'Pending approval');
    assert.equal(trimmed.record.submittedBy, reviewer.id, 'the editor submits the change');
    assert.equal(trimmed.record.package, undefined);
    assert.deepEqual(trimmed.history.map((h) => h.action), ['edited', 'status', 'package']);
    const nothing = await editDeployment(rae, 'Dev', id, { components: [{ type: 'ApexClass', fullName: 'Greeter' }] });
    assert.ok(nothing.ok);
    assert.deepEqual(nothing.history, [], 'an edit that changes nothing writes nothing');
    const empty = await editDeployment(rae, 'Dev', id, { components: [] });
    assert.equal(empty.ok, false);
    assert.match((empty as { reason: string }).reason, /Keep at least one component to deploy/);
  });
});
