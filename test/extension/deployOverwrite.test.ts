/**
 * The overwrite check in the editor: a record's package retrieved from Dev, then someone changes
 * one of its classes in UAT. Validate asks before anything is sent, naming the change; Show Diff
 * opens the native diff editor on that class (UAT's current version against the package's) and
 * asks again; cancelling sends nothing; Overwrite goes on and the validation runs.
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
import { OrgSessions } from '../../src/workflows/sessions';
import { ensureTracking, run, ScriptedPrompts, stamp } from './changeRequestsSupport';
import { testEmulator } from './index';
import { changeline, waitFor } from './support';

const REVIEWER_ALIAS = 'depover-reviewer';
const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';
const classText = (greeting: string) => `public with sharing class OwGreeter {\n    public static String greet(String who) {\n        return '${greeting}, ' + who;\n    }\n}\n`;

describe('Deployment overwrite check: Show Diff', function () {
  this.timeout(120_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  const prompts = new ScriptedPrompts();
  let reviewerUsername: string | undefined;
  const dirs: string[] = [];

  /** Deploys OwGreeter with `greeting` to an environment's org. */
  async function deployGreeter(env: string, greeting: string): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'depover-'));
    dirs.push(dir);
    const classes = path.join(dir, 'force-app', 'main', 'default', 'classes');
    fs.mkdirSync(classes, { recursive: true });
    fs.writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    fs.writeFileSync(path.join(classes, 'OwGreeter.cls'), classText(greeting));
    fs.writeFileSync(path.join(classes, 'OwGreeter.cls-meta.xml'), META);
    const s = await api.sessions.get(env);
    const deployed = await sf.deploy(s.handle, { sourcePaths: [path.join(dir, 'force-app')], pollMs: 20 });
    assert.ok(deployed.success, JSON.stringify(deployed.failures));
  }

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
    await deployGreeter('Dev', 'Hello');
  });
  after(async () => {
    prompts.restore(api);
    if (reviewerUsername) await sf.removeAuthorization(reviewerUsername).catch(() => undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  beforeEach(() => prompts.clear());

  it('offers the flagged class’s diff (UAT’s change against the package) before asking again; only Overwrite sends the package', async () => {
    const dev = await api.sessions.get('Dev');
    const reviewer = testEmulator().org('dev').info().users.find((u) => !u.isAdmin)!;
    const made = await createRequest({ store: sf.trackingStore(dev.handle), actor: { userId: dev.userId } }, { name: stamp('Overwrite check'), customizations: [{ type: 'ApexClass', fullName: 'OwGreeter' }] });
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
    assert.ok((await approveDeployment(rae, 'Dev', created.record.id, 'Ready')).ok);
    assert.ok((await run<{ ok: boolean }>('retrievePackage', target))?.ok, prompts.said.join('\n'));

    // After the retrieve, someone fixes the class directly in UAT (the emulator dates the change a second on).
    await new Promise((r) => setTimeout(r, 1100));
    await deployGreeter('UAT', 'Hotfix hello');
    const uat = await api.sessions.get('UAT');
    const greeter = (await sf.listComponents(uat.handle, ['ApexClass'])).find((c) => c.fullName === 'OwGreeter');
    assert.ok(greeter, 'the fix is in UAT');

    // Validate: the question names the change; Show Diff, then (asked again) cancel.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    prompts.asks = ['Show Diff'];
    prompts.confirmAnswer = false;
    const refused = await run('validateDeployment', target);
    assert.equal(refused, undefined, 'cancelled: nothing was validated');
    const questions = prompts.said.filter((m) => /changed in UAT after the package was retrieved\. Overwrite it\?/.test(m));
    assert.equal(questions.length, 2, `asked, showed the diff, asked again:\n${prompts.said.join('\n')}`);
    assert.match(prompts.said.at(-1) ?? '', /nothing was sent. ApexClass OwGreeter was changed in UAT by /);

    // The diff editor shows UAT's version (left) against the package's (right).
    await waitFor('the diff editor to open', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab!;
    const input = tab.input as vscode.TabInputTextDiff;
    assert.match(tab.label, new RegExp(`OwGreeter\\.cls \\(UAT ↔ ${created.record.number}\\)`));
    const left = (await vscode.workspace.openTextDocument(input.original)).getText();
    const right = (await vscode.workspace.openTextDocument(input.modified)).getText();
    assert.match(left, /Hotfix hello/, 'left: UAT’s current version');
    assert.match(right, /'Hello, '/, 'right: the package’s version');
    assert.doesNotMatch(right, /Hotfix/);
    const record = await sf.getDeployment(dev.handle, created.record.id);
    assert.ok(record.package, 'the record has its package');
    assert.equal(record.validation, undefined, 'no validation was recorded');

    // Overwrite: the validation runs.
    prompts.asks = ['Overwrite'];
    const validated = await run<{ outcome: { result: { success: boolean; checkOnly: boolean } } }>('validateDeployment', target);
    assert.equal(validated?.outcome.result.success, true, prompts.said.join('\n'));
    assert.equal(validated?.outcome.result.checkOnly, true);
  });
});
