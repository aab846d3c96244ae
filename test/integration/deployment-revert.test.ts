/**
 * Reverting the latest deployment of a deployment record against the emulator (the workflows the
 * editor and the CLI call): the deploy keeps a snapshot of UAT with the record; the revert restores
 * what the deploy changed and deletes what it created, flags a component changed in UAT since the
 * deploy (it needs an explicit choice), is blocked by a later out-of-band deploy of the same
 * components, and leaves the record Reverted — its package is not deployed again as is.
 */
import { strict as assert } from 'node:assert';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { deployRecord } from '../../src/workflows/deploy/release';
import { DeployError } from '../../src/workflows/deploy/run';
import { findLatestDeployment, planRecordRevert, revertRecord, RevertRefused } from '../../src/workflows/promotion/revert';
import type { WorkflowDeps } from '../../src/workflows/types';
import { classFiles, classIn, depsFor, greeterClass as cls, readyRecord as ready, type RecordUsers } from './helpers/deployment-record';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';
import { tempProject, writeClass } from './helpers/project';

describe('reverting the latest deployment of a deployment record', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let pipeline: Pipeline;
  let ada: WorkflowDeps;
  let rae: WorkflowDeps;
  let reviewerConn: salesforce.OrgConnection;
  const cleanup: Array<() => void> = [];

  const readyRecord = (name: string, classes: string[]) => ready({ env, pipeline, ada, rae, reviewerConn, target: 'UAT' } satisfies RecordUsers, name, classes);

  const inUat = (name: string) => classIn(env, 'uat', name);
  const uatDeploys = async () => (await salesforce.recentDeployRequests(env.conns.uat!)).length;

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'rev-' });
    const r = parsePipeline(
      JSON.stringify({
        version: 1,
        environments: [
          { name: 'Dev', org: 'rev-dev', role: 'development', next: 'UAT' },
          { name: 'UAT', org: 'rev-uat', role: 'staging' },
        ],
      }),
    );
    assert.ok(r.pipeline, JSON.stringify(r.diagnostics));
    pipeline = r.pipeline;
    const reviewer = env.org('dev').info().users.find((u) => !u.isAdmin)!;
    await salesforce.installTracking(env.conns.dev!, { pollMs: 20 });
    await salesforce.grantTrackingAccess(env.conns.dev!, [reviewer.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'rev-dev-reviewer' });
    const proj = tempProject('rev-src-');
    cleanup.push(() => proj.remove());
    for (const n of ['Greeter', 'Badge', 'Other', 'Guarded']) writeClass(proj, n, cls(n, 'Hello v2'));
    const deployed = await salesforce.deploy(env.conns.dev!, { sourcePaths: [proj.dir], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    // UAT has the earlier Greeter and Other; Badge is new there.
    const admin = env.org('uat').info().users.find((u) => u.isAdmin)!;
    env.org('uat').store.commitMetadata(
      [
        { type: 'ApexClass', fullName: 'Greeter', files: classFiles('Greeter', 'Hello v1') },
        { type: 'ApexClass', fullName: 'Other', files: classFiles('Other', 'Hello v1') },
      ],
      [],
      admin.id,
    );
    ada = depsFor(pipeline, 'rev-dev');
    rae = depsFor(pipeline, 'rev-dev-reviewer');
  });
  after(async () => {
    for (const c of cleanup) c();
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
  });

  it('restores what the deploy changed and deletes what it created; a component changed in UAT since is flagged and needs a choice; the package is not deployed again as is', async () => {
    const id = await readyRecord('Greeter and Badge', ['Greeter', 'Badge']);
    const deployed = await deployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(deployed.outcome.result.success, true, JSON.stringify(deployed.outcome.problems));
    assert.equal(deployed.record.status, 'Deployed');
    assert.deepEqual({ existed: deployed.record.snapshot?.existed, absent: deployed.record.snapshot?.absent }, { existed: 1, absent: 1 }, 'the snapshot kept Greeter and noted Badge as new');
    assert.match(inUat('Greeter')!, /Hello v2/);

    // Rae changes Badge directly in UAT after the deploy.
    const uatRae = env.org('uat').info().users.find((u) => !u.isAdmin)!;
    const after = new Date(Date.parse(deployed.record.deploy!.completedAt!) + 5_000);
    env.org('uat').store.commitMetadata([{ type: 'ApexClass', fullName: 'Badge', files: classFiles('Badge', 'Hotfix') }], [], uatRae.id, after);

    const latest = await findLatestDeployment(ada, 'UAT', pipeline);
    assert.equal(latest.record?.id, id, 'the latest deployment to UAT is this record');
    const preview = await planRecordRevert(ada, { env: 'Dev', ref: id, pipeline });
    assert.ok(preview.plan.verdict.ok, JSON.stringify(preview.plan.verdict));
    const items = new Map(preview.plan.items.map((i) => [i.component.fullName, i]));
    assert.deepEqual([items.get('Greeter')?.action, items.get('Greeter')?.drift], ['Override', false]);
    assert.deepEqual([items.get('Badge')?.action, items.get('Badge')?.drift], ['Delete', true]);
    assert.equal(preview.drift.get('ApexClass:Badge')?.by, uatRae.name, 'who changed it');

    const before = await uatDeploys();
    const undecided = await rejection(revertRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 }));
    assert.ok(undecided instanceof RevertRefused, `${undecided.name}: ${undecided.message}`);
    assert.match(undecided.message, /ApexClass Badge changed in UAT since the deploy: choose for each whether to revert it anyway or skip it/);
    assert.equal(await uatDeploys(), before, 'nothing was sent');

    const progress: string[] = [];
    const reverted = await revertRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20, choices: new Map([['ApexClass:Badge', 'revert']]), onProgress: (p) => progress.push(p.message) });
    assert.equal(reverted.outcome.result.success, true, JSON.stringify(reverted.outcome.result.failures));
    assert.match(inUat('Greeter')!, /Hello v1/, 'Greeter is back to the version from before the deploy');
    assert.equal(inUat('Badge'), undefined, 'Badge, created by the deploy, is deleted');
    assert.equal(reverted.record.status, 'Reverted');
    assert.equal(reverted.record.revert?.id, reverted.outcome.result.id);
    assert.deepEqual([reverted.record.revert?.overridden, reverted.record.revert?.deleted], [1, 1]);
    assert.ok(progress.some((m) => /1 deletion/.test(m)), progress.join('\n'));
    const history = await salesforce.readDeploymentHistory(env.conns.dev!, id);
    assert.deepEqual(history.map((h) => h.action).filter((a) => a === 'snapshot' || a === 'revert'), ['snapshot', 'revert', 'revert']);
    assert.ok((await salesforce.recentDeployRequests(env.conns.uat!)).some((r) => r.id === reverted.outcome.result.id), "the revert is in UAT's deployment log");

    // Reverted: not again, and not deployed again as is — neither this record nor a new one with the same package.
    const again = await rejection(revertRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 }));
    assert.match(again.message, /already reverted/);
    const redeploy = await rejection(deployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 }));
    assert.ok(redeploy instanceof DeployError && redeploy.kind === 'refused', redeploy.message);
    const same = await readyRecord('Greeter and Badge again', ['Greeter', 'Badge']);
    const sent = await uatDeploys();
    const refused = await rejection(deployRecord(ada, { env: 'Dev', ref: same, pipeline }, { pollMs: 20 }));
    assert.ok(refused instanceof DeployError && refused.kind === 'refused', refused.message);
    assert.match(refused.message, /was deployed to UAT and reverted .*cannot be deployed again as is/);
    assert.equal(await uatDeploys(), sent, 'nothing was sent');
  });

  it('is blocked by a later out-of-band deploy that touched the same components, saying which and by whom', async () => {
    const id = await readyRecord('Other', ['Other']);
    const deployed = await deployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(deployed.record.status, 'Deployed');
    // Someone deploys Other to UAT with the sf CLI's library (SDR), outside Changeline.
    const proj = tempProject('rev-oob-');
    cleanup.push(() => proj.remove());
    writeClass(proj, 'Other', cls('Other', 'Out of band'));
    const oob = await salesforce.deploy(env.conns.uat!, { sourcePaths: [proj.dir], pollMs: 20 });
    assert.ok(oob.success);

    const preview = await planRecordRevert(ada, { env: 'Dev', ref: id, pipeline });
    assert.equal(preview.plan.verdict.ok, false);
    const e = await rejection(revertRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20, choices: new Map([['ApexClass:Other', 'revert']]) }));
    assert.ok(e instanceof RevertRefused, `${e.name}: ${e.message}`);
    assert.match(e.message, /ApexClass Other changed again in the deployment of .* \(out of band\), after this one: reverting would undo that too/);
    assert.match(inUat('Other')!, /Out of band/, 'UAT keeps the later deploy');
  });

  it("with change tracking in UAT, only UAT's release managers may revert there: others are refused before anything is asked or sent", async () => {
    const id = await readyRecord('Guarded', ['Guarded']);
    const deployed = await deployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(deployed.record.status, 'Deployed');
    await salesforce.installTracking(env.conns.uat!, { pollMs: 20 });
    const sent = await uatDeploys();
    let asked = false;
    const e = await rejection(revertRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20, choose: () => ((asked = true), new Map()) }));
    assert.ok(e instanceof RevertRefused, `${e.name}: ${e.message}`);
    assert.match(e.message, /Only holders of the .* permission set in UAT can revert deployments, and nobody there holds it yet/);
    assert.equal(asked, false, 'nothing was asked');
    assert.equal(await uatDeploys(), sent, 'nothing was sent');

    const admin = env.org('uat').info().users.find((u) => u.isAdmin)!;
    await salesforce.grantReleaseManager(env.conns.uat!, [admin.id]);
    const reverted = await revertRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(reverted.outcome.result.success, true);
    assert.equal(reverted.record.status, 'Reverted');
    assert.equal(inUat('Guarded'), undefined, 'the class the deploy created is deleted');
  });
});
