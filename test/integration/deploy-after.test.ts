/**
 * After a deployment record's deploy, end to end in plain Node against emulated Dev and UAT (both
 * with change tracking): the CR is pushed to UAT and marked Deployed there with the link to the
 * record, the CR in Dev is Ready (Dev is a development environment); Complete closes the record and
 * both CRs. Check Dependencies finds a class the package needs and UAT lacks; Add to Package
 * retrieves it into the stored package (the record goes back for approval). A record deploy the
 * client lost (UAT unreachable mid-deploy) is picked up again by its id and ends Deployed. And
 * `deploy --cr`'s workflow: no record → one created and submitted; approved → deployed.
 */
import { strict as assert } from 'node:assert';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Environment, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { completeDeployment } from '../../src/workflows/deploy/after-deploy';
import { deployChangeRequest } from '../../src/workflows/deploy/deploy-cr';
import { checkDependencies } from '../../src/workflows/deploy/dependencies';
import { addToPackage, approveDeployment, createDeployment, loadPackage, recordResult, retrievePackage, submitDeployment } from '../../src/workflows/deploy/records';
import { deployRecord, validateRecord } from '../../src/workflows/deploy/release';
import { resumeRecordRun } from '../../src/workflows/deploy/resume-record';
import { DeployError } from '../../src/workflows/deploy/run';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject } from './helpers/project';

const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const cls = (name: string, body = `    public static String greet(String who) {\n        return 'Hello, ' + who;\n    }\n`) => `public with sharing class ${name} {\n${body}}\n`;

