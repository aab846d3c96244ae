/**
 * The deployment panel in the real extension host against the emulated Dev and UAT orgs: a record
 * made through the workflows (an approved CR in Dev deployed toward UAT) opens in its panel, the
 * webview loads under its CSP, the state it is sent shows the header, components and the actions
 * the current user may take; after approval and retrieve it lists the package's files, which open
 * read-only and diff against UAT's version. It is restored from its saved state, and a message
 * naming another record (or an action the user may not take) is refused with nothing run.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { parsePipeline, type Pipeline } from '../../src/core/pipeline';
import type { ChangelineApi } from '../../src/extension';
import type { OrgConnection } from '../../src/salesforce/connection';
import type { SalesforceApi } from '../../src/salesforce-loader';
import type { PanelState } from '../../src/shared/deploymentProtocol';
import { ORG_FILE_SCHEME, PANEL_TYPES } from '../../src/shared/ids';
import type { Ctx } from '../../src/ctx';
import { EnvironmentsModel } from '../../src/views/environmentsModel';
import { DeploymentPanels, type DeploymentPanel } from '../../src/webviews/deployment';
import { approveDeployment, createDeployment, retrievePackage, submitDeployment } from '../../src/workflows/deploy/records';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { testEmulator, testOrg } from './index';
import { changeline, EXTENSION_ID, pipelineUri, readText, waitFor, WEBVIEW_BOOT_MS, workspaceFolder, writeText } from './support';

const ENV = 'Dev';
const REVIEWER_ALIAS = 'deppanel-dev-reviewer';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const source = (name: string, greeting: string) => `public with sharing class ${name} {\n    public static String greet() {\n        return '${greeting}';\n    }\n}\n`;

describe('Deployment panel', function () {
  this.timeout(180_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  let handle: OrgConnection;
  let me: string;
  let pipeline: Pipeline;
  let ada: WorkflowDeps;
  let rae: WorkflowDeps;
  let reviewerConn: OrgConnection | undefined;
  const granted: string[] = [];
  const tag = `D${Date.now().toString(36)}`;
  const cls = `DepPanel${tag}`;
  const reviewer = () => testEmulator().org('dev').users.find((u) => !u.isAdmin)!;

  before(async () => {
    api = await changeline();
    await api.model.loadAuthorizations();
    sf = await api.salesforce();
    const session = await api.sessions.get(ENV);
    handle = session.handle;
    me = session.userId;
    const status = await sf.trackingStatus(handle);
    if (!status.installed || status.upgradeAvailable) {
      const r = await sf.installTracking(handle, { pollMs: 20 });
      assert.ok(r.success, 'tracking installed in Dev');
    }
    const [grant] = await sf.grantTrackingAccess(handle, [reviewer().id]);
    if (grant!.outcome === 'assigned') {
      const rows = await sf.query<{ Id: string }>(handle, `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${reviewer().id}'`);
      granted.push(...rows.map((r) => r.Id));
    }
    reviewerConn = await sf.authorizeWithToken({ accessToken: reviewer().accessToken, instanceUrl: testOrg('dev').instanceUrl, alias: REVIEWER_ALIAS });
    const parsed = parsePipeline(await readText(pipelineUri()));
    assert.ok(parsed.pipeline, JSON.stringify(parsed.diagnostics));
    pipeline = parsed.pipeline;
    ada = { sessions: api.sessions, salesforce: () => api.salesforce(), log: api.log };
    const asReviewer = pipeline.environments.map((e) => (e.name === ENV ? { ...e, org: REVIEWER_ALIAS } : e));
    rae = { sessions: new OrgSessions({ environment: (n: string) => asReviewer.find((e) => e.name === n) }, () => api.salesforce()), salesforce: () => api.salesforce(), log: api.log };
    // The class to deploy, in Dev; UAT has an older version of it (one line differs).
    const dev = testEmulator().org('dev');
    dev.store.commitMetadata([{ type: 'ApexClass', fullName: cls, files: { [`classes/${cls}.cls`]: b64(source(cls, 'Hello')), [`classes/${cls}.cls-meta.xml`]: b64(META) } }], [], dev.admin.id);
    const uat = testEmulator().org('uat');
    uat.store.commitMetadata([{ type: 'ApexClass', fullName: cls, files: { [`classes/${cls}.cls`]: b64(source(cls, 'Hi')), [`classes/${cls}.cls-meta.xml`]: b64(META) } }], [], uat.admin.id);
  });

  afterEach(() => {
    for (const p of api.deploymentPanels.all()) p.dispose();
  });

  after(async () => {
    if (reviewerConn) await sf.removeAuthorization(REVIEWER_ALIAS).catch(() => undefined);
    // Other files find Dev's reviewer without access, as the emulator starts.
    for (const id of granted) await sf.deleteRecord(handle, 'PermissionSetAssignment', id).catch(() => undefined);
  });

  /** A draft deployment record toward UAT of an approved CR in Dev (approved by the reviewer). */
  async function draftRecord(name: string): Promise<{ id: string; number: string; crNumber: string }> {
    const made = await createRequest({ store: sf.trackingStore(handle), actor: { userId: me } }, { name: `${tag} ${name}`, customizations: [{ type: 'ApexClass', fullName: cls }], approvers: [reviewer().id] });
    assert.ok(made.ok, JSON.stringify(made));
    const submitted = await changeStatus({ store: sf.trackingStore(handle), actor: { userId: me } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const approved = await changeStatus({ store: sf.trackingStore(reviewerConn!), actor: { userId: reviewer().id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok, JSON.stringify(approved));
    const record = await createDeployment(ada, { crEnv: ENV, crRef: approved.cr.number!, targetEnv: 'UAT', pipeline });
    assert.ok(record.ok, JSON.stringify(record));
    return { id: record.record.id!, number: record.record.number!, crNumber: approved.cr.number! };
  }

  async function open(id: string, until: (s: PanelState) => boolean = () => true): Promise<DeploymentPanel> {
    const panel = api.deploymentPanels.open(ENV, id);
    await waitFor('the panel to load the record', () => {
      const s = panel.lastState();
      return s && until(s);
    });
    return panel;
  }

  const allowed = (s: PanelState) => s.actions.filter((a) => a.allowed).map((a) => a.action);

  it('opens one panel per record: header, components and the actions the current user may take; the webview loads under its CSP', async () => {
    const rec = await draftRecord('Panel header');
    const panel = await open(rec.id);
    assert.equal(api.deploymentPanels.open(ENV, rec.id), panel, 'opening again reveals the same panel');
    assert.equal(panel.panel.viewType, PANEL_TYPES.deployment);
    assert.equal(panel.panel.title, `${rec.number} · ${rec.crNumber} → UAT`);
    const s = panel.lastState()!;
    assert.deepEqual(
      { number: s.header.number, cr: s.header.crNumber, source: s.header.source, target: s.header.target, status: s.header.status, createdBy: s.header.createdBy, approvers: s.header.approvers },
      { number: rec.number, cr: rec.crNumber, source: 'Dev', target: 'UAT', status: 'Draft', createdBy: 'Ada Admin', approvers: [reviewer().name] },
    );
    assert.equal(s.header.testLevel, "NoTestRun (Salesforce's default)", 'UAT (staging) names no test level and the package has Apex only outside production');
    assert.deepEqual(s.components, [{ type: 'ApexClass', fullName: cls }]);
    assert.deepEqual(allowed(s), ['submit'], 'the creator may submit a draft, nothing else yet');
    assert.match(s.actions.find((a) => a.action === 'retrieve')!.reason!, new RegExp(`Submit ${rec.number} and have it approved`));
    assert.deepEqual(s.history.map((h) => [h.action, h.who]), [['created', 'Ada Admin']]);
    assert.equal(s.package, undefined);
    // The webview script ran (the CSP allowed it by nonce) and said it is ready for the state.
    await waitFor('the webview to say ready', () => panel.fromWebview.includes('ready'), WEBVIEW_BOOT_MS);
  });

  it('follows the record: approved and retrieved, it lists the package files, which open read-only and diff with UAT’s version', async () => {
    const rec = await draftRecord('Panel package');
    const panel = await open(rec.id);
    assert.ok((await submitDeployment(ada, ENV, rec.id, pipeline)).ok);
    await panel.refresh();
    let s = panel.lastState()!;
    assert.equal(s.header.status, 'Pending approval');
    assert.deepEqual(allowed(s), [], 'the submitter may not approve their own deployment');
    assert.ok(s.actions.find((a) => a.action === 'approve')!.reason, 'the disabled approve says why');

    // Approve clicked by the submitter is refused with the reason; no command runs.
    await panel.handleMessage({ type: 'action', action: 'approve', environment: ENV, id: rec.id });
    await panel.idle();
    s = panel.lastState()!;
    assert.equal(s.banner?.kind, 'error');
    assert.equal(s.banner?.text, s.actions.find((a) => a.action === 'approve')!.reason);
    assert.equal(s.header.status, 'Pending approval');

    assert.ok((await approveDeployment(rae, ENV, rec.id, 'Ready for UAT')).ok);
    const pkg = await retrievePackage(ada, ENV, rec.id, { pollMs: 20 });
    assert.ok(pkg.ok, JSON.stringify(pkg));
    await panel.refresh();
    s = panel.lastState()!;
    assert.equal(s.header.status, 'Approved');
    assert.deepEqual(allowed(s), ['retrieve', 'checkDependencies', 'validate', 'deploy']);
    assert.match(s.actions.find((a) => a.action === 'quickDeploy')!.reason!, /Validate .* first/);
    assert.equal(s.package?.retrievedBy, 'Ada Admin');
    assert.equal(s.package?.componentCount, 1);
    assert.equal(s.package?.problem, undefined);
    const main = s.package!.files.find((f) => f.path.endsWith(`classes/${cls}.cls`));
    assert.ok(main, `the package lists ${cls}.cls: ${s.package!.files.map((f) => f.path).join(', ')}`);
    assert.equal(main.component, `ApexClass ${cls}`);
    assert.equal(main.diffable, true);
    assert.deepEqual(s.components, [{ type: 'ApexClass', fullName: cls }], 'in the package: not marked missing');
    assert.ok(s.history.some((h) => h.action === 'package' && h.lines.some((l) => /Package retrieved from Dev/.test(l))));

    // Open: a read-only document with the package's bytes.
    await panel.handleMessage({ type: 'openFile', path: main.path });
    const opened = vscode.window.activeTextEditor?.document;
    assert.equal(opened?.uri.scheme, ORG_FILE_SCHEME);
    assert.match(opened!.getText(), /return 'Hello';/);

    // Diff with target: UAT's version on the left, the package's on the right.
    await panel.handleMessage({ type: 'diffFile', path: main.path });
    assert.equal(panel.lastState()!.banner, undefined, 'no error');
    const diff = await waitFor('the diff editor', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.path.endsWith(`${cls}.cls`)),
    );
    const input = diff.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, ORG_FILE_SCHEME);
    assert.match(input.original.path, new RegExp(`^/UAT/.*${cls}\\.cls$`));
    assert.match((await vscode.workspace.openTextDocument(input.original)).getText(), /return 'Hi';/);
    assert.match((await vscode.workspace.openTextDocument(input.modified)).getText(), /return 'Hello';/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is restored from the state its webview saved (after a reload); a state that names no record is not', async () => {
    const rec = await draftRecord('Panel revive');
    const raw = vscode.window.createWebviewPanel(PANEL_TYPES.deployment, 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    const panel = api.deploymentPanels.revive(raw, { environment: ENV, id: rec.id });
    assert.ok(panel);
    await waitFor('the revived panel to load', () => panel.lastState()?.header.number === rec.number);
    assert.equal(api.deploymentPanels.get(ENV, rec.id), panel);
    assert.deepEqual(allowed(panel.lastState()!), ['submit']);
    const again = vscode.window.createWebviewPanel(PANEL_TYPES.deployment, 'twice', vscode.ViewColumn.Active, { enableScripts: true });
    assert.equal(api.deploymentPanels.revive(again, { environment: ENV, id: rec.id }), panel, 'a second restore of the same record reveals the first');
    const junk = vscode.window.createWebviewPanel(PANEL_TYPES.deployment, 'junk', vscode.ViewColumn.Active, {});
    assert.equal(api.deploymentPanels.revive(junk, { environment: ENV, id: "x' OR Id != '" }), undefined);
  });

  it('its buttons run the commands: Submit moves the record on, and the panel shows it Pending approval', async () => {
    const rec = await draftRecord('Panel submit');
    const panel = await open(rec.id);
    assert.ok(allowed(panel.lastState()!).includes('submit'), allowed(panel.lastState()!).join());
    await panel.handleMessage({ type: 'action', action: 'submit', environment: ENV, id: rec.id });
    await panel.idle();
    await waitFor('the panel to show the submitted record', () => panel.lastState()?.header.status === 'Pending approval');
    assert.equal((await sf.getDeployment(handle, rec.id)).status, 'Pending approval', 'the org holds the submitted record');
    assert.deepEqual(panel.refused, []);
  });

  it('refuses a message naming a record of another environment (or another record), and runs nothing', async () => {
    const rec = await draftRecord('Panel refuse');
    const panel = await open(rec.id);
    const before = panel.lastState()!;
    await panel.handleMessage({ type: 'action', action: 'submit', environment: 'UAT', id: rec.id });
    await panel.handleMessage({ type: 'action', action: 'submit', environment: ENV, id: 'a0B000000000000AAA' });
    await panel.idle();
    assert.equal(panel.refused.length, 2, panel.refused.join('\n'));
    assert.match(panel.refused[0]!, new RegExp(`deployment ${rec.id} in UAT, but this panel shows ${rec.id} in Dev`));
    assert.match(panel.refused[1]!, /a0B000000000000AAA in Dev/);
    const record = await sf.getDeployment(handle, rec.id);
    assert.equal(record.status, 'Draft', 'nothing was submitted by the refused messages');
    assert.equal(before.header.status, 'Draft');
  });

  it('restored before the pipeline file is read (a window reload): waits for it, saying so, then loads; a pipeline without its environment fails, and loads once the file names it again', async () => {
    // A model of its own (not read yet) over a pipeline file of its own stands for the restarted extension.
    const file = '.changeline/deppanel-restore.json';
    const fileUri = vscode.Uri.joinPath(workspaceFolder(), file);
    const full = await readText(pipelineUri());
    await writeText(fileUri, full);
    const log = api.log;
    const model = new EnvironmentsModel({ folder: workspaceFolder, pipelineFile: () => file, concurrency: () => 2, salesforce: () => api.salesforce(), log });
    const sessions = new OrgSessions(model, () => api.salesforce());
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const ctx = { model, log, sessions, salesforce: () => api.salesforce(), prompts: api.prompts, compare: api.compare, extension: { extensionUri, subscriptions: [] } } as unknown as Ctx;
    const panels = new DeploymentPanels(ctx, { serializer: false });
    const restore = (id: string) => panels.revive(vscode.window.createWebviewPanel(PANEL_TYPES.deployment, 'restored', vscode.ViewColumn.Active, { enableScripts: true }), { environment: ENV, id })!;
    try {
      const rec = await draftRecord('Panel reload');
      const panel = restore(rec.id);
      await waitFor('the panel to say it waits for the pipeline file', () => panel.waitingFor());
      assert.equal(panel.waitingFor(), 'Waiting for the pipeline file to be read before loading the deployment…');
      assert.equal(panel.loadFailure(), undefined, 'waiting is not failing');
      await model.reload();
      await waitFor('the restored panel to load once the pipeline file is read', () => panel.lastState()?.header.number === rec.number);
      assert.equal(panel.waitingFor(), undefined);
      panel.dispose();

      await writeText(fileUri, JSON.stringify({ version: 1, environments: [{ name: 'UAT', org: 'uat', role: 'staging' }] }));
      await model.reload();
      const lost = restore(rec.id);
      const failure = await waitFor('the load to fail', () => lost.loadFailure());
      assert.equal(failure, 'Loading the deployment failed: There is no environment named "Dev" in the pipeline.');
      assert.equal(lost.lastState(), undefined);
      await writeText(fileUri, full);
      await model.reload();
      await waitFor('the record to load once the pipeline names Dev again', () => lost.lastState()?.header.number === rec.number);
      assert.equal(lost.loadFailure(), undefined);
    } finally {
      panels.dispose();
      sessions.dispose();
      model.dispose();
      await vscode.workspace.fs.delete(fileUri).then(undefined, () => undefined);
    }
  });
});
