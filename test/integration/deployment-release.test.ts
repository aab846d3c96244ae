/**
 * Releasing a deployment record end to end in plain Node (the workflows the editor and the CLI
 * call): an approved CR in Dev → a deployment record toward UAT → approved → package retrieved and
 * kept in Dev's org → validated in UAT (the record says Validated with the validation id) → quick
 * deployed (the record says Deployed, the class is in UAT). Then a second record whose validation
 * another deploy to UAT invalidated: quick deploy is refused with the reason, nothing sent.
 */
import { strict as assert } from 'node:assert';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Environment, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { approveDeployment, createDeployment, retrievePackage, submitDeployment } from '../../src/workflows/deploy/records';
import { deployRecord, quickDeployRecord, validateRecord } from '../../src/workflows/deploy/release';
import { DeployError } from '../../src/workflows/deploy/run';
import { OverwriteRefused } from '../../src/workflows/deploy/release';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

const cls = (name: string) => `public with sharing class ${name} {\n    public static String greet(String who) {\n        return 'Hello, ' + who;\n    }\n}\n`;
const test = (name: string, of: string) => `@isTest\nprivate class ${name} {\n    @isTest static void greets() {\n        System.assertEquals('Hello, Ada', ${of}.greet('Ada'));\n    }\n}\n`;

