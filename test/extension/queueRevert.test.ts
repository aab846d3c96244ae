/**
 * Revert Latest Deployment… on an environment, for a deploy from its deployment queue: an approved
 * CR (a class UAT has in an earlier version, and a class new to UAT) sent from Dev and deployed
 * from UAT's queue; then Revert Latest Deployment… on UAT's row in the tree finds that entry's
 * deploy as the latest, says what it restores and deletes, and reverts it — the earlier class is
 * back, the new one gone, the queue panel shows the entry Reverted with who and the revert's
 * deploy id and offers no deploy; asked again, the command says it was already reverted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import type { ChangelineApi } from '../../src/extension';
import type { SalesforceApi } from '../../src/salesforce-loader';
import { DEPLOY_NOW } from '../../src/commands/promotion/queue';
import { SEND_ANYWAY } from '../../src/commands/promotion/send';
import { ensureTracking, run, ScriptedPrompts } from './changeRequestsSupport';
import { testEmulator } from './index';
import { changeline, waitFor } from './support';

const REVIEWER_ALIAS = 'queue-revert-reviewer';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const cls = (name: string, word: string) => `public with sharing class ${name} {\n    public static String greet() {\n        return '${word}';\n    }\n}\n`;
const b64 = (t: string) => Buffer.from(t, 'utf8').toString('base64');

describe('Revert Latest Deployment… on an environment, of a deploy from its queue (editor)', function () {
  this.timeout(180_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  const prompts = new ScriptedPrompts();
  let reviewerUsername: string | undefined;
  let project: string;
  let crNumber: string;
  const stamp = Date.now().toString(36);
  const changed = `QrvGreeter${stamp}`;
  const created = `QrvBadge${stamp}`;

  const inUat = (name: string): string | undefined => {
    const c = testEmulator().org('uat').store.getComponent('ApexClass', name);
    return c ? Buffer.from(c.files[`classes/${name}.cls`], 'base64').toString('utf8') : undefined;
  };

  before(async () => {
    api = await changeline();
    sf = await api.salesforce();
    prompts.install(api);
    await ensureTracking(api, 'Dev');
    await ensureTracking(api, 'UAT');
    const dev = await api.sessions.get('Dev');
    const uat = await api.sessions.get('UAT');
    await sf.grantReleaseManager(uat.handle, [uat.userId]);
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    await sf.grantTrackingAccess(dev.handle, [reviewer.id]);
    const conn = await sf.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: testEmulator().org('dev').instanceUrl, alias: REVIEWER_ALIAS });
    reviewerUsername = conn.username;
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-revert-ext-'));
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    for (const n of [changed, created]) {
      fs.writeFileSync(path.join(classes, `${n}.cls`), cls(n, 'Hello v2'));
      fs.writeFileSync(path.join(classes, `${n}.cls-meta.xml`), META);
    }
    const deployed = await sf.deploy(dev.handle, { sourcePaths: [path.join(project, 'force-app')], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    const org = testEmulator().org('uat');
    org.store.commitMetadata([{ type: 'ApexClass', fullName: changed, files: { [`classes/${changed}.cls`]: b64(cls(changed, 'Hello v1')), [`classes/${changed}.cls-meta.xml`]: b64(META) } }], [], org.users.find((u) => u.isAdmin)!.id);
    const made = await createRequest({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, { name: `Revert ${stamp}`, customizations: [changed, created].map((fullName) => ({ type: 'ApexClass', fullName })) });
    assert.ok(made.ok, JSON.stringify(made));
    const submitted = await changeStatus({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const approved = await changeStatus({ store: sf.trackingStore(conn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok, JSON.stringify(approved));
    crNumber = approved.cr.number!;
  });
  after(async () => {
    prompts.restore(api);
    // The classes go from both orgs again (later suites compare them), UAT first.
    for (const envName of ['UAT', 'Dev']) {
      const handle = (await api.sessions.get(envName)).handle;
      const there = (await sf.listComponents(handle, ['ApexClass'])).filter((c) => c.fullName === changed || c.fullName === created);
      if (there.length) await sf.deploy(handle, { destructive: { post: there.map((c) => ({ type: 'ApexClass', fullName: c.fullName })) }, pollMs: 20 }).catch(() => undefined);
    }
    api.behind.invalidate();
    if (reviewerUsername) await sf.removeAuthorization(reviewerUsername).catch(() => undefined);
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });
  beforeEach(() => prompts.clear());

  it('finds the queue entry’s deploy as the latest to UAT from its row, reverts it, and the queue shows it Reverted', async () => {
    prompts.inputs = ['Greeter v2 and a badge'];
    prompts.warnAnswer = SEND_ANYWAY;
    const sent = await run<{ ok: boolean; entry: { id: string; number: string } }>('sendToNext', { environment: 'Dev', cr: crNumber });
    assert.ok(sent?.ok, prompts.said.join('\n'));
    prompts.picks = [DEPLOY_NOW];
    const deployed = await run<{ ok: boolean; entry: { status: string; snapshot?: { existed: number; absent: number } } }>('deployQueueEntry', { environment: 'UAT', id: sent.entry.id });
    assert.ok(deployed?.ok, prompts.said.join('\n'));
    assert.equal(deployed.entry.status, 'Deployed');
    assert.deepEqual(deployed.entry.snapshot && { existed: deployed.entry.snapshot.existed, absent: deployed.entry.snapshot.absent }, { existed: 1, absent: 1 });
    assert.match(inUat(changed)!, /Hello v2/);

    // From UAT's row in the tree.
    api.provider.getChildren();
    const uatRow = api.provider.nodeFor('UAT');
    assert.ok(uatRow, 'UAT is in the tree');
    prompts.clear();
    const result = await run<{ deployment: { kind: string; status: string; revert?: { id: string } }; outcome: { result: { id: string; success: boolean } } }>('revertLatestDeployment', uatRow);
    assert.equal(result?.outcome.result.success, true, prompts.said.join('\n'));
    assert.equal(result.deployment.kind, 'queue-entry');
    assert.ok(prompts.said.some((m) => m.startsWith(`Revert ${sent.entry.number} “Greeter v2 and a badge” in UAT? 1 to restore, 1 to delete, 0 skipped.`)), prompts.said.join('\n'));
    assert.ok(prompts.said.some((m) => new RegExp(`^Revert 0Af\\w+ of ${sent.entry.number} .* in UAT succeeded: 1 restored, 1 deleted, 0 skipped\\. The queue entry is Reverted\\.$`).test(m)), prompts.said.join('\n'));
    assert.match(inUat(changed)!, /Hello v1/, 'the earlier version is back');
    assert.equal(inUat(created), undefined, 'the class the deploy created is gone');

    // The queue panel shows it Reverted: who, the revert's deploy id; nothing to deploy or revert.
    await run('openQueue', { environment: 'UAT' });
    const panel = api.queuePanels.get('UAT')!;
    const row = await waitFor('the queue panel to show the entry reverted', () => panel.lastState()?.entries.find((e) => e.id === sent.entry.id && e.status === 'Reverted'));
    assert.match(row.outcome ?? '', new RegExp(`then reverted by .* revert deploy ${result.deployment.revert!.id}\\. It cannot be deployed again as is\\.$`));
    assert.equal(row.actionable, false);
    await panel.handleMessage({ type: 'revert', id: sent.entry.id });
    assert.match(panel.refused.at(-1) ?? '', /not a deployed entry/);

    // Asked again: already reverted, nothing sent.
    prompts.clear();
    assert.equal(await run('revertLatestDeployment', { environment: 'UAT', entry: sent.entry.id }), undefined);
    assert.match(prompts.said.at(-1) ?? '', /already reverted/);

    // The Deployment Log panel's button runs the same command for its environment.
    const log = api.deploymentLogPanels.open('UAT');
    await log.idle();
    prompts.clear();
    await log.handleMessage({ type: 'revertLatest' });
    await waitFor('the log panel’s Revert Latest Deployment… to answer', () => prompts.said.find((m) => /already reverted/.test(m)));
    log.dispose();
  });
});
