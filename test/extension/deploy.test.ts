/**
 * Deploy Source to Environment… and Validate Source in Environment… in the real extension host
 * against the emulated orgs: a class reaches Dev; a staging target is refused with the pipeline's
 * reason; a compile error and a failing test land in the Problems panel on the right file and
 * line; a deploy recorded as running is followed again by its id (as after a reload), through an
 * unreachable org and an expired session.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeploySummary } from '../../src/commands/deploy/follow';
import type { ChangelineApi } from '../../src/extension';
import type { Prompts } from '../../src/prompts';
import { testEmulator, testWorkspace } from './index';
import { changeline } from './support';

const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;

/** What the user was asked and told; quick picks answered from a script. */
class Script {
  said: string[] = [];
  errors: string[] = [];
  warnings: Array<{ message: string; actions: string[] }> = [];
  offered: Array<{ title: string; labels: string[]; descriptions: Array<string | undefined> }> = [];
  picks: string[] = [];
  inputs: string[] = [];
  private saved?: Prompts;

  install(api: ChangelineApi): void {
    const p = api.prompts;
    this.saved = { ...p };
    p.info = async (m) => void this.said.push(m);
    p.error = async (m) => void this.errors.push(m);
    p.warn = async (message, ...actions) => void this.warnings.push({ message, actions });
    p.input = async () => this.inputs.shift();
    p.pick = async (items, o) => {
      this.offered.push({ title: o.title ?? '', labels: items.map((i) => i.label), descriptions: items.map((i) => i.description) });
      const want = this.picks.shift();
      return items.find((i) => i.label === want);
    };
  }

  restore(api: ChangelineApi): void {
    if (this.saved) Object.assign(api.prompts, this.saved);
  }

  clear(): void {
    this.said = [];
    this.errors = [];
    this.warnings = [];
    this.offered = [];
    this.picks = [];
    this.inputs = [];
  }
}

const CLASSES = () => path.join(testWorkspace(), 'force-app', 'main', 'default', 'classes');

/** Writes an Apex class (and its meta file) into the workspace; returns the .cls path. */
function writeClass(name: string, body: string): string {
  const file = path.join(CLASSES(), `${name}.cls`);
  fs.writeFileSync(file, body);
  fs.writeFileSync(`${file}-meta.xml`, META);
  return file;
}

function deploy(...args: unknown[]): Thenable<DeploySummary | undefined> {
  return vscode.commands.executeCommand<DeploySummary | undefined>('changeline.deploySource', ...args);
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

function orgClass(alias: string, name: string): string | undefined {
  const c = testEmulator().org(alias).store.getComponent('ApexClass', name);
  const file = c && Object.keys(c.files).find((p) => p.endsWith('.cls'));
  return file ? decode(c.files[file]) : undefined;
}

function deployDiagnostics(file: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'Changeline deploy');
}