describe('releasing a deployment record (validate, quick deploy, deploy)', function () {
  this.timeout(180_000);
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

  /** An approved deployment record of classes (already in Dev) toward UAT, its package retrieved. */
  async function readyRecord(name: string, classes: string[]): Promise<string> {
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
    const record = await createDeployment(ada, { crEnv: 'Dev', crRef: approved.cr.number!, targetEnv: 'UAT', pipeline });
    assert.ok(record.ok, JSON.stringify(record));
    assert.ok((await submitDeployment(ada, 'Dev', record.record.id!, pipeline)).ok);
    assert.ok((await approveDeployment(rae, 'Dev', record.record.id!, 'Ready for UAT')).ok);
    const pkg = await retrievePackage(ada, 'Dev', record.record.id!, { pollMs: 20 });
    assert.ok(pkg.ok, JSON.stringify(pkg));
    return record.record.id!;
  }

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'rel-' });
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'rel-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'rel-uat', role: 'staging', testLevel: 'RunLocalTests' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    const reviewer = env.org('dev').info().users.find((u) => !u.isAdmin)!;
    await salesforce.installTracking(env.conns.dev!, { pollMs: 20 });
    await salesforce.grantTrackingAccess(env.conns.dev!, [reviewer.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'rel-dev-reviewer' });
    const proj = tempProject('rel-src-');
    cleanup.push(() => proj.remove());
    for (const n of ['Greeter', 'Welcomer', 'Other', 'Fixed']) writeClass(proj, n, cls(n));
    for (const n of ['Greeter', 'Welcomer', 'Other', 'Fixed']) writeClass(proj, `${n}Test`, test(`${n}Test`, n));
    const deployed = await salesforce.deploy(env.conns.dev!, { sourcePaths: [proj.dir], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    ada = depsFor('rel-dev');
    rae = depsFor('rel-dev-reviewer');
  });
  after(async () => {
    for (const c of cleanup) c();
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it('validates the package in UAT, then quick-deploys it: the record follows each step and the class reaches UAT', async () => {
    const id = await readyRecord('Greeter to UAT', ['Greeter', 'GreeterTest']);
    const started: string[] = [];
    const validated = await validateRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20, onStarted: (d) => started.push(d) });
    assert.equal(validated.outcome.result.success, true, JSON.stringify(validated.outcome.problems));
    assert.equal(validated.outcome.result.checkOnly, true);
    assert.equal(validated.record.validation?.id, started[0]);
    assert.equal(validated.record.validation?.success, true);
    assert.equal(validated.record.validation?.testLevel, 'RunLocalTests', "UAT's test level from the pipeline file");
    assert.deepEqual(await salesforce.listComponents(env.conns.uat!, ['ApexClass']).then((l) => l.filter((c) => c.fullName === 'Greeter')), [], 'a validation changes nothing');

    const quick = await quickDeployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(quick.outcome.result.success, true);
    assert.equal(quick.outcome.result.checkOnly, false);
    assert.equal(quick.record.status, 'Deployed');
    const inUat = await salesforce.listComponents(env.conns.uat!, ['ApexClass']);
    assert.ok(inUat.some((c) => c.fullName === 'Greeter'), 'Greeter is in UAT');
    const history = await salesforce.readDeploymentHistory(env.conns.dev!, id);
    assert.deepEqual(history.map((h) => h.action).filter((a) => a === 'validation' || a === 'deploy'), ['validation', 'validation', 'deploy', 'deploy']);
    assert.equal(history.at(-1)?.action, 'status', 'the status change to Deployed closes the history');
  });

  it('refuses a quick deploy once another deploy reached UAT after the validation, and a full deploy still works', async () => {
    const id = await readyRecord('Welcomer to UAT', ['Welcomer', 'WelcomerTest']);
    const validated = await validateRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(validated.outcome.result.success, true);
    const other = await readyRecord('Other to UAT', ['Other', 'OtherTest']);
    const deployed = await deployRecord(ada, { env: 'Dev', ref: other, pipeline }, { pollMs: 20 });
    assert.equal(deployed.outcome.result.success, true);
    assert.equal(deployed.record.status, 'Deployed');

    const before = (await salesforce.recentDeployRequests(env.conns.uat!)).length;
    const e = await rejection(quickDeployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 }));
    assert.ok(e instanceof DeployError && e.kind === 'refused', `${e.name}: ${e.message}`);
    assert.match(e.message, /validat/i);
    assert.equal((await salesforce.recentDeployRequests(env.conns.uat!)).length, before, 'nothing was sent to UAT');
    const full = await deployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(full.outcome.result.success, true);
    assert.equal(full.record.status, 'Deployed');
  });

  it("stops before sending anything when someone changed a package component in the target after the retrieve, and overwrites only when told to", async () => {
    const id = await readyRecord('Fixed to UAT', ['Fixed', 'FixedTest']);
    // Rae fixes Fixed directly in UAT (another tool), after the package was retrieved.
    const uat = env.org('uat');
    const rae = uat.info().users.find((u) => !u.isAdmin)!;
    const b64 = (t: string) => Buffer.from(t, 'utf8').toString('base64');
    const meta = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
    uat.store.commitMetadata([{ type: 'ApexClass', fullName: 'Fixed', files: { 'classes/Fixed.cls': b64(cls('Fixed').replace('Hello', 'Hotfix')), 'classes/Fixed.cls-meta.xml': b64(meta) } }], [], rae.id);
    const before = (await salesforce.recentDeployRequests(env.conns.uat!)).length;

    const e = await rejection(validateRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 }));
    assert.ok(e instanceof OverwriteRefused, `${e.name}: ${e.message}`);
    assert.deepEqual(e.flags.map((f) => `${f.component.type}:${f.component.fullName}`), ['ApexClass:Fixed']);
    assert.match(e.message, new RegExp(`ApexClass Fixed was changed in UAT by ${rae.name}`));
    assert.equal((await salesforce.recentDeployRequests(env.conns.uat!)).length, before, 'nothing was sent');

    const asked: string[] = [];
    const declined = await rejection(validateRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20, confirmOverwrites: (flags) => (asked.push(...flags.map((f) => f.component.fullName)), false) }));
    assert.ok(declined instanceof OverwriteRefused);
    assert.deepEqual(asked, ['Fixed']);

    const chosen = await validateRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20, confirmOverwrites: () => true });
    assert.equal(chosen.outcome.result.success, true);
  });
});
