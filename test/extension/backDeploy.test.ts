/**
 * Back Deploy… in the editor (emulated Dev ← UAT): a class deployed to UAT only is listed with
 * the deployment that brought it; picking it opens the native diff (UAT ↔ Dev); Select Components…
 * keeps only it; Deploy brings it to Dev in one deployment recorded in Dev's org. Ignore All is
 * remembered in the workspace storage and hides the tree's count until a new deployment reaches UAT. Back-Promote Pipeline… asks first and does nothing when declined.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangelineApi } from '../../src/extension';
import type { SalesforceApi } from '../../src/salesforce-loader';
import { ensureTracking, run, ScriptedPrompts } from './changeRequestsSupport';
import { changeline, waitFor } from './support';

const META = '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';

describe('Back Deploy… (Dev ← UAT)', function () {
  this.timeout(180_000);
  let api: ChangelineApi;
  let sf: SalesforceApi;
  const prompts = new ScriptedPrompts();
  const folders: string[] = [];
  const suffix = Date.now().toString(36);

  /** Deploys classes (name → body) to an environment's org, as someone outside Changeline would. */
  async function deployTo(env: string, classes: Record<string, string>): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-ext-'));
    folders.push(dir);
    const cls = path.join(dir, 'force-app', 'main', 'default', 'classes');
    fs.mkdirSync(cls, { recursive: true });
    fs.writeFileSync(path.join(dir, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
    for (const [n, body] of Object.entries(classes)) {
      fs.writeFileSync(path.join(cls, `${n}.cls`), body);
      fs.writeFileSync(path.join(cls, `${n}.cls-meta.xml`), META);
    }
    const r = await sf.deploy((await api.sessions.get(env)).handle, { sourcePaths: [path.join(dir, 'force-app')], pollMs: 20 });
    assert.ok(r.success, JSON.stringify(r.failures));
  }
  const inOrg = async (env: string, name: string) => (await sf.listComponents((await api.sessions.get(env)).handle, ['ApexClass'])).some((c) => c.fullName === name);

  before(async () => {
    api = await changeline();
    sf = await api.salesforce();
    prompts.install(api);
    await ensureTracking(api, 'Dev');
  });
  after(async () => {
    prompts.restore(api);
    for (const d of folders) fs.rmSync(d, { recursive: true, force: true });
    // Leave UAT and Dev as the suites after this one expect them (compare, the tree's behind counts):
    // the classes made here go from both, UAT first.
    const made = ['BdNew', 'BdIgn', 'BdNext'].map((p) => `${p}${suffix}`);
    for (const env of ['UAT', 'Dev']) {
      const handle = (await api.sessions.get(env)).handle;
      const there = new Set((await sf.listComponents(handle, ['ApexClass'])).map((c) => c.fullName));
      const post = made.filter((n) => there.has(n)).map((fullName) => ({ type: 'ApexClass', fullName }));
      if (post.length) await sf.deploy(handle, { destructive: { post }, pollMs: 20 });
    }
    api.behind.invalidate();
  });
  beforeEach(() => prompts.clear());

  it('lists what Dev lacks, opens a component’s diff, deploys only the selected one, recorded in Dev', async () => {
    const name = `BdNew${suffix}`;
    await deployTo('UAT', { [name]: `public with sharing class ${name} {\n    public static Integer v() { return 1; }\n}\n` });
    const row = `$(diff-added) ApexClass ${name}`;
    prompts.picks = [row, '$(checklist) Select Components…', `ApexClass ${name}`, '$(cloud-download) Deploy 1 Component to Dev'];
    const outcome = await run<{ kind: string; result?: { record: { number: string; status: string; sourceEnvironment: string; components: Array<{ fullName: string }> }; outcome: { result: { success: boolean } } } }>('backDeploy', { name: 'Dev' });
    assert.equal(outcome?.kind, 'ran', prompts.said.join('\n'));
    assert.equal(prompts.picks.length, 0, 'every scripted answer was asked for');
    assert.ok(prompts.said.some((s) => /^pick: Back Deploy UAT → Dev: /.test(s)), prompts.said.join('\n'));
    // The diff opened: UAT's version against Dev's (which lacks it).
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes(`${name}.cls`));
    assert.ok(tab, `a diff tab of ${name}.cls (tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')})`);
    assert.match(tab.label, /UAT ↔ Dev/);
    const r = outcome.result!;
    assert.equal(r.outcome.result.success, true);
    assert.equal(r.record.status, 'Deployed');
    assert.equal(r.record.sourceEnvironment, 'UAT');
    assert.deepEqual(r.record.components.map((c) => c.fullName), [name], 'only the selected component');
    assert.match(prompts.said.at(-1) ?? '', new RegExp(`^Back-deploy 0Af\\w+ of ${r.record.number} \\(UAT → Dev\\) succeeded`));
    assert.ok(await inOrg('Dev', name), `${name} reached Dev`);
    await waitFor('Dev’s deployment records to show it', () => api.deployments.state('Dev').kind === 'ready');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Ignore All is remembered in the workspace storage for Dev ← UAT', async () => {
    const name = `BdIgn${suffix}`;
    await deployTo('UAT', { [name]: `public with sharing class ${name} {\n}\n` });
    prompts.picks = ['$(eye-closed) Ignore All'];
    const outcome = await run<{ kind: string; file: string }>('backDeploy', { name: 'Dev' });
    assert.equal(outcome?.kind, 'ignored', prompts.said.join('\n'));
    assert.match(prompts.said.at(-1) ?? '', /ignored until a new deployment reaches UAT/);
    const kept = JSON.parse(fs.readFileSync(outcome.file, 'utf8')) as Record<string, { deploymentId?: string }>;
    assert.match(kept['Dev\u2190UAT']?.deploymentId ?? '', /^0Af/);
    assert.equal(await inOrg('Dev', name), false, 'nothing was deployed');
    // The tree's count for Dev ← UAT is not shown while ignored; the tooltip says why.
    const state = await api.behind.compute('Dev', 'UAT');
    assert.equal(state.kind, 'ready', JSON.stringify(state));
    assert.ok(!(api.behind.describe('Dev') ?? '').includes('behind UAT'), api.behind.describe('Dev'));
    assert.ok(api.behind.tooltip('Dev').some((t) => /Ignored until a new deployment reaches it/.test(t)), api.behind.tooltip('Dev').join('\n'));
    // A new deployment to UAT shows it again.
    const next = `BdNext${suffix}`;
    await deployTo('UAT', { [next]: `public with sharing class ${next} {\n}\n` });
    await api.behind.compute('Dev', 'UAT');
    assert.match(api.behind.describe('Dev') ?? '', /\d+ behind UAT/);
  });

  it('Back-Promote Pipeline… asks first; declined, nothing runs', async () => {
    prompts.confirmAnswer = false;
    assert.equal(await run('backPromote'), undefined);
    assert.match(prompts.said.at(-1) ?? '', /Bring every environment below production level, top down\?/);
  });
});
