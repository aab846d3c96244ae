/**
 * Revert Latest Deployment… in the editor: a deployment record deployed from Dev to UAT (it changed
 * RevGreeter and created RevBadge), RevBadge then changed in UAT by a colleague — the command asks
 * about RevBadge (who changed it), stops with nothing sent when that question is dismissed, and,
 * once answered and confirmed from the deployment panel's button, restores RevGreeter and deletes
 * RevBadge, the record showing Reverted in the panel (revert no longer offered, saying why) and the
 * tree; asked again, it says the deployment was already reverted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { ChangelineApi } from '../../src/extension';
import type { SalesforceApi } from '../../src/salesforce-loader';
import { approveDeployment } from '../../src/workflows/deploy/records';
import { OrgSessions } from '../../src/workflows/sessions';
import { ensureTracking, run, ScriptedPrompts, stamp } from './changeRequestsSupport';
import { testEmulator } from './index';
import { changeline, waitFor } from './support';

const REVIEWER_ALIAS = 'revert-reviewer';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const cls = (name: string, word: string) => `public with sharing class ${name} {\n    public static String greet(String who) {\n        return '${word}, ' + who;\n    }\n}\n`;
const b64 = (t: string) => Buffer.from(t, 'utf8').toString('base64');
const files = (name: string, word: string) => ({ [`classes/${name}.cls`]: b64(cls(name, word)), [`classes/${name}.cls-meta.xml`]: b64(META) });

describe('Revert Latest Deployment… (editor)', function () {
  this.timeout(120_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  const prompts = new ScriptedPrompts();
  let reviewerUsername: string | undefined;
  let project: string;

  before(async () => {
    api = await changeline();
    sf = await api.salesforce();
    prompts.install(api);
    await ensureTracking(api, 'Dev');
    const dev = await api.sessions.get('Dev');
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    await sf.grantTrackingAccess(dev.handle, [reviewer.id]);
    const conn = await sf.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: testEmulator().org('dev').instanceUrl, alias: REVIEWER_ALIAS });
    reviewerUsername = conn.username;
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'revert-'));
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    for (const n of ['RevGreeter', 'RevBadge']) {
      fs.writeFileSync(path.join(classes, `${n}.cls`), cls(n, 'Hello v2'));
      fs.writeFileSync(path.join(classes, `${n}.cls-meta.xml`), META);
    }
    const deployed = await sf.deploy(dev.handle, { sourcePaths: [path.join(project, 'force-app')], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    // UAT has the earlier RevGreeter; RevBadge is new there.
    const uat = testEmulator().org('uat');
    uat.store.commitMetadata([{ type: 'ApexClass', fullName: 'RevGreeter', files: files('RevGreeter', 'Hello v1') }], [], uat.users.find((u) => u.isAdmin)!.id);
  });
  after(async () => {
    prompts.restore(api);
    if (reviewerUsername) await sf.removeAuthorization(reviewerUsername).catch(() => undefined);
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });
  beforeEach(() => prompts.clear());

  const inUat = (name: string): string | undefined => {
    const c = testEmulator().org('uat').store.getComponent('ApexClass', name);
    return c ? Buffer.from(c.files[`classes/${name}.cls`], 'base64').toString('utf8') : undefined;
  };

  it('asks about the component changed in UAT since the deploy, stops when dismissed, and reverts once answered', async () => {
    const dev = await api.sessions.get('Dev');
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    const made = await createRequest({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, {
      name: stamp('Revert me'),
      customizations: [
        { type: 'ApexClass', fullName: 'RevGreeter' },
        { type: 'ApexClass', fullName: 'RevBadge' },
      ],
    });
    assert.ok(made.ok);
    const submittedCr = await changeStatus({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, made.cr, 'Pending approval');
    assert.ok(submittedCr.ok);
    const approvedCr = await changeStatus({ store: sf.trackingStore(await sf.connect(REVIEWER_ALIAS)), actor: { userId: reviewer.id } }, submittedCr.cr, 'Approved', 'ok');
    assert.ok(approvedCr.ok);
    const created = await run<{ ok: true; record: { id: string; number: string } }>('createDeployment', { environment: 'Dev', id: made.cr.id });
    assert.ok(created?.ok, prompts.said.join('\n'));
    const target = { environment: 'Dev', id: created.record.id };
    assert.ok((await run<{ ok: boolean }>('submitDeployment', target))?.ok);
    const rae = {
      sessions: new OrgSessions({ environment: (n) => (n === 'Dev' ? { name: 'Dev', org: REVIEWER_ALIAS, role: 'development' as const } : api.model.environment(n)) }, () => api.salesforce()),
      salesforce: () => api.salesforce(),
      log: SILENT_LOG,
    };
    assert.ok((await approveDeployment(rae, 'Dev', created.record.id, 'Ready for UAT')).ok);
    assert.ok((await run<{ ok: boolean }>('retrievePackage', target))?.ok, prompts.said.join('\n'));
    const deployed = await run<{ record: { status: string; deploy: { completedAt: string } } }>('deployDeployment', target);
    assert.equal(deployed?.record.status, 'Deployed', prompts.said.join('\n'));
    assert.match(inUat('RevGreeter')!, /Hello v2/);

    // A colleague changes RevBadge in UAT after the deploy.
    const uat = testEmulator().org('uat');
    const colleague = uat.users.find((u) => !u.isAdmin)!;
    uat.store.commitMetadata([{ type: 'ApexClass', fullName: 'RevBadge', files: files('RevBadge', 'Hotfix') }], [], colleague.id, new Date(Date.parse(deployed.record.deploy.completedAt) + 5_000));

    // Where another test installed change tracking in UAT, reverting there is for its release managers: be one.
    const uatSession = await api.sessions.get('UAT');
    if ((await sf.releaseManagers(uatSession.handle)).permissionSetExists) await sf.grantReleaseManager(uatSession.handle, [uatSession.userId]);

    // The question about RevBadge dismissed: nothing sent.
    const uatConn = (await api.sessions.get('UAT')).handle;
    const sent = (await sf.recentDeployRequests(uatConn)).length;
    prompts.clear();
    assert.equal(await run('revertDeployment', target), undefined);
    assert.ok(prompts.said.some((m) => m === `pick: ApexClass RevBadge changed in UAT by ${colleague.name} at ${new Date(Date.parse(deployed.record.deploy.completedAt) + 5_000).toISOString().slice(0, 16).replace('T', ' ')} UTC, after the deploy`), prompts.said.join('\n'));
    assert.match(prompts.said.at(-1) ?? '', new RegExp(`The revert of ${created.record.number} was not started; nothing was sent to UAT`));
    assert.equal((await sf.recentDeployRequests(uatConn)).length, sent);

    // From the deployment panel's button: answered (revert it anyway) and confirmed.
    const panel = api.deploymentPanels.open('Dev', created.record.id);
    const revertButton = () => panel.lastState()?.actions.find((a) => a.action === 'revert');
    await waitFor('the panel to offer the revert', () => revertButton()?.allowed === true);
    prompts.clear();
    prompts.picks = ['Revert Anyway'];
    await panel.handleMessage({ type: 'action', action: 'revert', environment: 'Dev', id: created.record.id });
    await panel.idle();
    assert.ok(prompts.said.some((m) => m.startsWith(`Revert ${created.record.number} in UAT? 1 to restore, 1 to delete, 0 skipped.`)), prompts.said.join('\n'));
    assert.ok(prompts.said.some((m) => new RegExp(`^Revert 0Af\\w+ of ${created.record.number} in UAT succeeded: 1 restored, 1 deleted, 0 skipped. The record is Reverted.`).test(m)), prompts.said.join('\n'));
    assert.match(inUat('RevGreeter')!, /Hello v1/);
    assert.equal(inUat('RevBadge'), undefined);
    await waitFor('the panel to show the record reverted', () => panel.lastState()?.header.status === 'Reverted');
    assert.equal(revertButton()?.allowed, false);
    assert.match(revertButton()?.reason ?? '', /reverted already; its package cannot be deployed again as is/);
    assert.ok(panel.lastState()!.history.some((h) => h.action === 'revert' && h.lines.some((l) => /Revert 0Af\w+ Succeeded/.test(l))), 'the history says how the revert ended');
    panel.dispose();
    await waitFor('the tree to show the record reverted', () => api.deployments.find('Dev', created.record.id)?.status === 'Reverted');

    // Reverted: asking again says so, and deploying it is refused.
    prompts.clear();
    assert.equal(await run('revertDeployment', target), undefined);
    assert.match(prompts.said.at(-1) ?? '', /already reverted/);
  });
});
