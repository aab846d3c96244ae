/**
 * An environment's deployment history against the emulator: a deployment record deployed from Dev
 * to UAT (Changeline's: its record number and CR) and a class deployed straight to UAT with SDR
 * (out of band) both appear, newest first, with the components each deploy reported; a validation
 * shows as check-only. The log's filters over it; and Dev's deployments behind UAT: the
 * out-of-band deploy counts, the record's deploy (already in Dev) does not, a later out-of-band
 * change counts, and bringing it to Dev takes it off.
 */
import { strict as assert } from 'node:assert';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { approveDeployment, createDeployment, retrievePackage, submitDeployment } from '../../src/workflows/deploy/records';
import { deployRecord, validateRecord } from '../../src/workflows/deploy/release';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { CompareStore } from '../../src/workflows/compare/store';
import { NodeFileStore } from '../../src/workflows/storage';
import { deploymentsBehind } from '../../src/workflows/promotion/behind';
import { detailsCache, readDeploymentDetails, readOrgHistory, recordHolders } from '../../src/workflows/promotion/history';
import { readDeploymentLog } from '../../src/workflows/promotion/log';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

const cls = (name: string, word = 'Hello') => `public with sharing class ${name} {\n    public static String greet(String who) {\n        return '${word}, ' + who;\n    }\n}\n`;
const test = (name: string, of: string) => `@isTest\nprivate class ${name} {\n    @isTest static void greets() {\n        System.assert(${of}.greet('Ada') != null);\n    }\n}\n`;