describe('Deploy local source (extension host, emulated orgs)', function () {
  this.timeout(120_000);
  const script = new Script();
  const written: string[] = [];
  let api: ChangelineApi;

  before(async () => {
    api = await changeline();
    await api.model.loadAuthorizations();
    await api.model.whenPipelineRead();
    script.install(api);
  });
  afterEach(() => {
    script.clear();
    testEmulator().org('dev').faults.clear();
  });
  after(async () => {
    script.restore(api);
    await testEmulator().org('dev').setDown(false);
    for (const f of written) for (const x of [f, `${f}-meta.xml`]) fs.rmSync(x, { force: true });
    await api.deploy.running.clear();
  });

  it('deploys a class to the development environment (the only one offered) and says so', async () => {
    const body = 'public with sharing class DeployUiHello {\n    public static String hello() {\n        return \'Hello from the editor\';\n    }\n}\n';
    const file = writeClass('DeployUiHello', body);
    written.push(file);
    script.picks = ['Dev'];
    const summary = await deploy(vscode.Uri.file(file), [vscode.Uri.file(file)]);
    assert.deepEqual(script.offered.map((o) => o.labels), [['Dev']], 'only development environments are offered');
    assert.match(script.offered[0].title, /^Deploy force-app\/main\/default\/classes\/DeployUiHello\.cls to…$/);
    assert.ok(summary, JSON.stringify(script.errors));
    assert.equal(summary.kind, 'succeeded', summary.message);
    assert.deepEqual(script.said, ['Deployed 1 component to Dev · no tests run.']);
    assert.equal(orgClass('dev', 'DeployUiHello'), body, 'the class is in Dev as written');
    assert.equal(api.deploy.running.get(), undefined, 'nothing is left recorded as running');
  });

  it('refuses a staging environment with the pipeline\u2019s reason, and sends nothing', async () => {
    const file = path.join(CLASSES(), 'DeployUiHello.cls');
    const requestsBefore = testEmulator().org('uat').store.getComponent('ApexClass', 'DeployUiHello');
    const summary = await deploy({ paths: [file], environment: 'UAT' });
    assert.equal(summary, undefined);
    assert.equal(script.errors.length, 1, JSON.stringify(script.errors));
    assert.match(
      script.errors[0],
      /^Deploy Source to Environment: UAT is a staging environment: changes reach it through the pipeline, not from local files\. Deploy local source to Dev, then promote it\.$/,
    );
    assert.equal(testEmulator().org('uat').store.getComponent('ApexClass', 'DeployUiHello'), requestsBefore, 'UAT is unchanged');
    assert.equal(orgClass('uat', 'DeployUiHello'), undefined);
  });

  it('puts a compile error in the Problems panel on the class\u2019s file and line, and clears it on the next deploy of the file', async () => {
    const file = writeClass('DeployUiBroken', 'public class DeployUiBroken {\n    public static Integer one() {\n        return (1));\n    }\n}\n');
    written.push(file);
    script.picks = ['Dev'];
    const summary = await deploy(vscode.Uri.file(file));
    assert.ok(summary);
    assert.equal(summary.kind, 'failed');
    assert.equal(script.errors.length, 1);
    assert.match(script.errors[0], /^Deploy to Dev failed: 1 of 1 component with errors · no tests run\. Nothing was deployed \(Dev is as it was\)\.$/);
    const diags = deployDiagnostics(file);
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.equal(diags[0].range.start.line, 2, 'line 3 of the file');
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(diags[0].message, /Unexpected token '\)'/);
    assert.equal(diags[0].code, 'ApexClass DeployUiBroken');
    assert.equal(orgClass('dev', 'DeployUiBroken'), undefined, 'a failed deploy changes nothing');

    // Fixed and deployed again: its entry goes.
    fs.writeFileSync(file, 'public class DeployUiBroken {\n    public static Integer one() {\n        return 1;\n    }\n}\n');
    script.clear();
    script.picks = ['Dev'];
    const again = await deploy(vscode.Uri.file(file));
    assert.equal(again?.kind, 'succeeded', again?.message);
    assert.deepEqual(deployDiagnostics(file), []);
  });

  it('validates with a test level picked (the environment\u2019s default first) and puts the failing test in the Problems panel', async () => {
    const file = writeClass(
      'DeployUiFailingTest',
      '@isTest\nprivate class DeployUiFailingTest {\n    @isTest\n    static void alwaysFails() {\n        Assert.fail(\'broken on purpose\');\n    }\n}\n',
    );
    written.push(file);
    script.picks = ['Dev', 'RunSpecifiedTests'];
    script.inputs = ['DeployUiFailingTest'];
    const summary = await vscode.commands.executeCommand<DeploySummary | undefined>('changeline.validateSource', vscode.Uri.file(file));
    assert.ok(summary, JSON.stringify(script.errors));
    const levels = script.offered[1];
    assert.equal(levels.labels[0], 'NoTestRun', 'Dev\u2019s default test level comes first');
    assert.equal(levels.descriptions[0], "(Dev's default)");
    assert.deepEqual([...levels.labels].sort(), ['NoTestRun', 'RunAllTestsInOrg', 'RunLocalTests', 'RunSpecifiedTests']);
    assert.equal(summary.kind, 'failed');
    assert.equal(summary.result.checkOnly, true);
    assert.match(script.errors[0], /^Validation in Dev failed: 1 component without errors · 1 of 1 test failed\./);
    const diags = deployDiagnostics(file);
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.match(diags[0].message, /^DeployUiFailingTest\.alwaysFails failed: .*broken on purpose/);
    assert.equal(diags[0].range.start.line, 4, 'at the Assert.fail line the stack names');
    assert.equal(orgClass('dev', 'DeployUiFailingTest'), undefined, 'a validation deploys nothing');
  });

  it('follows a deploy recorded as running by its id (as after a reload), through an unreachable org and an expired session', async () => {
    const body = 'public class DeployUiResumed {\n    public static Integer two() {\n        return 2;\n    }\n}\n';
    const file = writeClass('DeployUiResumed', body);
    written.push(file);
    const dev = testEmulator().org('dev');
    dev.faults.holdDeploysAt = ['InProgress'];
    const sf = await api.salesforce();
    const { handle } = await api.sessions.get('Dev');
    const deployId = await sf.startDeploy(handle, { sourcePaths: [file], checkOnly: false });
    assert.match((await sf.deployStatus(handle, deployId)).status, /^(Pending|InProgress)$/, 'the deploy is running in the org');
    await api.deploy.running.save({ deployId, targetEnv: 'Dev', sourcePaths: [file], checkOnly: false, startedAt: new Date().toISOString() });

    // The org cannot be reached: said so, the id kept, Retry offered.
    await dev.setDown(true);
    assert.equal(await api.deploy.resumeRecorded(), undefined);
    await dev.setDown(false);
    assert.equal(api.deploy.running.get()?.deployId, deployId, 'the id is kept');
    assert.equal(script.errors.length, 1);
    assert.match(script.errors[0], new RegExp(`^Dev cannot be reached .*deploy ${deployId} may still run in the org`));

    // The session expired while following: "Log In Again" is offered; dismissed, the id stays.
    dev.faults.sessionExpired = true;
    assert.equal(await api.deploy.resumeRecorded(), undefined);
    dev.faults.sessionExpired = false;
    assert.deepEqual(script.warnings[0], {
      message: 'The session to Dev expired while following the deploy. The deploy goes on in the org; log in again to keep following it.',
      actions: ['Log In Again'],
    });
    assert.equal(api.deploy.running.get()?.deployId, deployId);

    // Then followed to its end: the class is in Dev, the record cleared.
    dev.faults.holdDeploysAt = [];
    const summary = await api.deploy.resumeRecorded();
    assert.ok(summary, JSON.stringify(script.errors));
    assert.equal(summary.result.id, deployId);
    assert.equal(summary.kind, 'succeeded', summary.message);
    assert.equal(script.said.at(-1), 'Deployed 1 component to Dev · no tests run.');
    assert.equal(orgClass('dev', 'DeployUiResumed'), body);
    assert.equal(api.deploy.running.get(), undefined);
  });
});
