/**
 * A deployment record's deploy in the editor, past its start: a deploy held in the (emulated) org
 * while the window "reloads" (the activation's resume entry point run again) is picked up by its
 * id and ends Deployed on the record, the CR Deployed in UAT and Ready in Dev; Complete (from the
 * UAT copy) first offers the compare (its CR panel names the record, and Open Deployment opens it), then closes the record and both CRs; a validation failing on
 * a compile error puts its problem in the Problems panel on the package's read-only document, at
 * the line and column; Add to Package adds a missing class from the quick pick.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { changeStatus, createRequest } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { ChangelineApi } from '../../src/extension';
import type { SalesforceApi } from '../../src/salesforce-loader';
import { approveDeployment } from '../../src/workflows/deploy/records';
import type { ReleaseResult } from '../../src/workflows/deploy/release';
import { OrgSessions } from '../../src/workflows/sessions';
import { ensureTracking, run, ScriptedPrompts, stamp } from './changeRequestsSupport';
import { testEmulator } from './index';
import { changeline, waitFor } from './support';

const REVIEWER_ALIAS = 'depafter-reviewer';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const cls = (name: string, body = "    public static String greet(String who) {\n        return 'Hello, ' + who;\n    }\n") => `public with sharing class ${name} {\n${body}}\n`;

describe('Deployment records after the deploy starts: resume, Complete, Problems, Add to Package', function () {
  this.timeout(180_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  const prompts = new ScriptedPrompts();
  let reviewerUsername: string | undefined;
  let project: string;

  const rae = () => ({
    sessions: new OrgSessions({ environment: (n) => (n === 'Dev' ? { name: 'Dev', org: REVIEWER_ALIAS, role: 'development' as const } : api.model.environment(n)) }, () => api.salesforce()),
    salesforce: () => api.salesforce(),
    log: SILENT_LOG,
  });

  /** An approved CR of the classes in Dev, its record toward UAT approved and its package retrieved. */
  async function readyRecord(name: string, classes: string[]): Promise<{ crId: string; id: string; number: string }> {
    const dev = await api.sessions.get('Dev');
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    const made = await createRequest({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, { name: stamp(name), customizations: classes.map((fullName) => ({ type: 'ApexClass', fullName })) });
    assert.ok(made.ok);
    const submitted = await changeStatus({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, made.cr, 'Pending approval');
    assert.ok(submitted.ok);
    const approved = await changeStatus({ store: sf.trackingStore(await sf.connect(REVIEWER_ALIAS)), actor: { userId: reviewer.id } }, submitted.cr, 'Approved', 'ok');
    assert.ok(approved.ok);
    const created = await run<{ ok: true; record: { id: string; number: string } }>('createDeployment', { environment: 'Dev', id: made.cr.id, to: 'UAT' });
    assert.ok(created?.ok, prompts.said.join('\n'));
    const target = { environment: 'Dev', id: created.record.id };
    assert.ok((await run<{ ok: boolean }>('submitDeployment', target))?.ok);
    assert.ok((await approveDeployment(rae(), 'Dev', created.record.id, 'ok')).ok);
    assert.ok((await run<{ ok: boolean }>('retrievePackage', target))?.ok, prompts.said.join('\n'));
    return { crId: made.cr.id!, id: created.record.id, number: created.record.number };
  }

  before(async () => {
    api = await changeline();
    sf = await api.salesforce();
    prompts.install(api);
    await ensureTracking(api, 'Dev');
    await ensureTracking(api, 'UAT');
    const dev = await api.sessions.get('Dev');
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    await sf.grantTrackingAccess(dev.handle, [reviewer.id]);
    const conn = await sf.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: testEmulator().org('dev').instanceUrl, alias: REVIEWER_ALIAS });
    reviewerUsername = conn.username;
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'depafter-'));
    const classes = path.join(project, 'force-app', 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    for (const n of ['AftHeld', 'AftHelper']) {
      fs.writeFileSync(path.join(classes, `${n}.cls`), cls(n));
      fs.writeFileSync(path.join(classes, `${n}.cls-meta.xml`), META);
    }
    fs.writeFileSync(path.join(classes, 'AftUser.cls'), cls('AftUser', "    public static String run() {\n        return AftHelper.greet('Ada');\n    }\n"));
    fs.writeFileSync(path.join(classes, 'AftUser.cls-meta.xml'), META);
    const deployed = await sf.deploy(dev.handle, { sourcePaths: [path.join(project, 'force-app')], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
    // A class that does not compile, put into Dev's store directly (as another tool could leave it).
    const b64 = (t: string) => Buffer.from(t, 'utf8').toString('base64');
    const admin = testEmulator().org('dev').info().users.find((u) => u.isAdmin)!;
    testEmulator()
      .org('dev')
      .store.commitMetadata([{ type: 'ApexClass', fullName: 'AftBroken', files: { 'classes/AftBroken.cls': b64('public class AftBroken {\n    public void go() {\n        Integer x = 1 + 2);\n    }\n}\n'), 'classes/AftBroken.cls-meta.xml': b64(META) } }], [], admin.id);
  });
  after(async () => {
    testEmulator().org('uat').faults.clear();
    prompts.restore(api);
    if (reviewerUsername) await sf.removeAuthorization(reviewerUsername).catch(() => undefined);
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });
  beforeEach(() => prompts.clear());
  afterEach(() => testEmulator().org('uat').faults.clear());

  it('a record deploy still running at a reload is picked up by its id and ends Deployed; Complete offers the compare, then closes the record and both CRs', async () => {
    const rec = await readyRecord('Held deploy', ['AftHeld']);
    const uat = testEmulator().org('uat');
    uat.faults.holdDeploysAt = ['InProgress'];
    const first = run<ReleaseResult>('deployDeployment', { environment: 'Dev', id: rec.id });
    const remembered = await waitFor('the running deploy to be remembered', () => api.deploy.records.all().find((r) => r.recordId === rec.id));
    assert.equal(remembered.kind, 'deploy');
    const devHandle = (await api.sessions.get('Dev')).handle;
    // The record is written as soon as the org gave the id (alongside the editor's memory of it).
    const deploying = await waitFor('the record to say Deploying', async () => {
      const d = await sf.getDeployment(devHandle, rec.id);
      return d.status === 'Deploying' && d;
    });
    assert.equal(deploying.deploy?.id, remembered.runId, 'the record keeps the deploy id');

    // The reload: activation's entry point runs again and follows the remembered run.
    const resumed = api.deploy.resumeRecordRuns();
    uat.faults.holdDeploysAt = [];
    const [results] = await Promise.all([resumed, first]);
    const mine = results.find((r) => r?.outcome.result.id === remembered.runId);
    assert.ok(mine, 'the resumed run followed the same deploy id');
    assert.equal(mine.record.status, 'Deployed');
    assert.equal((await sf.getDeployment(devHandle, rec.id)).status, 'Deployed');
    assert.deepEqual(api.deploy.records.all().filter((r) => r.recordId === rec.id), [], 'nothing left to pick up');

    // The CR: Deployed in UAT (linked to the record), Ready in Dev.
    const uatHandle = (await api.sessions.get('UAT')).handle;
    const copy = await sf.findCopy(uatHandle, devHandle.orgId, rec.crId);
    assert.equal(copy?.status, 'Deployed');
    assert.equal(copy?.deployment?.number, rec.number);
    assert.equal((await sf.getChangeRequest(devHandle, rec.crId)).status, 'Ready');

    // The UAT copy's panel names the record that deployed it; Open Deployment opens that record's panel (kept in Dev).
    const crPanel = api.changeRequestPanels.open('UAT', copy!.id!);
    const deployedBy = await waitFor('the CR panel to name the deployment record', () => crPanel.lastState()?.cr.deployedBy);
    assert.match(deployedBy.text, new RegExp(`^Deployed by ${rec.number} \\(kept in Dev\\), deploy 0Af\\w+`));
    assert.equal(deployedBy.openable, true);
    await crPanel.handleMessage({ type: 'openDeployment' });
    const depPanel = await waitFor('the deployment panel of the record to open', () => api.deploymentPanels.get('Dev', rec.id!));
    crPanel.dispose();
    depPanel.dispose();

    // Complete from the UAT copy: first the compare of its components between Dev and UAT.
    prompts.picks = ['Compare First'];
    assert.equal(await run('completeDeployment', { environment: 'UAT', crId: copy!.id }), undefined);
    assert.match(prompts.said.at(-1) ?? '', new RegExp(`run Complete on ${rec.number} again`));
    assert.equal((await sf.getDeployment(devHandle, rec.id)).status, 'Deployed', 'comparing completes nothing');
    prompts.picks = ['Complete'];
    const done = await run<{ record: { status: string }; problems: string[] }>('completeDeployment', { environment: 'UAT', crId: copy!.id });
    assert.equal(done?.record.status, 'Completed', prompts.said.join('\n'));
    assert.deepEqual(done?.problems, []);
    assert.equal((await sf.getChangeRequest(uatHandle, copy!.id!)).status, 'Completed');
    assert.equal((await sf.getChangeRequest(devHandle, rec.crId)).status, 'Completed');
    assert.match(prompts.said.join('\n'), new RegExp(`${rec.number} is Completed, and so is CR-\\d+ in Dev and CR-\\d+ in UAT`));
  });

  it("a validation failing on a compile error shows its problem in the Problems panel on the package's read-only file, at the line and column", async () => {
    const rec = await readyRecord('Broken class', ['AftBroken']);
    const result = await run<ReleaseResult & { problemDocuments?: string[] }>('validateDeployment', { environment: 'Dev', id: rec.id });
    assert.equal(result?.outcome.result.success, false);
    const docs = result?.problemDocuments ?? [];
    const doc = docs.find((d) => d.endsWith('AftBroken.cls'));
    assert.ok(doc, `a Problems entry on the package's AftBroken.cls (${docs.join(', ')})`);
    const uri = vscode.Uri.parse(doc);
    assert.equal(uri.scheme, 'changeline-org');
    assert.match(decodeURIComponent(uri.path), new RegExp(`^/${rec.number} package/`));
    const diagnostics = vscode.languages.getDiagnostics(uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics[0].range.start.line, 2, 'line 3 of the file');
    assert.match(diagnostics[0].message, /Unexpected token/);
    // The entry opens the package's text, read-only.
    const opened = await vscode.workspace.openTextDocument(uri);
    assert.match(opened.lineAt(2).text, /Integer x = 1 \+ 2\);/);
    assert.equal(diagnostics[0].range.start.character, opened.lineAt(2).text.indexOf(')'), 'at the column of the stray parenthesis');
  });

  it('Add to Package: after Check Dependencies, the missing class picked is added and retrieved into the package; the record goes back for approval', async () => {
    const rec = await readyRecord('Uses a helper', ['AftUser']);
    const checked = await run<{ missing: Array<{ ref: { fullName: string } }> }>('checkDependencies', { environment: 'Dev', id: rec.id });
    assert.deepEqual(checked?.missing.map((m) => m.ref.fullName), ['AftHelper']);
    prompts.picks = ['ApexClass AftHelper'];
    const added = await run<{ ok: boolean; retrieved: boolean; record: { status: string; components: Array<{ fullName: string }> } }>('addToPackage', { environment: 'Dev', id: rec.id });
    assert.ok(added?.ok, prompts.said.join('\n'));
    assert.equal(added.retrieved, true);
    assert.deepEqual(added.record.components.map((c) => c.fullName), ['AftUser', 'AftHelper']);
    assert.equal(added.record.status, 'Pending approval');
    assert.match(prompts.said.at(-1) ?? '', /^Added ApexClass AftHelper to DEP-\d+, retrieved from Dev into its package\. It is Pending approval/);
  });
});
