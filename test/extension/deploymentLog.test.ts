/**
 * The deployment log and the deployments behind in the real extension host, against the emulated
 * orgs: a class deployed straight to UAT (out of band) shows in UAT's Deployment Log panel (opened
 * from the tree's row) and makes the Dev row say "N behind UAT"; the panel filters on the host and
 * refuses malformed messages; View Log on a finished deploy opens the log with that deployment
 * selected; once Dev has the class, Refresh Deployments Behind takes the deployment off the count.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeploySummary } from '../../src/commands/deploy/follow';
import type { ChangelineApi } from '../../src/extension';
import { PANEL_TYPES } from '../../src/shared/ids';
import type { Prompts } from '../../src/prompts';
import type { TreeNode } from '../../src/views/nodes';
import type { DeploymentLogPanel } from '../../src/webviews/deploymentLog/panel';
import { testOrg, testWorkspace } from './index';
import { changeline, label, treeItems, waitFor, WEBVIEW_BOOT_MS } from './support';

const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;
const CLASS = 'LogOutOfBand';
const body = `public with sharing class ${CLASS} {\n    public static Integer one() {\n        return 1;\n    }\n}\n`;

describe('Deployment log and deployments behind (extension host, emulated orgs)', function () {
  this.timeout(180_000);
  let api: ChangelineApi;
  let saved: Prompts | undefined;
  let dir: string;
  let outOfBandId: string;
  const infos: Array<{ message: string; actions: string[] }> = [];

  /** Deploys the class to an org straight through the Salesforce layer (as the sf CLI would). */
  async function deployOutOfBand(env: string, destructive = false): Promise<string> {
    const sf = await api.salesforce();
    const { handle } = await api.sessions.get(env);
    const r = destructive
      ? await sf.deploy(handle, { destructive: { post: [{ type: 'ApexClass', fullName: CLASS }] }, pollMs: 50 })
      : await sf.deploy(handle, { sourcePaths: [dir], pollMs: 50 });
    assert.ok(r.success, JSON.stringify(r.failures));
    return r.id;
  }

  const row = (name: string) => treeItems(api).find((i) => label(i) === name);

  before(async () => {
    api = await changeline();
    await api.model.loadAuthorizations();
    await api.model.whenPipelineRead();
    saved = { ...api.prompts };
    api.prompts.info = async (message, ...actions) => {
      infos.push({ message, actions });
      return actions.includes('View Log') ? 'View Log' : undefined;
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-log-'));
    fs.mkdirSync(path.join(dir, 'classes'));
    fs.writeFileSync(path.join(dir, 'classes', `${CLASS}.cls`), body);
    fs.writeFileSync(path.join(dir, 'classes', `${CLASS}.cls-meta.xml`), META);
    outOfBandId = await deployOutOfBand('UAT');
  });
  after(async () => {
    if (saved) Object.assign(api.prompts, saved);
    for (const p of ['Dev', 'UAT']) api.deploymentLogPanels.get(p)?.dispose();
    // Leave Dev level with UAT for the suites after this one: the class goes from both.
    for (const env of ['UAT', 'Dev']) await deployOutOfBand(env, true).catch(() => undefined);
    api.behind.invalidate();
    fs.rmSync(dir, { recursive: true, force: true });
    const file = path.join(testWorkspace(), 'force-app', 'main', 'default', 'classes', `${CLASS}.cls`);
    for (const f of [file, `${file}-meta.xml`]) fs.rmSync(f, { force: true });
  });

  it("shows UAT's out-of-band deploy in the Deployment Log opened from the tree's row", async () => {
    treeItems(api);
    const uatNode = api.provider.nodeFor('UAT')!;
    const rows = (api.provider.getChildren(uatNode) as TreeNode[]).map((n) => api.provider.getTreeItem(n) as vscode.TreeItem);
    const logRow = rows.find((r) => label(r) === 'Deployment Log');
    assert.ok(logRow, `UAT shows a Deployment Log row (${rows.map(label).join(', ')})`);
    assert.equal(logRow.command?.command, 'changeline.openDeploymentLog');
    const panel = (await vscode.commands.executeCommand<DeploymentLogPanel>(logRow.command.command, ...(logRow.command.arguments ?? [])))!;
    assert.ok(panel, 'the command opens the panel');
    await waitFor('the log webview to say ready', () => panel.fromWebview.includes('ready'), WEBVIEW_BOOT_MS);
    const state = await waitFor('the log to be read', () => panel.lastState());
    const mine = state.rows.find((r) => r.id.slice(0, 15) === outOfBandId.slice(0, 15));
    assert.ok(mine, `the deploy ${outOfBandId} is listed`);
    assert.equal(mine.source, 'out-of-band');
    assert.equal(mine.status, 'Succeeded');
    assert.equal(mine.checkOnly, false);
    assert.equal(mine.components, '1 component');
    assert.ok(mine.who.length > 0, 'who deployed it is named');
    const times = state.rows.map((r) => Date.parse(r.when)).filter((t) => !Number.isNaN(t));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  });

  it('filters on the host, and refuses malformed messages and deployments it does not show', async () => {
    const panel = api.deploymentLogPanels.get('UAT')!;
    await panel.handleMessage({ type: 'filter', filter: { status: ['failed'], source: '', kind: '', text: '' } });
    assert.ok(panel.lastState()!.rows.every((r) => r.group === 'failed'));
    assert.ok(!panel.lastState()!.rows.some((r) => r.id === outOfBandId), 'the succeeded deploy is filtered out');
    await panel.handleMessage({ type: 'filter', filter: { status: [], source: 'out-of-band', kind: 'deploys', text: CLASS.slice(0, 0) } });
    assert.ok(panel.lastState()!.rows.some((r) => r.id.slice(0, 15) === outOfBandId.slice(0, 15)));
    const before = panel.refused.length;
    await panel.handleMessage({ type: 'details', id: '0Af000000000000AAA' });
    await panel.handleMessage({ type: 'filter', filter: { status: ['exploded'], source: '', kind: '', text: '' } });
    await panel.handleMessage({ type: 'run', command: 'workbench.action.terminal.new' });
    assert.equal(panel.refused.length, before + 3, JSON.stringify(panel.refused));
    assert.match(panel.refused.at(-1)!, /unknown message type/);
  });

  it('is restored per environment after a reload from the state its webview saved; a state that names no environment is not', async () => {
    api.deploymentLogPanels.get('UAT')?.dispose();
    assert.equal(api.deploymentLogPanels.get('UAT'), undefined);
    const raw = vscode.window.createWebviewPanel(PANEL_TYPES.deploymentLog, 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    const panel = api.deploymentLogPanels.revive(raw, { environment: 'UAT', id: 'log' });
    assert.ok(panel, 'the saved state names UAT');
    assert.equal(api.deploymentLogPanels.get('UAT'), panel, 'the restored panel is the one the commands reveal');
    assert.equal(raw.title, 'Deployment Log (UAT)');
    const state = await waitFor('the restored log to be read', () => panel.lastState());
    assert.equal(state.environment, 'UAT');
    assert.ok(state.rows.some((r) => r.id.slice(0, 15) === outOfBandId.slice(0, 15)), "UAT's out-of-band deploy is listed again");
    const again = vscode.window.createWebviewPanel(PANEL_TYPES.deploymentLog, 'twice', vscode.ViewColumn.Active, { enableScripts: true });
    assert.equal(api.deploymentLogPanels.revive(again, { environment: 'UAT' }), panel, 'a second restore of the same environment reveals the first');
    const junk = vscode.window.createWebviewPanel(PANEL_TYPES.deploymentLog, 'junk', vscode.ViewColumn.Active, {});
    assert.equal(api.deploymentLogPanels.revive(junk, { environment: 'UAT', id: 'queue' }), undefined);
    const empty = vscode.window.createWebviewPanel(PANEL_TYPES.deploymentLog, 'empty', vscode.ViewColumn.Active, {});
    assert.equal(api.deploymentLogPanels.revive(empty, undefined), undefined, 'a panel closed before it loaded is not restored');
  });

  it('says "N behind UAT" on the Dev row once both are connected, counting the out-of-band deploy', async () => {
    await vscode.commands.executeCommand('changeline.refresh');
    treeItems(api);
    await waitFor('Dev and UAT connected', () => ['Dev', 'UAT'].every((e) => api.model.connection(e)?.state === 'connected'), 45_000);
    const dev = await waitFor('the Dev row to say how far behind UAT it is', () => {
      const item = row('Dev');
      return item && /· \d+ behind UAT$/.test(String(item.description)) ? item : undefined;
    }, 60_000);
    const s = api.behind.state('Dev', 'UAT');
    assert.equal(s?.kind, 'ready');
    if (s?.kind !== 'ready') return;
    assert.equal(dev.description, `${testOrg('dev').username} · connected · ${s.report.count} behind UAT`);
    assert.equal(dev.contextValue, 'environment.connected.behind', 'behind: Back Deploy… shows inline on the row and next to Send');
    const entry = s.report.deployments.find((e) => e.deployment.id.slice(0, 15) === outOfBandId.slice(0, 15));
    assert.ok(entry, 'the out-of-band deploy is behind');
    assert.deepEqual(entry.differing, [{ type: 'ApexClass', fullName: CLASS }]);
    // appendText escapes spaces as &nbsp; in the markdown source.
    assert.match((dev.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' '), /Dev is \d+ deployments? behind UAT/);
  });

  it('View Log on a finished deploy opens the log with that deployment selected; with the class in Dev, Refresh Deployments Behind drops it', async () => {
    const before = api.behind.state('Dev', 'UAT');
    assert.equal(before?.kind, 'ready');
    const count = before?.kind === 'ready' ? before.report.count : NaN;
    const file = path.join(testWorkspace(), 'force-app', 'main', 'default', 'classes', `${CLASS}.cls`);
    fs.writeFileSync(file, body);
    fs.writeFileSync(`${file}-meta.xml`, META);
    const summary = await vscode.commands.executeCommand<DeploySummary | undefined>('changeline.deploySource', { paths: [file], environment: 'Dev' });
    assert.equal(summary?.kind, 'succeeded', JSON.stringify(summary));
    assert.ok(infos.some((i) => i.actions.includes('View Log')), 'the completion message offers View Log');
    const panel = await waitFor('the Dev log to open', () => api.deploymentLogPanels.get('Dev'));
    const state = await waitFor('the deploy to be selected', () => {
      const st = panel.lastState();
      return st?.selected && st.selected.slice(0, 15) === summary!.result.id.slice(0, 15) ? st : undefined;
    }, 30_000);
    assert.equal(state.environment, 'Dev');

    await vscode.commands.executeCommand('changeline.refreshBehind', { environment: 'Dev' });
    treeItems(api);
    const after = await waitFor('the count behind UAT to be computed again', () => {
      const s = api.behind.state('Dev', 'UAT');
      if (!s) row('Dev'); // the row asks for it
      return s?.kind === 'ready' ? s : undefined;
    }, 60_000);
    if (after.kind !== 'ready') return;
    assert.equal(after.report.count, count - 1, 'the out-of-band deploy is no longer behind');
    assert.ok(!after.report.deployments.some((e) => e.deployment.id.slice(0, 15) === outOfBandId.slice(0, 15)));
  });
});
