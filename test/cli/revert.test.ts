/**
 * `changeline revert` end to end against emulated orgs: a deployment record's deploy to UAT (it
 * changed Greeter and created Badge; Badge was changed in UAT afterwards) — the plan without
 * --yes (nothing sent), refused with --yes while the drifted Badge has no choice, reverted with
 * --override-drift (Greeter restored, Badge deleted, the record Reverted), refused when asked again.
 * Then a deploy from UAT's deployment queue is the latest: `revert --env UAT` plans and reverts it,
 * the entry Reverted.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { deployRecord } from '../../src/workflows/deploy/release';
import { deployEntry } from '../../src/workflows/promotion/queue';
import { sendChanges } from '../../src/workflows/promotion/send';
import type { WorkflowDeps } from '../../src/workflows/types';
import { classFiles, classIn, depsFor, greeterClass, readyRecord } from '../integration/helpers/deployment-record';
import { startEmulator, type StartedEmulator } from '../integration/helpers/emulator';
import { tempProject, writeClass } from '../integration/helpers/project';
import { json, runCli, type CliRun } from './run';

const PIPELINE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'clr-dev', role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'clr-uat', role: 'staging' },
  ],
};

type Plan = {
  environment: string;
  record: { number: string; status: string } | null;
  queueEntry: { environment: string; number: string; status: string } | null;
  revertable: boolean;
  reason: string | null;
  items: Array<{ type: string; fullName: string; action: string; drift: boolean; changedBy: string | null; choice: string | null }>;
  reverted: boolean;
  result: { success: boolean; deployId: string } | null;
};

describe('changeline revert against emulated orgs', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let project: string;
  let pipeline: Pipeline;
  let ada: WorkflowDeps;
  let reviewerConn: salesforce.OrgConnection;
  let number: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: project });
  const uatDeploys = async () => (await salesforce.recentDeployRequests(env.conns.uat!)).length;

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'clr-' });
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-clr-'));
    fs.mkdirSync(path.join(project, '.changeline'));
    fs.writeFileSync(path.join(project, '.changeline/pipeline.json'), JSON.stringify(PIPELINE));
    pipeline = parsePipeline(JSON.stringify(PIPELINE)).pipeline!;
    const reviewer = env.org('dev').info().users.find((u) => !u.isAdmin)!;
    await salesforce.installTracking(env.conns.dev!, { pollMs: 20 });
    await salesforce.grantTrackingAccess(env.conns.dev!, [reviewer.id]);
    reviewerConn = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: env.org('dev').instanceUrl, alias: 'clr-dev-reviewer' });
    const src = tempProject('clr-src-');
    for (const n of ['Greeter', 'Badge']) writeClass(src, n, greeterClass(n, 'Hello v2'));
    assert.ok((await salesforce.deploy(env.conns.dev!, { sourcePaths: [src.dir], pollMs: 20 })).success);
    src.remove();
    const uatAdmin = env.org('uat').info().users.find((u) => u.isAdmin)!;
    env.org('uat').store.commitMetadata([{ type: 'ApexClass', fullName: 'Greeter', files: classFiles('Greeter', 'Hello v1') }], [], uatAdmin.id);
    ada = depsFor(pipeline, 'clr-dev');
    const rae = depsFor(pipeline, 'clr-dev-reviewer');
    const id = await readyRecord({ env, pipeline, ada, rae, reviewerConn, target: 'UAT' }, 'Greeter and Badge', ['Greeter', 'Badge']);
    const deployed = await deployRecord(ada, { env: 'Dev', ref: id, pipeline }, { pollMs: 20 });
    assert.equal(deployed.record.status, 'Deployed');
    number = deployed.record.number!;
    // Badge changed directly in UAT after the deploy.
    const uatRae = env.org('uat').info().users.find((u) => !u.isAdmin)!;
    env.org('uat').store.commitMetadata([{ type: 'ApexClass', fullName: 'Badge', files: classFiles('Badge', 'Hotfix') }], [], uatRae.id, new Date(Date.parse(deployed.record.deploy!.completedAt!) + 5_000));
  });
  after(async () => {
    if (reviewerConn) await salesforce.removeAuthorization(reviewerConn.username).catch(() => undefined);
    await env?.stop();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('shows the plan, refuses an undecided drift, reverts with --override-drift, and refuses a second revert', async () => {
    const before = await uatDeploys();
    const shown = await cli('revert', '--env', 'UAT', '--json');
    assert.equal(shown.code, 0, shown.stderr);
    const plan = json<Plan>(shown);
    assert.equal(plan.record?.number, number);
    assert.equal(plan.queueEntry, null);
    assert.equal(plan.revertable, true);
    assert.equal(plan.reverted, false);
    const byName = new Map(plan.items.map((i) => [i.fullName, i]));
    assert.deepEqual([byName.get('Greeter')?.action, byName.get('Greeter')?.drift, byName.get('Greeter')?.choice], ['Override', false, 'revert']);
    assert.deepEqual([byName.get('Badge')?.action, byName.get('Badge')?.drift, byName.get('Badge')?.choice], ['Delete', true, null]);
    assert.equal(byName.get('Badge')?.changedBy, env.org('uat').info().users.find((u) => !u.isAdmin)!.name);
    const text = await cli('revert', '--env', 'UAT');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Nothing was sent: run again with --yes to revert\./);

    const undecided = await cli('revert', '--env', 'UAT', '--yes');
    assert.equal(undecided.code, 3, undecided.stderr);
    assert.match(undecided.stderr, /ApexClass Badge changed in UAT since the deploy.*--override-drift/s);
    assert.equal(await uatDeploys(), before, 'nothing was sent');
    const both = await cli('revert', '--env', 'UAT', '--yes', '--override-drift', '--skip-drift');
    assert.equal(both.code, 2, both.stderr);

    const done = await cli('revert', '--env', 'UAT', '--deployment', number, '--yes', '--override-drift', '--json');
    assert.equal(done.code, 0, done.stderr);
    const r = json<Plan>(done);
    assert.equal(r.reverted, true);
    assert.equal(r.result?.success, true);
    assert.match(done.stderr, new RegExp(`${number} is Reverted`));
    assert.match(classIn(env, 'uat', 'Greeter')!, /Hello v1/);
    assert.equal(classIn(env, 'uat', 'Badge'), undefined);

    const again = await cli('revert', '--env', 'UAT', '--yes');
    assert.equal(again.code, 3, again.stderr);
    assert.match(again.stderr, /already reverted/);
  });

  it('reverts a deploy from UAT’s deployment queue when it is the latest deployment to UAT', async () => {
    await salesforce.installTracking(env.conns.uat!, { pollMs: 20 });
    await salesforce.grantReleaseManager(env.conns.uat!, [env.org('uat').info().users.find((u) => u.isAdmin)!.id]);
    const src = tempProject('clr-queue-');
    writeClass(src, 'Stamp', greeterClass('Stamp', 'Hello'));
    assert.ok((await salesforce.deploy(env.conns.dev!, { sourcePaths: [src.dir], pollMs: 20 })).success);
    src.remove();
    const users = env.org('dev').info().users;
    const admin = users.find((u) => u.isAdmin)!;
    const reviewer = users.find((u) => !u.isAdmin)!;
    const made = await createRequest({ store: salesforce.trackingStore(env.conns.dev!), actor: { userId: admin.id } }, { name: 'Stamp', customizations: [{ type: 'ApexClass', fullName: 'Stamp' }] });
    assert.ok(made.ok);
    const submitted = await changeStatus({ store: salesforce.trackingStore(env.conns.dev!), actor: { userId: admin.id } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok);
    const approved = await changeStatus({ store: salesforce.trackingStore(reviewerConn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok);
    const sent = await sendChanges(ada, { from: 'Dev', pipeline, scope: { kind: 'cr', ref: approved.cr.number! }, message: 'Stamp', pollMs: 20 });
    assert.ok(sent.ok, JSON.stringify(sent));
    const deployed = await deployEntry(ada, { env: 'UAT', ref: sent.entry.number!, pipeline }, { pollMs: 20 });
    assert.ok(deployed.ok && deployed.entry.status === 'Deployed', JSON.stringify(deployed));
    assert.ok(classIn(env, 'uat', 'Stamp'));

    const shown = await cli('revert', '--env', 'UAT', '--json');
    assert.equal(shown.code, 0, shown.stderr);
    const plan = json<Plan>(shown);
    assert.deepEqual([plan.record, plan.queueEntry?.number, plan.queueEntry?.environment, plan.revertable], [null, sent.entry.number, 'UAT', true]);
    assert.deepEqual(plan.items.map((i) => `${i.action} ${i.fullName}`), ['Delete Stamp']);

    const done = await cli('revert', '--env', 'UAT', '--deployment', sent.entry.number!, '--yes', '--json');
    assert.equal(done.code, 0, done.stderr);
    assert.equal(json<Plan>(done).reverted, true);
    assert.match(done.stderr, new RegExp(`${sent.entry.number} “Stamp” is Reverted`));
    assert.equal(classIn(env, 'uat', 'Stamp'), undefined);
    const list = await cli('queue', 'list', '--env', 'UAT', '--json');
    const entry = json<{ entries: Array<{ number: string; status: string; revert: { status: string } | null }> }>(list).entries.find((e) => e.number === sent.entry.number);
    assert.deepEqual([entry?.status, entry?.revert?.status], ['Reverted', 'Succeeded']);
  });
});
