/**
 * Send and the deployment queue in the editor: an approved change request in Dev sent to UAT
 * through Send to Next Environment… (message asked), a second send with nothing changed refused
 * with the reason, UAT's Queue (1) row in the tree, the queue panel (entry with message, sender,
 * CRs, components; malformed messages refused), the entry deployed from the panel's Deploy button
 * by UAT's release manager (the class reaches UAT, the entry reads Deployed), and the panel and
 * commands read-only, naming who can act, for a user without the permission set; with UAT ahead of
 * Dev, the advice's Sync First… runs Back Deploy UAT → Dev and then sends.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SEND_RETRIEVE_MARGIN_MS } from '../../src/core/promotion';
import type { ChangelineApi } from '../../src/extension';
import type { SalesforceApi } from '../../src/salesforce-loader';
import type { TreeNode } from '../../src/views/nodes';
import { DEPLOY_NOW } from '../../src/commands/promotion/queue';
import { SEND_ANYWAY, SYNC_FIRST } from '../../src/commands/promotion/send';
import { allEnvChildren, ensureTracking, groupRows, run, ScriptedPrompts } from './changeRequestsSupport';
import { testEmulator } from './index';
import { changeline, label, waitFor } from './support';

const REVIEWER_ALIAS = 'queue-dev-reviewer';

describe('Send and the deployment queue in the editor', function () {
  this.timeout(180_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  const prompts = new ScriptedPrompts();
  let reviewerUsername: string | undefined;
  let project: string;
  let crNumber: string;
  const klass = `QueueGreeter${Date.now().toString(36)}`;

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
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-ext-'));
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    fs.writeFileSync(path.join(classes, `${klass}.cls`), `public with sharing class ${klass} {\n    public static String greet() {\n        return 'Hello';\n    }\n}\n`);
    fs.writeFileSync(path.join(classes, `${klass}.cls-meta.xml`), '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n');
    const deployed = await sf.deploy(dev.handle, { sourcePaths: [path.join(project, 'force-app')], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    const made = await createRequest({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, { name: `Send ${klass}`, customizations: [{ type: 'ApexClass', fullName: klass }] });
    assert.ok(made.ok, JSON.stringify(made));
    const submitted = await changeStatus({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const approved = await changeStatus({ store: sf.trackingStore(conn), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok, JSON.stringify(approved));
    crNumber = approved.cr.number!;
  });
  after(async () => {
    prompts.restore(api);
    // The class the Sync First… test put in UAT and back-deployed to Dev goes from both, UAT first (later suites compare them).
    for (const env of ['UAT', 'Dev']) {
      const handle = (await api.sessions.get(env)).handle;
      if ((await sf.listComponents(handle, ['ApexClass'])).some((c) => c.fullName === `${klass}Up`)) await sf.deploy(handle, { destructive: { post: [{ type: 'ApexClass', fullName: `${klass}Up` }] }, pollMs: 20 }).catch(() => undefined);
    }
    api.behind.invalidate();
    if (reviewerUsername) await sf.removeAuthorization(reviewerUsername).catch(() => undefined);
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });
  beforeEach(() => prompts.clear());

  /** UAT's Queue row, once the queue was read. */
  async function queueRow(): Promise<{ label: string; node: TreeNode }> {
    await api.queues.refresh('UAT');
    const row = (await allEnvChildren(api, 'UAT')).find((r) => r.item.contextValue === 'deploymentQueue');
    assert.ok(row, 'UAT shows a Queue row once tracking is there');
    return { label: row.label, node: row.node };
  }

  it('sends an approved change request to UAT with a message; a second send with nothing changed says why', async () => {
    prompts.inputs = ['Adds the greeter'];
    // Should UAT have deployments Dev lacks (other suites deploy to it), Send advises syncing first.
    prompts.warnAnswer = SEND_ANYWAY;
    const sent = await run<{ ok: boolean; entry: { number: string } }>('sendToNext', { environment: 'Dev', cr: crNumber });
    assert.ok(sent?.ok, prompts.said.join('\n'));
    assert.ok(prompts.said.some((s) => s.startsWith('input: Send to UAT…')), `the message box names the target: ${prompts.said.join(' | ')}`);
    assert.match(prompts.said.at(-1) ?? '', new RegExp(`^Sent to UAT as ${sent.entry.number}: 1 component\\.`));
    const row = await queueRow();
    assert.match(row.label, /^Queue \(\d+\)$/);
    const entries = (api.provider.getChildren(row.node) as TreeNode[]).map((n) => label(api.provider.getTreeItem(n) as never));
    assert.ok(entries.includes(`${sent.entry.number} “Adds the greeter”`), entries.join(', '));

    prompts.clear();
    const again = await run<{ ok: boolean }>('sendToNext', { environment: 'Dev', cr: crNumber });
    assert.equal(again?.ok, false);
    assert.match(prompts.said.at(-1) ?? '', /^Nothing changed in Dev since it was last sent to UAT/);
    assert.ok(!prompts.said.some((s) => s.startsWith('input:')), 'no message is asked when there is nothing to send');
  });

  it('Send on the change request is greyed, the tooltip saying why, while nothing changed since that send; a change in Dev enables it again at the next refresh', async () => {
    // The rule's clock margin is for real clocks; the class here changed seconds before the send.
    api.sendFreshness.marginMs = 0;
    try {
      api.changeRequests.refresh('Dev');
      const crRow = async () => {
        const rows = await groupRows(api, 'Dev', 'Approved');
        // Duck-typed: the tree's nodes come from the extension's bundle, not from this file's imports.
        const row = rows.find((r) => (r.node as { cr?: { number?: string } }).cr?.number === crNumber);
        assert.ok(row, `${crNumber} is among Dev's approved change requests: ${(await allEnvChildren(api, 'Dev')).map((r) => r.label).join(', ')} / ${rows.map((r) => r.label).join(', ')}`);
        return api.provider.getTreeItem(row.node) as { contextValue?: string; tooltip?: { value: string } };
      };
      const settled = () => new Promise<void>((resolve) => {
        const d = api.sendFreshness.onDidChange((env) => {
          if (env === 'Dev') {
            d.dispose();
            resolve();
          }
        });
      });
      const greyed = await waitFor('Send greyed on the change request', async () => {
        const item = await crRow();
        return item.contextValue === 'changeRequest.approved.unchanged' ? item : undefined;
      });
      assert.match((greyed.tooltip?.value ?? '').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1'), /Nothing to send: nothing changed in Dev since Q-\d{5} was sent to UAT \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\); its component is unchanged since\./);

      const dev = await api.sessions.get('Dev');
      const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
      fs.writeFileSync(path.join(classes, `${klass}.cls`), `public with sharing class ${klass} {\n    public static String greet() {\n        return 'Hello again';\n    }\n}\n`);
      const changed = await sf.deploy(dev.handle, { sourcePaths: [path.join(classes, `${klass}.cls`)], pollMs: 20 });
      assert.ok(changed.success, JSON.stringify(changed.failures));
      assert.equal((await crRow()).contextValue, 'changeRequest.approved.unchanged', 'until the next refresh, what was read stands');
      // What Refresh does for Send: forget what was read; the row reads it again.
      api.sendFreshness.invalidate();
      const read = settled();
      assert.equal((await crRow()).contextValue, 'changeRequest.approved', 'unknown while it is read again: Send enabled');
      await read;
      assert.equal((await crRow()).contextValue, 'changeRequest.approved', 'the change in Dev: Send enabled');
    } finally {
      api.sendFreshness.marginMs = SEND_RETRIEVE_MARGIN_MS;
    }
  });

  it('the queue panel shows the entry; its Deploy button deploys it as UAT’s release manager', async () => {
    await run('openQueue', { environment: 'UAT' });
    const panel = api.queuePanels.get('UAT');
    assert.ok(panel, 'the queue panel is open');
    const state = await waitFor('the queue panel to show the entry', () => panel.lastState()?.entries.find((e) => e.message === 'Adds the greeter'));
    assert.equal(state.status, 'Queued');
    assert.deepEqual(state.crs, [crNumber]);
    assert.deepEqual(state.components, [{ type: 'ApexClass', fullName: klass }]);
    assert.equal(panel.lastState()?.canManage, true);
    assert.equal(state.actionable, true);
    await waitFor('the webview to load', () => panel.fromWebview.includes('ready'), 90_000);

    await panel.handleMessage({ type: 'deploy', id: 'not-an-id' });
    await panel.handleMessage({ type: 'diff', id: state.id, component: { type: 'ApexClass', fullName: 'SomethingElse' } });
    assert.equal(panel.refused.length, 2, panel.refused.join(' | '));

    prompts.picks = [DEPLOY_NOW];
    await panel.handleMessage({ type: 'deploy', id: state.id });
    await panel.idle();
    const after = panel.lastState()?.entries.find((e) => e.id === state.id);
    assert.equal(after?.status, 'Deployed', prompts.said.join('\n'));
    assert.match(after?.outcome ?? '', /^Deployed by /);
    assert.equal(after?.actionable, false);
    assert.ok(prompts.said.some((s) => new RegExp(`is deployed to UAT\\..* In Dev: ${crNumber} → Ready\\.$`).test(s)), prompts.said.join('\n'));
    const uat = await api.sessions.get('UAT');
    assert.equal((await sf.query(uat.handle, `SELECT Id FROM ApexClass WHERE Name = '${klass}'`)).length, 1, 'the class reached UAT');
  });

  it('a changed class is sent again; rejected with a reason, the sender sees it on the Queue row and in the panel', async () => {
    const dev = await api.sessions.get('Dev');
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.writeFileSync(path.join(classes, `${klass}.cls`), `public with sharing class ${klass} {\n    public static String greet() {\n        return 'Good day';\n    }\n}\n`);
    const deployed = await sf.deploy(dev.handle, { sourcePaths: [path.join(project, 'force-app')], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    prompts.inputs = ['Friendlier greeting'];
    prompts.warnAnswer = SEND_ANYWAY;
    const sent = await run<{ ok: boolean; entry: { id: string; number: string } }>('sendToNext', { environment: 'Dev', cr: crNumber });
    assert.ok(sent?.ok, prompts.said.join('\n'));
    prompts.clear();
    prompts.inputs = ['Wording not approved by marketing'];
    const rejected = await run<{ ok: boolean }>('rejectQueueEntry', { environment: 'UAT', id: sent.entry.id });
    assert.ok(rejected?.ok, prompts.said.join('\n'));
    assert.ok(prompts.said.some((s) => s.startsWith(`input: Reject ${sent.entry.number}`)), prompts.said.join(' | '));
    const row = await queueRow();
    const item = api.provider.getTreeItem(row.node as never) as { description?: string; tooltip?: { value: string } };
    assert.equal(item.description, '1 of yours rejected or failed');
    assert.match((item.tooltip?.value ?? '').replace(/&nbsp;/g, ' '), /Wording not approved by marketing/);
    const panel = api.queuePanels.open('UAT');
    await panel.refresh();
    const e = panel.lastState()?.entries.find((x) => x.id === sent.entry.id);
    assert.equal(e?.status, 'Rejected');
    assert.match(e?.outcome ?? '', /: Wording not approved by marketing$/);
    assert.ok(panel.lastState()?.notices.some((n) => /rejected .*Wording not approved by marketing/.test(n)));
  });

  it('without the release-manager permission set the queue is read-only and the commands say who can act', async () => {
    const uat = await api.sessions.get('UAT');
    // Take the permission set away from the user the editor acts as.
    const [ps] = await sf.query<{ Id: string }>(uat.handle, "SELECT Id FROM PermissionSet WHERE Name = 'Changeline_Release_Manager'");
    const [assignment] = await sf.query<{ Id: string }>(uat.handle, `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '${ps.Id}' AND AssigneeId = '${uat.userId}'`);
    await sf.deleteRecord(uat.handle, 'PermissionSetAssignment', assignment.Id);
    try {
      const panel = api.queuePanels.open('UAT');
      await panel.refresh();
      const s = panel.lastState();
      assert.equal(s?.canManage, false);
      assert.match(s?.readOnly ?? '', /^Read-only: Only holders of the Changeline Release Manager permission set in UAT can deploy or reject queued changes, and nobody there holds it yet/);
      const id = s!.entries[0].id;
      const out = await run('rejectQueueEntry', { environment: 'UAT', id, reason: 'no' });
      assert.equal(out, undefined);
      assert.match(prompts.said.at(-1) ?? '', /Only holders of the Changeline Release Manager permission set in UAT/);
    } finally {
      await sf.grantReleaseManager(uat.handle, [uat.userId]);
    }
  });
  it('Sync First… from the advice back-deploys what UAT has and Dev lacks, then sends when the user wants', async () => {
    const dev = await api.sessions.get('Dev');
    const uat = await api.sessions.get('UAT');
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.writeFileSync(path.join(classes, `${klass}.cls`), `public with sharing class ${klass} {\n    public static String greet() {\n        return 'Welcome';\n    }\n}\n`);
    const changed = await sf.deploy(dev.handle, { sourcePaths: [path.join(classes, `${klass}.cls`)], pollMs: 20 });
    assert.ok(changed.success, JSON.stringify(changed.failures));
    // A class deployed to UAT only (out of band): Dev lacks it.
    const other = `${klass}Up`;
    const up = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-sync-'));
    try {
      fs.writeFileSync(path.join(up, `${other}.cls`), `public with sharing class ${other} {\n    public static Integer v() {\n        return 7;\n    }\n}\n`);
      fs.copyFileSync(path.join(classes, `${klass}.cls-meta.xml`), path.join(up, `${other}.cls-meta.xml`));
      const d = await sf.deploy(uat.handle, { sourcePaths: [up], pollMs: 20 });
      assert.ok(d.success, JSON.stringify(d.failures));
    } finally {
      fs.rmSync(up, { recursive: true, force: true });
    }
    api.behind.invalidate();
    // The advice twice: Sync First… the first time; Send Anyway should Dev still lack something else of UAT's (other suites deploy there).
    const warnAnswers = [SYNC_FIRST, SEND_ANYWAY];
    const scriptedWarn = api.prompts.warn;
    api.prompts.warn = async (m, ...actions) => {
      prompts.said.push(m);
      return actions.length ? warnAnswers.shift() : undefined;
    };
    try {
      prompts.picks = ['$(checklist) Select Components…', `ApexClass ${other}`, '$(cloud-download) Deploy 1 Component to Dev'];
      prompts.inputs = ['Welcome after sync'];
      const sent = await run<{ ok: boolean; entry: { number: string; components: Array<{ fullName: string }> } }>('sendToNext', { environment: 'Dev', cr: crNumber });
      assert.ok(prompts.said.some((s) => /^UAT has \d+ deployments? that Dev does not have/.test(s)), prompts.said.join('\n'));
      assert.ok(prompts.said.some((s) => /^pick: Back Deploy UAT → Dev: /.test(s)), 'Sync First… opens Back Deploy for Dev ← UAT');
      assert.ok(prompts.said.some((s) => /^Back-deploy 0Af\w+ of .* \(UAT → Dev\) succeeded/.test(s)), prompts.said.join('\n'));
      assert.ok(prompts.said.includes("Dev was synced with UAT. Send Dev's changes to UAT now?"), prompts.said.join('\n'));
      assert.equal(prompts.picks.length, 0, 'every scripted pick was asked for');
      assert.ok(sent?.ok, prompts.said.join('\n'));
      assert.deepEqual(sent.entry.components.map((c) => c.fullName), [klass], 'the send carries the change request, not what was synced');
      assert.equal((await sf.query(dev.handle, `SELECT Id FROM ApexClass WHERE Name = '${other}'`)).length, 1, `${other} reached Dev`);
    } finally {
      api.prompts.warn = scriptedWarn;
    }
  });

  it('Sync First… closed without deploying sends nothing and says so', async function () {
    const dev = await api.sessions.get('Dev');
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.writeFileSync(path.join(classes, `${klass}.cls`), `public with sharing class ${klass} {\n    public static String greet() {\n        return 'Hi there';\n    }\n}\n`);
    const changed = await sf.deploy(dev.handle, { sourcePaths: [path.join(classes, `${klass}.cls`)], pollMs: 20 });
    assert.ok(changed.success, JSON.stringify(changed.failures));
    api.behind.invalidate();
    const behind = await api.behind.compute('Dev', 'UAT');
    if (behind.kind !== 'ready' || behind.report.count === 0) this.skip(); // UAT has nothing Dev lacks any more: no advice to answer.
    prompts.warnAnswer = SYNC_FIRST;
    const out = await run('sendToNext', { environment: 'Dev', cr: crNumber });
    assert.equal(out, undefined);
    assert.match(prompts.said.at(-1) ?? '', /^Nothing was sent to UAT: Dev was not brought level with it\./);
    assert.ok(!prompts.said.some((s) => s.startsWith('input:')), 'no message is asked');
  });

  it('the sender withdraws a waiting entry from the queue panel: it reads withdrawn, its tree row offers nothing more, and Deploy is refused', async () => {
    const dev = await api.sessions.get('Dev');
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.writeFileSync(path.join(classes, `${klass}.cls`), `public with sharing class ${klass} {\n    public static String greet() {\n        return 'Withdraw me';\n    }\n}\n`);
    const changed = await sf.deploy(dev.handle, { sourcePaths: [path.join(classes, `${klass}.cls`)], pollMs: 20 });
    assert.ok(changed.success, JSON.stringify(changed.failures));
    prompts.inputs = ['Not ready after all'];
    prompts.warnAnswer = SEND_ANYWAY;
    const sent = await run<{ ok: boolean; entry: { id: string; number: string } }>('sendToNext', { environment: 'Dev', cr: crNumber });
    assert.ok(sent?.ok, prompts.said.join('\n'));
    const rowOf = async () => {
      const queue = await queueRow();
      const rows = (api.provider.getChildren(queue.node) as TreeNode[]).map((n) => api.provider.getTreeItem(n) as { label?: unknown; contextValue?: string });
      return rows.find((r) => label(r as never).startsWith(sent.entry.number));
    };
    // You sent it: the row is marked yours (Withdraw Queued Changes… is offered there).
    assert.equal((await rowOf())?.contextValue, 'deploymentQueueEntry.queued.yours');

    const panel = api.queuePanels.open('UAT');
    await panel.refresh();
    assert.equal(panel.lastState()?.entries.find((e) => e.id === sent.entry.id)?.withdrawable, true);
    prompts.clear();
    await panel.handleMessage({ type: 'withdraw', id: sent.entry.id });
    await panel.idle();
    assert.ok(prompts.said.some((s) => s.startsWith(`Withdraw ${sent.entry.number} “Not ready after all” from UAT's queue?`)), prompts.said.join(' | '));
    assert.match(prompts.said.at(-1) ?? '', new RegExp(`^${sent.entry.number} “Not ready after all” was withdrawn from UAT's queue\\.`));
    const e = panel.lastState()?.entries.find((x) => x.id === sent.entry.id);
    assert.equal(e?.status, 'Cancelled');
    assert.match(e?.outcome ?? '', /^Withdrawn by /);
    assert.deepEqual([e?.actionable, e?.withdrawable], [false, false]);
    assert.equal((await rowOf())?.contextValue, 'deploymentQueueEntry.withdrawn.yours', 'no Deploy, Reject or Withdraw on the row');

    prompts.clear();
    const deploy = await run<{ ok: boolean }>('deployQueueEntry', { environment: 'UAT', id: sent.entry.id, validateFirst: false });
    assert.equal(deploy?.ok, false);
    assert.match(prompts.said.at(-1) ?? '', /was withdrawn by .*; ask .* to send the changes again/);
  });
});
