/**
 * A deployment record of 10,000 components against the emulator, through the real Salesforce
 * layer and the deploy workflow: its component list and facts (the package's 10,000 file digests)
 * do not fit their long text fields (131,072 characters), so they are kept in files linked to the
 * record and read back transparently, by a teammate too; an unchanged list is not stored again.
 */
import { strict as assert } from 'node:assert';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Environment, type Pipeline } from '../../src/core/pipeline';
import type { ComponentRef } from '../../src/core/metadata-types';
import * as salesforce from '../../src/salesforce';
import { approveDeployment, editDeployment, listDeploymentRecords, loadPackage, recordResult, retrievePackage, submitDeployment } from '../../src/workflows/deploy/records';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

const N = 10_000;

describe('deployment records of 10,000 components (emulated orgs, plain Node)', function () {
  this.timeout(600_000);
  let env: StartedEmulator;
  let reviewerConn: salesforce.OrgConnection;
  let pipeline: Pipeline;
  let components: ComponentRef[];

  const depsFor = (devOrg: string): WorkflowDeps => {
    const envs: Environment[] = pipeline.environments.map((e) => (e.name === 'Dev' ? { ...e, org: devOrg } : e));
    return { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };
  };
  let ada: WorkflowDeps;
  let rae: WorkflowDeps;

  const storedRow = (id: string) => env.org('dev').store.table('Changeline_Deployment__c').get(id)!;

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'deplarge-', seed: 3, components: N });
    const users = env.org('dev').info().users;
    const rev = users.find((u) => !u.isAdmin)!;
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'deplarge-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'deplarge-uat', role: 'staging' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    await salesforce.installTracking(env.conns.dev!, { pollMs: 20 });
    await salesforce.grantTrackingAccess(env.conns.dev!, [rev.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: rev.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'deplarge-dev-reviewer' });
    ada = depsFor('deplarge-dev');
    rae = depsFor('deplarge-dev-reviewer');
    // Every component Dev has that a package can carry (folders and children come with their parents).
    const listed = await salesforce.listComponents(env.conns.dev!, undefined, { concurrency: 3 });
    components = listed
      .map((c) => ({ type: c.type, fullName: c.fullName }))
      .filter((c) => !c.type.endsWith('Folder') && !c.fullName.includes('/') && c.type !== 'CustomField' && c.type !== 'CustomLabel')
      .slice(0, N);
  });
  after(async () => {
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it('keeps a list of 10,000 components in a file linked to the record, read back whole by a teammate', async () => {
    assert.ok(components.length >= 5_000, `the seeded org lists ${components.length} packageable components`);
    assert.ok(JSON.stringify(components).length > salesforce.LONG_TEXT_LIMIT, 'the list is longer than its field holds');
    const made = await salesforce.createDeployment(env.conns.dev!, { crId: '', sourceEnvironment: 'Dev', targetEnvironment: 'UAT', components, runTests: [], approvers: [], status: 'Draft' });
    assert.deepEqual(made.components, components, 'read back whole, in order');
    const row = storedRow(made.id!);
    assert.match(String(row.Components__c), /^\{"changelineFile"/, 'the field holds a pointer to the file');
    assert.ok(String(row.Components__c).length < 1000);
    const files = await salesforce.filesOf(env.conns.dev!, made.id!);
    assert.equal(files.length, 1, 'the list is a file linked to the record');

    // Rae, in her own session, sees the same list through the record's page of the list and by id.
    const listed = await listDeploymentRecords(rae, 'Dev', { statuses: ['Draft'] });
    assert.deepEqual(listed.items.find((d) => d.id === made.id)?.components.length, components.length);
    assert.deepEqual((await salesforce.getDeployment(reviewerConn, made.id!)).components, components);
  });

  it('goes through approval, retrieve and a removed component with the list and the 10,000 digests in files', async () => {
    const [rec] = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Draft'] })).items;
    const componentsFile = JSON.parse(String(storedRow(rec.id!).Components__c)).changelineFile.document as string;
    const filesBefore = await salesforce.filesOf(env.conns.dev!, rec.id!);
    assert.ok((await submitDeployment(ada, 'Dev', rec.id!, pipeline)).ok);
    const approved = await approveDeployment(rae, 'Dev', rec.id!, 'All of it');
    assert.ok(approved.ok, JSON.stringify(approved));
    assert.deepEqual(await salesforce.filesOf(env.conns.dev!, rec.id!), filesBefore, 'status changes do not store the unchanged list again');

    const got = await retrievePackage(ada, 'Dev', rec.id!, { pollMs: 50 });
    assert.ok(got.ok, JSON.stringify(got).slice(0, 2000));
    const record = got.result.record;
    assert.equal(record.package?.componentCount, components.length);
    const digests = Object.keys(record.package?.digests ?? {});
    assert.ok(digests.length >= components.length, `${digests.length} file digests`);
    // The 10,000 digests are a file of their own, written once: the facts saved at each later step stay small.
    const facts = JSON.parse(String(storedRow(rec.id!).Facts__c)) as { packageDigestsFile?: { document: string }; packageDigests?: unknown };
    assert.ok(facts.packageDigestsFile?.document, 'the facts point to the digests file');
    assert.equal(facts.packageDigests, undefined, 'the digests are not in the facts themselves');
    assert.ok(String(storedRow(rec.id!).Facts__c).length < salesforce.LONG_TEXT_LIMIT);
    const filesAfterRetrieve = await salesforce.filesOf(env.conns.dev!, rec.id!);
    const checked = await recordResult(ada, 'Dev', rec.id!, { kind: 'dependencies', fact: { at: new Date().toISOString(), by: 'ada', missing: 0, sources: ['static scan'] } });
    assert.ok(checked.ok, JSON.stringify(checked).slice(0, 500));
    assert.deepEqual(await salesforce.filesOf(env.conns.dev!, rec.id!), filesAfterRetrieve, 'a later save stores no file again');
    assert.deepEqual(checked.record.package?.digests, record.package?.digests);
    salesforce.forgetHeldValues();

    // The teammate loads the package and its digests from the org: nothing reads as changed.
    const theirs = await loadPackage(rae, 'Dev', rec.id!);
    assert.deepEqual(theirs.changed, []);
    assert.deepEqual(theirs.record.package?.digests, record.package?.digests);

    // Any component can be removed: a new version of the list file, read back without it.
    const dropped = components[components.length - 1];
    const trimmed = await editDeployment(rae, 'Dev', rec.id!, { components: components.slice(0, -1) });
    assert.ok(trimmed.ok, JSON.stringify(trimmed).slice(0, 2000));
    assert.equal(trimmed.record.components.length, components.length - 1);
    assert.ok(!trimmed.record.components.some((c) => c.type === dropped.type && c.fullName === dropped.fullName));
    const edit = trimmed.history.find((h) => h.action === 'edited')!.details.changes![0];
    assert.deepEqual([edit.removed, edit.removedCount, edit.addedCount], [[dropped], 1, 0], 'the history says which component was removed');
    const nowPointing = JSON.parse(String(storedRow(rec.id!).Components__c)).changelineFile.document as string;
    assert.notEqual(nowPointing, componentsFile, 'the changed list is a new file');
    assert.ok((await salesforce.filesOf(env.conns.dev!, rec.id!)).includes(componentsFile), 'the previous list stays for whoever read the record before');
    assert.equal((await salesforce.getDeployment(env.conns.dev!, rec.id!)).components.length, components.length - 1);
  });

  it('refuses to read a list whose file no longer matches the record, instead of reading another list', async () => {
    const [rec] = (await listDeploymentRecords(ada, 'Dev', { statuses: ['Pending approval'] })).items;
    const pointer = JSON.parse(String(storedRow(rec.id!).Components__c)).changelineFile as { version: string };
    const version = env.org('dev').store.table('ContentVersion').get(pointer.version)!;
    const text = Buffer.from(String(version.VersionData), 'base64').toString('utf8');
    // Someone replaces the bytes of that version behind Changeline's back (checksum kept consistent).
    const altered = Buffer.from(text.replace(/"fullName":"/, '"fullName":"X'), 'utf8');
    version.VersionData = altered.toString('base64');
    version.ContentSize = altered.length;
    version.Checksum = (await import('node:crypto')).createHash('md5').update(altered).digest('hex');
    salesforce.forgetHeldValues();
    const e = await rejection(salesforce.getDeployment(env.conns.dev!, rec.id!));
    assert.match(e.message, /is not the version the record points to/);
    version.VersionData = Buffer.from(text, 'utf8').toString('base64');
    version.ContentSize = Buffer.byteLength(text);
    version.Checksum = (await import('node:crypto')).createHash('md5').update(text).digest('hex');
    assert.equal((await salesforce.getDeployment(env.conns.dev!, rec.id!)).components.length, components.length - 1);
  });
});