describe('after a deployment record is deployed: change requests, Complete, Add to Package, resume', function () {
  this.timeout(240_000);
  let env: StartedEmulator;
  let pipeline: Pipeline;
  let ada: WorkflowDeps;
  let rae: WorkflowDeps;
  let reviewerConn: salesforce.OrgConnection;
  const cleanup: Array<() => void> = [];

  const depsFor = (devOrg: string): WorkflowDeps => {
    const envs: Environment[] = pipeline.environments.map((e) => (e.name === 'Dev' ? { ...e, org: devOrg } : e));
    return { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };
  };

  /** An approved CR of these classes in Dev; its number. */
  async function approvedCr(name: string, classes: string[]): Promise<{ id: string; number: string }> {
    const dev = env.conns.dev!;
    const users = env.org('dev').info().users;
    const admin = users.find((u) => u.isAdmin)!;
    const reviewer = users.find((u) => !u.isAdmin)!;
    const made = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, { name, customizations: classes.map((fullName) => ({ type: 'ApexClass', fullName })) });
    assert.ok(made.ok, JSON.stringify(made));
    const submitted = await changeStatus({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok);
    const approved = await changeStatus({ store: salesforce.trackingStore(reviewerConn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok);
    return { id: approved.cr.id!, number: approved.cr.number! };
  }

  /** An approved record of the CR toward UAT with its package retrieved. */
  async function readyRecord(crNumber: string): Promise<string> {
    const record = await createDeployment(ada, { crEnv: 'Dev', crRef: crNumber, targetEnv: 'UAT', pipeline });
    assert.ok(record.ok, JSON.stringify(record));
    assert.ok((await submitDeployment(ada, 'Dev', record.record.id!, pipeline)).ok);
    assert.ok((await approveDeployment(rae, 'Dev', record.record.id!, 'Ready for UAT')).ok);
    const pkg = await retrievePackage(ada, 'Dev', record.record.id!, { pollMs: 20 });
    assert.ok(pkg.ok, JSON.stringify(pkg));
    return record.record.id!;
  }

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'aft-' });
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'aft-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'aft-uat', role: 'staging' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    const reviewer = env.org('dev').info().users.find((u) => !u.isAdmin)!;
    await salesforce.installTracking(env.conns.dev!, { pollMs: 20 });
    await salesforce.installTracking(env.conns.uat!, { pollMs: 20 });
    await salesforce.grantTrackingAccess(env.conns.dev!, [reviewer.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'aft-dev-reviewer' });
    const proj = tempProject('aft-src-');
    cleanup.push(() => proj.remove());
    for (const n of ['Greeter', 'Lost', 'ByCli', 'DepHelper']) {
      proj.write(`classes/${n}.cls`, cls(n));
      proj.write(`classes/${n}.cls-meta.xml`, META);
    }
    // DepUser calls DepHelper: a package of DepUser alone misses it in UAT.
    proj.write('classes/DepUser.cls', cls('DepUser', "    public static String run() {\n        return DepHelper.greet('Ada');\n    }\n"));
    proj.write('classes/DepUser.cls-meta.xml', META);
    const deployed = await salesforce.deploy(env.conns.dev!, { sourcePaths: [proj.dir], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    ada = depsFor('aft-dev');
    rae = depsFor('aft-dev-reviewer');
  });
  afterEach(() => env.org('uat').faults.clear());
  after(async () => {
    for (const c of cleanup) c();
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it('marks the CR Deployed in UAT with the link to the record and Ready in Dev; Complete closes the record and both CRs', async () => {
    const cr = await approvedCr('Greeter to UAT', ['Greeter']);
    const id = await readyRecord(cr.number);
    const deployed = await deployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(deployed.record.status, 'Deployed');
    assert.deepEqual(deployed.afterDeploy?.problems, []);

    // In UAT: the CR, pushed there, is Deployed and names the record (kept in Dev's org) and the deploy.
    const copy = await salesforce.findCopy(env.conns.uat!, env.conns.dev!.orgId, cr.id);
    assert.ok(copy, 'the CR reached UAT');
    assert.equal(copy.status, 'Deployed');
    assert.equal(copy.deployment?.number, deployed.record.number);
    assert.equal(copy.deployment?.recordId, id);
    assert.equal(copy.deployment?.environment, 'Dev');
    assert.equal(copy.deployment?.deployId, deployed.outcome.result.id);
    assert.deepEqual(copy.customizations, [{ type: 'ApexClass', fullName: 'Greeter' }], 'its component is in UAT now');
    const copyHistory = await salesforce.readHistory(env.conns.uat!, copy.id!);
    assert.equal((copyHistory.at(-1)?.details.deployment as { number?: string } | undefined)?.number, deployed.record.number);

    // In Dev (development): Ready.
    const source = await salesforce.getChangeRequest(env.conns.dev!, cr.id);
    assert.equal(source.status, 'Ready');

    const done = await completeDeployment(ada, { env: 'Dev', ref: id });
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual(done.result.problems, []);
    assert.equal(done.result.record.status, 'Completed');
    assert.equal((await salesforce.getChangeRequest(env.conns.uat!, copy.id!)).status, 'Completed');
    assert.equal((await salesforce.getChangeRequest(env.conns.dev!, cr.id)).status, 'Completed');
    // Completing twice is refused, and changes nothing.
    const again = await completeDeployment(ada, { env: 'Dev', ref: id });
    assert.equal(again.ok, false);
  });

  it('Check Dependencies finds the class the package needs and UAT lacks; Add to Package retrieves it into the stored package and sends the record back for approval', async () => {
    const cr = await approvedCr('DepUser to UAT', ['DepUser']);
    const id = await readyRecord(cr.number);
    const { zip } = await loadPackage(ada, 'Dev', id);
    const report = await checkDependencies(ada, { targetEnv: 'UAT', sourceEnv: 'Dev', zip });
    assert.deepEqual(report.missing.map((m) => `${m.ref.type} ${m.ref.fullName}`), ['ApexClass DepHelper']);
    const { userId } = await ada.sessions.get('Dev');
    assert.ok((await recordResult(ada, 'Dev', id, { kind: 'dependencies', fact: { at: new Date().toISOString(), by: userId, missing: 1, sources: ['static scan'] } })).ok);

    const added = await addToPackage(ada, 'Dev', id, report.missing.map((m) => m.ref), { pollMs: 20 });
    assert.ok(added.ok, JSON.stringify(added));
    assert.equal(added.retrieved, true);
    assert.equal(added.record.status, 'Pending approval', 'what it deploys changed: back to its approvers');
    assert.deepEqual(added.record.components.map((c) => c.fullName), ['DepUser', 'DepHelper']);
    const stored = await loadPackage(ada, 'Dev', id);
    assert.ok(stored.files.some((f) => f.path.endsWith('classes/DepHelper.cls')), 'the stored package holds the added class');
    assert.deepEqual(stored.changed, []);
    // Adding it again adds nothing.
    const twice = await addToPackage(ada, 'Dev', id, [{ type: 'ApexClass', fullName: 'DepHelper' }]);
    assert.ok(twice.ok && twice.added.length === 0);

    assert.ok((await approveDeployment(rae, 'Dev', id, 'With its helper')).ok);
    const validated = await validateRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(validated.outcome.result.success, true, JSON.stringify(validated.outcome.problems));
  });

  it('a record deploy the client lost (UAT unreachable mid-deploy) is picked up again by its id and ends Deployed, its CRs marked', async () => {
    const cr = await approvedCr('Lost to UAT', ['Lost']);
    const id = await readyRecord(cr.number);
    const uat = env.org('uat');
    uat.faults.holdDeploysAt = ['InProgress'];
    let started = '';
    const err = await rejection(
      deployRecord(ada, { env: 'Dev', ref: id, pipeline }, {
        pollMs: 20,
        onStarted: (d) => (started = d),
        onProgress: (p) => {
          if (/^Deploying \d/.test(p.message)) void uat.setDown(true);
        },
      }),
    );
    await uat.setDown(false);
    assert.ok(err instanceof DeployError && err.kind === 'unreachable', String(err));
    const lost = await salesforce.getDeployment(env.conns.dev!, id);
    assert.equal(lost.status, 'Deploying');
    assert.equal(lost.deploy?.id, started, 'the record keeps the deploy id');

    uat.faults.holdDeploysAt = [];
    const resumed = await resumeRecordRun(ada, { env: 'Dev', ref: id, pipeline, runId: started }, { pollMs: 20 });
    assert.ok(resumed);
    assert.equal(resumed.outcome.result.id, started);
    assert.equal(resumed.record.status, 'Deployed');
    assert.equal(resumed.afterDeploy?.target?.status, 'Deployed');
    assert.equal((await salesforce.getChangeRequest(env.conns.dev!, cr.id)).status, 'Ready');
    assert.ok((await salesforce.listComponents(env.conns.uat!, ['ApexClass'])).some((c) => c.fullName === 'Lost'));
    // Nothing runs any more: a second pick-up follows nothing.
    assert.equal(await resumeRecordRun(ada, { env: 'Dev', ref: id, pipeline, runId: started }), undefined);
  });

  it('deploy --cr: without a record, one is created and submitted (nothing sent); once approved, the same call deploys it', async () => {
    const cr = await approvedCr('ByCli to UAT', ['ByCli']);
    const first = await deployChangeRequest(ada, { crRef: cr.number, targetEnv: 'UAT', pipeline }, { pollMs: 20 });
    assert.equal(first.kind, 'waiting');
    assert.ok(first.kind === 'waiting' && first.created && first.record);
    assert.equal(first.record.status, 'Pending approval');
    assert.match(first.reason, /^Created DEP-\d+ for CR-\d+ and submitted it for approval/);
    assert.ok(!(await salesforce.listComponents(env.conns.uat!, ['ApexClass'])).some((c) => c.fullName === 'ByCli'), 'nothing was sent');

    const pending = await deployChangeRequest(ada, { crRef: cr.number, targetEnv: 'UAT', pipeline });
    assert.ok(pending.kind === 'waiting' && !pending.created);
    assert.match(pending.reason, /waits for approval/);

    assert.ok((await approveDeployment(rae, 'Dev', first.record.id!, 'go')).ok);
    const refusedLevel = await deployChangeRequest(ada, { crRef: cr.number, targetEnv: 'UAT', pipeline, testLevel: 'RunAllTestsInOrg' });
    assert.ok(refusedLevel.kind === 'waiting');
    assert.match(refusedLevel.reason, /changing it sends it back for approval/);

    const ran = await deployChangeRequest(ada, { crRef: cr.number, targetEnv: 'UAT', pipeline }, { pollMs: 20 });
    assert.ok(ran.kind === 'ran', JSON.stringify(ran));
    assert.equal(ran.retrieved, true, 'its package was retrieved first');
    assert.equal(ran.record.status, 'Deployed');
    assert.equal(ran.release.afterDeploy?.source?.status, 'Ready');
    assert.ok((await salesforce.listComponents(env.conns.uat!, ['ApexClass'])).some((c) => c.fullName === 'ByCli'));
  });
});