describe('deployment history of an environment (Changeline and out-of-band deploys)', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let pipeline: Pipeline;
  let ada: WorkflowDeps;
  let rae: WorkflowDeps;
  let reviewerConn: salesforce.OrgConnection;
  let recordNumber: string;
  let crNumber: string;
  let recordDeployId: string;
  let validationId: string;
  let sdrDeployId: string;
  let failedId: string;
  const cleanup: Array<() => void> = [];

  const depsFor = (devOrg: string): WorkflowDeps => {
    const envs = pipeline.environments.map((e) => (e.name === 'Dev' ? { ...e, org: devOrg } : e));
    return { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };
  };

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'hist-' });
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'hist-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'hist-uat', role: 'staging', testLevel: 'RunLocalTests' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    const dev = env.conns.dev!;
    const users = env.org('dev').info().users;
    const admin = users.find((u) => u.isAdmin)!;
    const reviewer = users.find((u) => !u.isAdmin)!;
    await salesforce.installTracking(dev, { pollMs: 20 });
    await salesforce.grantTrackingAccess(dev, [reviewer.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'hist-dev-reviewer' });
    const proj = tempProject('hist-src-');
    cleanup.push(() => proj.remove());
    writeClass(proj, 'Greeter', cls('Greeter'));
    writeClass(proj, 'GreeterTest', test('GreeterTest', 'Greeter'));
    assert.ok((await salesforce.deploy(dev, { sourcePaths: [proj.dir], pollMs: 20 })).success);
    ada = depsFor('hist-dev');
    rae = depsFor('hist-dev-reviewer');

    // Changeline: an approved CR in Dev, its deployment record validated then deployed to UAT.
    const made = await createRequest({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, { name: 'Greeter to UAT', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }, { type: 'ApexClass', fullName: 'GreeterTest' }] });
    assert.ok(made.ok);
    const submitted = await changeStatus({ store: salesforce.trackingStore(dev), actor: { userId: admin.id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok);
    const approved = await changeStatus({ store: salesforce.trackingStore(reviewerConn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok);
    crNumber = approved.cr.number!;
    const record = await createDeployment(ada, { crEnv: 'Dev', crRef: crNumber, targetEnv: 'UAT', pipeline });
    assert.ok(record.ok, JSON.stringify(record));
    recordNumber = record.record.number!;
    assert.ok((await submitDeployment(ada, 'Dev', record.record.id!, pipeline)).ok);
    assert.ok((await approveDeployment(rae, 'Dev', record.record.id!, 'Ready for UAT')).ok);
    assert.ok((await retrievePackage(ada, 'Dev', record.record.id!, { pollMs: 20 })).ok);
    const validated = await validateRecord(ada, { env: 'Dev', ref: record.record.id!, pipeline }, { pollMs: 20 });
    assert.equal(validated.outcome.result.success, true);
    validationId = validated.outcome.result.id;
    const deployed = await deployRecord(ada, { env: 'Dev', ref: record.record.id!, pipeline }, { pollMs: 20 });
    assert.equal(deployed.outcome.result.success, true);
    recordDeployId = deployed.outcome.result.id;

    // Out of band: a hotfix class deployed straight to UAT with SDR (as the sf CLI would).
    const hot = tempProject('hist-hotfix-');
    cleanup.push(() => hot.remove());
    writeClass(hot, 'Hotfix', cls('Hotfix', 'Hi'));
    const sdr = await salesforce.deploy(env.conns.uat!, { sourcePaths: [hot.dir], pollMs: 20 });
    assert.ok(sdr.success, JSON.stringify(sdr.failures));
    sdrDeployId = sdr.id;
    // And one that failed (does not compile): in the log, never behind.
    const bad = tempProject('hist-broken-');
    cleanup.push(() => bad.remove());
    writeClass(bad, 'Broken', 'public class Broken {\n    public static Integer one() {\n        return (1));\n    }\n}\n');
    const failed = await salesforce.deploy(env.conns.uat!, { sourcePaths: [bad.dir], pollMs: 20 });
    assert.equal(failed.success, false);
    failedId = failed.id;
  });
  after(async () => {
    for (const c of cleanup) c();
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it("lists UAT's deployments newest first: the out-of-band SDR deploy, then the record's deploy and validation marked as Changeline's, each with its components", async () => {
    detailsCache.clear();
    const history = await readOrgHistory(ada, 'UAT', { withComponents: true, recordsFrom: recordHolders(pipeline, 'UAT') });
    assert.deepEqual(history.notes, []);
    const ids = history.deployments.map((d) => d.id.slice(0, 15));
    assert.deepEqual(ids, [failedId, sdrDeployId, recordDeployId, validationId].map((i) => i.slice(0, 15)), 'newest first');
    const [broken, sdr, deploy, validation] = history.deployments;
    assert.equal(broken.status, 'Failed');
    assert.deepEqual(broken.components, [{ type: 'ApexClass', fullName: 'Broken', state: 'Failed' }]);

    assert.equal(sdr.source, 'out-of-band');
    assert.equal(sdr.checkOnly, false);
    assert.equal(sdr.status, 'Succeeded');
    assert.equal(sdr.createdByName, env.org('uat').info().users.find((u) => u.isAdmin)!.name);
    assert.deepEqual(sdr.components, [{ type: 'ApexClass', fullName: 'Hotfix', state: 'Created' }]);
    assert.equal(sdr.crNumbers, undefined);

    assert.equal(deploy.source, 'changeline');
    assert.equal(deploy.checkOnly, false);
    assert.deepEqual(deploy.crNumbers, [crNumber]);
    assert.equal(deploy.mark?.label, recordNumber);
    assert.equal(deploy.mark?.env, 'Dev');
    assert.deepEqual(
      deploy.components?.map((c) => `${c.type}:${c.fullName}:${c.state}`).sort(),
      ['ApexClass:Greeter:Created', 'ApexClass:GreeterTest:Created'],
    );
    assert.ok((deploy.testsTotal ?? 0) > 0, 'UAT runs local tests: the test count is shown');
    assert.ok(deploy.components?.every((c) => typeof c.digest === 'string'), "what the record's package delivered is fingerprinted");

    assert.equal(validation.source, 'changeline');
    assert.equal(validation.checkOnly, true);
    assert.deepEqual(validation.crNumbers, [crNumber]);
  });

  it("without the Dev org's records every deployment is out of band, and reading them says nothing about UAT lacking change tracking", async () => {
    const history = await readOrgHistory(ada, 'UAT', {});
    assert.deepEqual(history.notes, []);
    assert.deepEqual(history.deployments.map((d) => d.source), ['out-of-band', 'out-of-band', 'out-of-band', 'out-of-band']);
    assert.equal(history.deployments[0].components, undefined, 'components only when asked');
  });

  it('keeps the details of a finished deployment after an org restart (as Salesforce keeps them for 30 days), and serves them from the cache by id', async () => {
    detailsCache.clear();
    const first = await readDeploymentDetails(ada, 'UAT', sdrDeployId);
    assert.deepEqual(first.components, [{ type: 'ApexClass', fullName: 'Hotfix', state: 'Created' }]);
    assert.equal(first.running, false);
    env.org('uat').metadata.dispose(); // the org forgets its in-memory jobs, as after a restart
    detailsCache.clear();
    const again = await readDeploymentDetails(ada, 'UAT', sdrDeployId);
    assert.deepEqual(again.components, first.components, 'read back from the kept deployment');
    assert.equal(await readDeploymentDetails(ada, 'UAT', sdrDeployId), again, 'second read from the cache');
  });

  it('filters the log by status, source, check-only and text; a failed deploy keeps its error', async () => {
    const ids = (l: { deployments: Array<{ id: string }> }) => l.deployments.map((d) => d.id.slice(0, 15));
    const all = await readDeploymentLog(ada, 'UAT', { pipeline });
    assert.equal(all.total, 4);
    assert.deepEqual(ids(await readDeploymentLog(ada, 'UAT', { pipeline, filter: { source: 'out-of-band' } })), [failedId, sdrDeployId].map((i) => i.slice(0, 15)));
    assert.deepEqual(ids(await readDeploymentLog(ada, 'UAT', { pipeline, filter: { source: 'changeline', checkOnly: false } })), [recordDeployId.slice(0, 15)]);
    assert.deepEqual(ids(await readDeploymentLog(ada, 'UAT', { pipeline, filter: { checkOnly: true } })), [validationId.slice(0, 15)]);
    const failed = await readDeploymentLog(ada, 'UAT', { pipeline, filter: { status: ['failed'] } });
    assert.deepEqual(ids(failed), [failedId.slice(0, 15)]);
    assert.equal(failed.total, 4, 'the total is before filtering');
    assert.deepEqual(ids(await readDeploymentLog(ada, 'UAT', { pipeline, filter: { text: crNumber.toLowerCase() } })), [recordDeployId, validationId].map((i) => i.slice(0, 15)));
    assert.deepEqual(ids(await readDeploymentLog(ada, 'UAT', { pipeline, filter: { status: ['succeeded'], text: 'nothing-like-this' } })), []);
    const details = await readDeploymentDetails(ada, 'UAT', failedId);
    assert.equal(details.failures[0]?.fullName, 'Broken');
    assert.match(details.failures[0]?.problem ?? '', /\S/);
  });

  describe('deployments behind', () => {
    let store: CompareStore;
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hist-behind-'));
      cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      store = new CompareStore(new NodeFileStore(dir), SILENT_LOG);
    });

    it("counts UAT's out-of-band deploy that Dev lacks, not the record's deploy Dev already has, nor the validation or the failed deploy", async () => {
      const r = await deploymentsBehind({ ...ada, store }, 'Dev', 'UAT', { pipeline });
      assert.equal(r.count, 1, JSON.stringify(r.deployments.map((e) => [e.deployment.id, e.differing])));
      assert.equal(r.deployments[0].deployment.id.slice(0, 15), sdrDeployId.slice(0, 15));
      assert.equal(r.deployments[0].deployment.source, 'out-of-band');
      assert.deepEqual(r.deployments[0].differing, [{ type: 'ApexClass', fullName: 'Hotfix' }]);
    });

    it('counts a later out-of-band change to a class Dev has, and drops a deployment once Dev has its components', async () => {
      const later = tempProject('hist-later-');
      cleanup.push(() => later.remove());
      writeClass(later, 'Greeter', cls('Greeter', 'Howdy'));
      assert.ok((await salesforce.deploy(env.conns.uat!, { sourcePaths: [later.dir], pollMs: 20 })).success);
      const two = await deploymentsBehind({ ...ada, store }, 'Dev', 'UAT', { pipeline });
      assert.equal(two.count, 2);
      assert.deepEqual(two.deployments.map((e) => e.differing.map((c) => c.fullName)), [['Hotfix'], ['Greeter']], 'oldest first');

      // The hotfix reaches Dev: only the Greeter change is left.
      const hot = tempProject('hist-hotfix-dev-');
      cleanup.push(() => hot.remove());
      writeClass(hot, 'Hotfix', cls('Hotfix', 'Hi'));
      assert.ok((await salesforce.deploy(env.conns.dev!, { sourcePaths: [hot.dir], pollMs: 20 })).success);
      const one = await deploymentsBehind({ ...ada, store }, 'Dev', 'UAT', { pipeline });
      assert.equal(one.count, 1);
      assert.deepEqual(one.deployments[0].differing, [{ type: 'ApexClass', fullName: 'Greeter' }]);
    });

    it("leaves Changeline's own tracking schema out: installed in Dev, not in UAT, it is no deployment UAT lacks", async () => {
      const r = await deploymentsBehind({ ...ada, store }, 'UAT', 'Dev', { pipeline });
      const install = r.history.find((d) => d.components?.some((c) => c.fullName.startsWith('Changeline_')));
      assert.ok(install, "Dev's history holds the tracking install");
      assert.ok(!r.deployments.some((e) => e.deployment.id === install.id), JSON.stringify(r.deployments.map((e) => e.differing)));
      assert.ok(r.deployments.every((e) => e.differing.every((c) => !c.fullName.startsWith('Changeline_'))));
    });
  });

  it("marks a deployment made from UAT's queue as Changeline's, with the entry's message and CRs", async () => {
    const uat = env.conns.uat!;
    await salesforce.installTracking(uat, { pollMs: 20 });
    const admin = env.org('uat').info().users.find((u) => u.isAdmin)!;
    await salesforce.grantReleaseManager(uat, [admin.id]);
    const created = await salesforce.createQueueEntry(uat, {
      target: 'UAT',
      source: 'Dev',
      message: 'Hotfix for the greeting',
      sender: { name: 'Ada' },
      sentAt: new Date().toISOString(),
      crs: [{ number: 'CR-00099' }],
      components: [{ type: 'ApexClass', fullName: 'Hotfix' }],
      status: 'Queued',
      version: 1,
    });
    await salesforce.updateQueueEntry(uat, { ...created, status: 'Failed', deploymentId: failedId }, created.version);
    const history = await readOrgHistory(ada, 'UAT', { recordsFrom: recordHolders(pipeline, 'UAT') });
    assert.deepEqual(history.notes, []);
    const d = history.deployments.find((x) => x.id.slice(0, 15) === failedId.slice(0, 15))!;
    assert.equal(d.source, 'changeline');
    assert.equal(d.message, 'Hotfix for the greeting');
    assert.deepEqual(d.crNumbers, ['CR-00099']);
    assert.equal(d.mark?.label, created.number);
  });
});
