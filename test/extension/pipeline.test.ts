/**
 * The pipeline view in the real extension host, against the emulated orgs: Show Pipeline opens
 * one panel whose webview loads; it draws Dev → UAT → Production in three columns with their
 * promotion arrows; each box's counts are what the models hold (open CRs, queued entries,
 * "N behind UAT"); UAT's last deployment is the one just deployed to it out of band, and a later
 * deploy replaces it once the deployments behind are invalidated (as a finished deploy does);
 * clicks open the queue panel, Back Deploy… of Dev from UAT, and the deployment log with that
 * deployment selected; malformed
 * clicks are refused; the panel is restored from the state its webview saved.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { OPEN_STATUSES, type CrStatus } from '../../src/core/change-requests';
import type { ChangelineApi } from '../../src/extension';
import { PANEL_TYPES } from '../../src/shared/ids';
import type { PipelineBox, PipelineViewState } from '../../src/shared/pipelineProtocol';
import type { PipelinePanel } from '../../src/webviews/pipeline/panel';
import { ensureTracking, ScriptedPrompts } from './changeRequestsSupport';
import { changeline, waitFor, WEBVIEW_BOOT_MS } from './support';

const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;
const CLASS = `PipelineView${Date.now().toString(36)}`;

const boxOf = (s: PipelineViewState | undefined, env: string): PipelineBox | undefined => s?.stages.flat().find((b) => b.name === env);

describe('Pipeline view (extension host, emulated orgs)', function () {
  this.timeout(180_000);
  let api: ChangelineApi;
  let panel: PipelinePanel;
  let dir: string;
  let deployId: string;
  const prompts = new ScriptedPrompts();

  async function deployToUat(destructive = false): Promise<string> {
    const sf = await api.salesforce();
    const { handle } = await api.sessions.get('UAT');
    const r = destructive
      ? await sf.deploy(handle, { destructive: { post: [{ type: 'ApexClass', fullName: CLASS }] }, pollMs: 50 })
      : await sf.deploy(handle, { sourcePaths: [dir], pollMs: 50 });
    assert.ok(r.success, JSON.stringify(r.failures));
    return r.id;
  }

  before(async () => {
    api = await changeline();
    await api.model.loadAuthorizations();
    await api.model.whenPipelineRead();
    prompts.install(api);
    await ensureTracking(api, 'Dev');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-pipeline-'));
    fs.mkdirSync(path.join(dir, 'classes'));
    fs.writeFileSync(path.join(dir, 'classes', `${CLASS}.cls`), `public with sharing class ${CLASS} {\n}\n`);
    fs.writeFileSync(path.join(dir, 'classes', `${CLASS}.cls-meta.xml`), META);
    deployId = await deployToUat();
  });
  after(async () => {
    prompts.restore(api);
    api.pipelinePanels.get()?.dispose();
    for (const p of ['UAT']) api.deploymentLogPanels.get(p)?.dispose();
    api.queuePanels.get('UAT')?.dispose();
    api.behind.invalidate();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Show Pipeline opens the panel; its webview loads and draws Dev → UAT → Production with their arrows', async () => {
    panel = (await vscode.commands.executeCommand<PipelinePanel>('changeline.showPipeline'))!;
    assert.ok(panel, 'the command opens the panel');
    await waitFor('the webview to load', () => panel.fromWebview.includes('ready'), WEBVIEW_BOOT_MS);
    const s = panel.lastState()!;
    assert.deepEqual(s.stages.map((st) => st.map((b) => b.name)), [['Dev'], ['UAT'], ['Production']]);
    assert.deepEqual(s.arrows.filter((a) => a.kind === 'promotion').map((a) => `${a.from}→${a.to}`), ['Dev→UAT', 'UAT→Production']);
    assert.deepEqual(boxOf(s, 'Dev')?.behind.map((b) => b.upper), ['UAT']);
    assert.equal(panel.panel.title, 'Pipeline');
    assert.equal(await vscode.commands.executeCommand('changeline.showPipeline'), panel, 'opening it again reveals the same panel');
  });

  it("shows each box's counts as the models hold them once read: open CRs, queued entries, deployments behind", async () => {
    const s = await waitFor(
      'the counts to be read',
      () => {
        const st = panel.lastState();
        const dev = boxOf(st, 'Dev');
        return dev && /^\d+ open CRs?$/.test(dev.crs.text) && /^\d+ queued$/.test(dev.queue.text) && /^(\d+ behind UAT|Level with UAT)$/.test(dev.behind[0].text) && dev.connection.text === 'Connected' ? st : undefined;
      },
      90_000,
    );
    const dev = boxOf(s, 'Dev')!;
    const crs = api.changeRequests.state('Dev');
    assert.equal(crs.kind, 'ready');
    const open = crs.kind === 'ready' ? crs.items.filter((c) => OPEN_STATUSES.includes(c.status as CrStatus)).length : -1;
    assert.equal(dev.crs.text, `${open} open CR${open === 1 ? '' : 's'}`);
    assert.equal(dev.queue.text, `${api.queues.waitingCount('Dev')} queued`);
    const behind = api.behind.state('Dev', 'UAT');
    assert.equal(behind?.kind, 'ready');
    if (behind?.kind === 'ready') {
      assert.ok(behind.report.count >= 1, 'the out-of-band deploy to UAT is behind');
      assert.equal(dev.behind[0].text, `${behind.report.count} behind UAT`);
    }
  });

  it("names UAT's last deployment with its status; a later deploy replaces it once the counts are invalidated", async () => {
    const uat = await waitFor('UAT\'s last deployment to be read', () => {
      const b = boxOf(panel.lastState(), 'UAT');
      return b?.last.deployId ? b : undefined;
    }, 60_000);
    assert.equal(uat.last.deployId?.slice(0, 15), deployId.slice(0, 15));
    assert.match(uat.last.text, /^Last: Succeeded · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    assert.equal(uat.last.tone, 'ok');
    const removed = await deployToUat(true);
    api.behind.invalidate('UAT'); // what a finished deploy from the editor does
    await waitFor('the new last deployment', () => boxOf(panel.lastState(), 'UAT')?.last.deployId?.slice(0, 15) === removed.slice(0, 15), 60_000);
  });

  it('clicks open the queue and the deployment log with the last deployment selected; malformed clicks are refused', async () => {
    await panel.handleMessage({ type: 'open', environment: 'UAT', target: 'queue' });
    assert.ok(api.queuePanels.get('UAT'), "UAT's queue panel opened");
    await panel.handleMessage({ type: 'open', environment: 'UAT', target: 'last' });
    const log = await waitFor("UAT's deployment log", () => api.deploymentLogPanels.get('UAT'));
    const last = boxOf(panel.lastState(), 'UAT')!.last.deployId!;
    await waitFor('the log to select the last deployment', () => log.lastState()?.selected === last, 60_000);
    const saidBefore = prompts.said.length;
    await panel.handleMessage({ type: 'open', environment: 'Dev', target: 'behind', upper: 'UAT' });
    const backDeploy = prompts.said.slice(saidBefore).join('\n');
    assert.match(backDeploy, /Back Deploy UAT → Dev|Dev (is level with|has everything) UAT/, 'Back Deploy… of Dev from UAT ran (its list, or that they are level)');
    await panel.handleMessage({ type: 'open', environment: 'Dev', target: 'crs' });
    assert.deepEqual(panel.opened, ['queue UAT', `log UAT ${last}`, 'backDeploy Dev UAT', 'crs Dev']);
    const refusedBefore = panel.refused.length;
    await panel.handleMessage({ type: 'open', environment: 'Staging', target: 'crs' });
    await panel.handleMessage({ type: 'open', environment: 'UAT', target: 'behind', upper: 'Dev' });
    await panel.handleMessage({ type: 'run', command: 'workbench.action.terminal.new' });
    assert.equal(panel.refused.length, refusedBefore + 3, panel.refused.join('; '));
    assert.equal(panel.opened.length, 4, 'nothing opened for them');
  });

  it('is restored from the state its webview saved after a reload', async () => {
    panel.dispose();
    assert.equal(api.pipelinePanels.get(), undefined);
    const webviewPanel = vscode.window.createWebviewPanel(PANEL_TYPES.pipeline, 'Pipeline', vscode.ViewColumn.Active, { enableScripts: true });
    assert.equal(api.pipelinePanels.revive(webviewPanel, { view: 'queue' }), undefined, 'a state that is not the pipeline is not restored');
    const other = vscode.window.createWebviewPanel(PANEL_TYPES.pipeline, 'Pipeline', vscode.ViewColumn.Active, { enableScripts: true });
    const restored = api.pipelinePanels.revive(other, { view: 'pipeline' })!;
    assert.ok(restored);
    await waitFor('the restored webview to load', () => restored.fromWebview.includes('ready'), WEBVIEW_BOOT_MS);
    assert.deepEqual(restored.lastState()?.stages.map((st) => st.map((b) => b.name)), [['Dev'], ['UAT'], ['Production']]);
    assert.equal(api.pipelinePanels.get(), restored);
  });
});
