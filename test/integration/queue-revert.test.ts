/**
 * Reverting a deploy made from the deployment queue, against the emulator: Rae sends Greeter (a
 * newer version of UAT's) and Badge (new to UAT) from Dev; Ada, UAT's release manager, deploys the
 * entry validating first — the snapshot of UAT is taken after the validation and before the
 * deploy, kept as a file linked to the entry. The latest deployment to UAT is that entry; reverting
 * it restores Greeter and deletes Badge, the entry reads Reverted (who, when, the revert's deploy
 * id), UAT's log shows the revert, and the entry is neither deployed nor reverted again. A snapshot
 * that cannot be taken stops the deploy: nothing is deployed.
 */
import { strict as assert } from 'node:assert';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { DeployError } from '../../src/workflows/deploy/run';
import { readDeploymentLog } from '../../src/workflows/promotion/log';
import { deployEntry, readQueue } from '../../src/workflows/promotion/queue';
import { findLatestDeployment, planDeploymentRevert, revertDeploymentOf, revertQueueEntry, revertRequestOf, RevertRefused } from '../../src/workflows/promotion/revert';
import { sendChanges } from '../../src/workflows/promotion/send';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { classFiles, classIn, greeterClass } from './helpers/deployment-record';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

describe('reverting a deploy from the deployment queue (emulated orgs, plain Node)', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let pipeline: Pipeline;
  let ada: WorkflowDeps; // admin of Dev and UAT; UAT's release manager
  let rae: WorkflowDeps; // reviewer in both orgs; sends
  let raeDev: salesforce.OrgConnection;
  let raeUat: salesforce.OrgConnection;
  const cleanup: Array<() => void> = [];

  const depsFor = (orgs: Record<string, string>): WorkflowDeps => {
    const envs = pipeline.environments.map((e) => ({ ...e, org: orgs[e.name] ?? e.org }));
    return { sessions: new OrgSessions({ environment: (n) => envs.find((e) => e.name === n) }, async () => salesforce), salesforce: async () => salesforce, log: SILENT_LOG };
  };
  const inUat = (name: string) => classIn(env, 'uat', name);
  const uatDeploys = async () => (await salesforce.recentDeployRequests(env.conns.uat!)).length;

  async function approvedCr(name: string, classes: string[]): Promise<string> {
    const revOf = (org: string) => env.org(org).info().users.find((u) => !u.isAdmin)!;
    const adminDev = env.org('dev').info().users.find((u) => u.isAdmin)!;
    const made = await createRequest({ store: salesforce.trackingStore(raeDev), actor: { userId: revOf('dev').id } }, { name, customizations: classes.map((c) => ({ type: 'ApexClass', fullName: c })) });
    assert.ok(made.ok, JSON.stringify(made));
    const submitted = await changeStatus({ store: salesforce.trackingStore(raeDev), actor: { userId: revOf('dev').id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const approved = await changeStatus({ store: salesforce.trackingStore(env.conns.dev!), actor: { userId: adminDev.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok, JSON.stringify(approved));
    return approved.cr.number!;
  }

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'qrev-' });
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'qrev-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'qrev-uat', role: 'staging' },
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
    raeDev = await salesforce.authorizeWithToken({ accessToken: revOf('dev').accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'qrev-dev-rae' });
    raeUat = await salesforce.authorizeWithToken({ accessToken: revOf('uat').accessToken, instanceUrl: env.org('uat').instanceUrl, alias: 'qrev-uat-rae' });
    ada = depsFor({ Dev: 'qrev-dev', UAT: 'qrev-uat' });
    rae = depsFor({ Dev: 'qrev-dev-rae', UAT: 'qrev-uat-rae' });
    // Dev has the newer Greeter and a Badge; UAT has the earlier Greeter and no Badge.
    const proj = tempProject('qrev-src-');
    cleanup.push(() => proj.remove());
    for (const n of ['Greeter', 'Badge', 'Stamp']) writeClass(proj, n, greeterClass(n, 'Hello v2'));
    const deployed = await salesforce.deploy(env.conns.dev!, { sourcePaths: [proj.dir], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    env.org('uat').store.commitMetadata([{ type: 'ApexClass', fullName: 'Greeter', files: classFiles('Greeter', 'Hello v1') }], [], adminUat.id);
  });
  after(async () => {
    env?.org('uat').faults.clear();
    for (const c of cleanup) c();
    for (const c of [raeDev, raeUat]) if (c) await salesforce.removeAuthorization(c.username).catch(() => undefined);
    await env?.stop();
  });

  it('a snapshot that cannot be taken stops the deploy: nothing is deployed and the entry says why', async () => {
    const cr = await approvedCr('Stamp', ['Stamp']);
    const sent = await sendChanges(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: cr }, message: 'Stamp', pollMs: 20 });
    assert.ok(sent.ok, JSON.stringify(sent));
    const before = await uatDeploys();
    // UAT refuses to store the snapshot file (every ContentVersion insert fails).
    env.org('uat').faults.failNext(50, 500, undefined, 'POST /services/data');
    const e = await rejection(deployEntry(ada, { env: 'UAT', ref: sent.entry.number!, pipeline }, { pollMs: 20 }));
    env.org('uat').faults.clear();
    assert.ok(e instanceof DeployError && e.kind === 'refused', `${e.name}: ${e.message}`);
    assert.match(e.message, /^The snapshot of UAT \(its current versions of the components, which a revert restores\) could not be taken: .*Nothing was deployed; try again\.$/s);
    assert.equal(await uatDeploys(), before, 'nothing was deployed');
    assert.equal(inUat('Stamp'), undefined);
    const entry = (await readQueue(ada, 'UAT')).entries.find((x) => x.number === sent.entry.number)!;
    assert.equal(entry.status, 'Failed', 'not left Deploying');
    assert.match(entry.failure ?? '', /The snapshot of UAT .* could not be taken/);
  });

  it('the queue deploy keeps a snapshot with the entry; reverting the latest deployment to UAT restores what it changed, deletes what it created, and the entry is Reverted for good', async () => {
    const cr = await approvedCr('Greeter and Badge', ['Greeter', 'Badge']);
    const sent = await sendChanges(rae, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: cr }, message: 'Greeter v2 and a badge', pollMs: 20 });
    assert.ok(sent.ok, JSON.stringify(sent));
    const events: string[] = [];
    const done = await deployEntry(ada, { env: 'UAT', ref: sent.entry.number!, pipeline, validateFirst: true }, {
      pollMs: 20,
      onProgress: (p) => events.push(p.message),
      onStarted: (id) => events.push(`started ${id}`),
    });
    assert.ok(done.ok, JSON.stringify(done));
    assert.equal(done.outcome?.result.success, true, JSON.stringify(done.outcome?.problems));
    assert.equal(done.entry.status, 'Deployed');
    assert.deepEqual({ existed: done.entry.snapshot?.existed, absent: done.entry.snapshot?.absent }, { existed: 1, absent: 1 }, 'the snapshot kept Greeter and noted Badge as new');
    // Taken after the validation and before the real deploy.
    const started = events.map((m, i) => (m.startsWith('started ') ? i : -1)).filter((i) => i >= 0);
    const snap = events.findIndex((m) => m.startsWith('Snapshot: retrieving'));
    assert.equal(started.length, 2);
    assert.ok(started[0] < snap && snap < started[1], events.join(' | '));
    // The snapshot is a file linked to the entry in UAT, next to its package.
    assert.deepEqual(new Set(await salesforce.filesOf(env.conns.uat!, done.entry.id!)), new Set([done.entry.packageFileId, done.entry.snapshot!.fileId]));
    assert.match(inUat('Greeter')!, /Hello v2/);

    // The latest deployment to UAT is the entry's deploy, also for `revert --env`.
    const latest = await findLatestDeployment(ada, 'UAT', pipeline);
    assert.equal(latest.entry?.number, sent.entry.number);
    assert.equal(latest.deployment.deploy?.id, done.outcome!.result.id);
    const preview = await planDeploymentRevert(ada, revertRequestOf(latest, pipeline));
    assert.ok(preview.plan.verdict.ok, JSON.stringify(preview.plan.verdict));
    assert.deepEqual(preview.plan.items.map((i) => `${i.action} ${i.component.fullName}${i.drift ? ' (drift)' : ''}`).sort(), ['Delete Badge', 'Override Greeter']);

    // Rae, no release manager in UAT, is refused before anything is sent.
    const before = await uatDeploys();
    const notRm = await rejection(revertDeploymentOf(rae, { env: 'UAT', entry: sent.entry.number!, pipeline }, { pollMs: 20 }));
    assert.ok(notRm instanceof RevertRefused, `${notRm.name}: ${notRm.message}`);
    assert.match(notRm.message, /Only release managers of UAT .* can revert deployments: Ada Admin/);
    assert.equal(await uatDeploys(), before, 'nothing was sent');

    const reverted = await revertDeploymentOf(ada, revertRequestOf(latest, pipeline), { pollMs: 20 });
    assert.equal(reverted.outcome.result.success, true, JSON.stringify(reverted.outcome.result.failures));
    assert.match(inUat('Greeter')!, /Hello v1/, 'Greeter is back to the version from before the deploy');
    assert.equal(inUat('Badge'), undefined, 'Badge, created by the deploy, is deleted');
    assert.equal(reverted.deployment.status, 'Reverted');

    // The entry reads Reverted, for its sender too: who, when, the revert's deploy id.
    const theirs = (await readQueue(rae, 'UAT')).entries.find((x) => x.number === sent.entry.number)!;
    assert.equal(theirs.status, 'Reverted');
    assert.deepEqual([theirs.revert?.id, theirs.revert?.byName, theirs.revert?.revertOf, theirs.revert?.status], [reverted.outcome.result.id, 'Ada Admin', done.outcome!.result.id, 'Succeeded']);
    assert.ok(theirs.revert?.completedAt);
    // UAT's log shows the revert as Changeline's, undoing the entry's deploy.
    const log = await readDeploymentLog(ada, 'UAT', { pipeline });
    const row = log.deployments.find((d) => d.id.slice(0, 15) === reverted.outcome.result.id.slice(0, 15));
    assert.deepEqual([row?.source, row?.mark?.label, row?.revertOf], ['changeline', sent.entry.number, done.outcome!.result.id]);

    // Not again, and not deployed again as is.
    const again = await rejection(revertQueueEntry(ada, { env: 'UAT', entry: sent.entry.number!, pipeline }, { pollMs: 20 }));
    assert.match(again.message, /already reverted/);
    const sentCount = await uatDeploys();
    const redeploy = await deployEntry(ada, { env: 'UAT', ref: sent.entry.number!, pipeline }, { pollMs: 20 });
    assert.equal(redeploy.ok, false);
    assert.match((redeploy as { reason: string }).reason, /was deployed to UAT and reverted by Ada Admin .*cannot be deployed again as is/);
    assert.equal(await uatDeploys(), sentCount, 'nothing was sent');
  });
});
