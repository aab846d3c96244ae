/**
 * Deploy Git Differences… in the real extension host against the emulated orgs: a repository the
 * test builds (edit, delete, rename) is deployed to Dev as a delta, refs listed through the Git
 * extension (vscode.git) when the host has it, the manifests shown as a read-only document before
 * anything is sent, the deleted and renamed-away classes gone from Dev. Then the git-on-PATH listing
 * (what the command uses when the Git extension is absent or disabled) with a validation, and a
 * staging target refused.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeploySummary } from '../../src/commands/deploy/follow';
import type { GitDeltaRun } from '../../src/commands/git-delta/deployGitDelta';
import type { ChangelineApi } from '../../src/extension';
import type { Prompts } from '../../src/prompts';
import { testEmulator, testWorkspace } from './index';
import { changeline } from './support';

const D = 'force-app/main/default/classes';
const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;
const body = (name: string, text: string) => `public with sharing class ${name} {\n    public static String text() {\n        return '${text}';\n    }\n}\n`;

function git(root: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: root, stdio: 'ignore' });
}

/** v1: GitUiKeep, GitUiGone, GitUiOld; feature: GitUiKeep edited, GitUiGone deleted, GitUiOld renamed GitUiNew. */
function buildRepo(root: string): void {
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.join(root, D), { recursive: true });
    fs.writeFileSync(path.join(root, D, `${name}.cls`), body(name, text));
    fs.writeFileSync(path.join(root, D, `${name}.cls-meta.xml`), META);
  };
  fs.writeFileSync(path.join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.email', 'dev@example.com');
  git(root, 'config', 'user.name', 'Dev');
  write('GitUiKeep', 'v1');
  write('GitUiGone', 'v1');
  write('GitUiOld', 'a greeting that is long enough for git to see the rename of this class');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'v1');
  git(root, 'tag', 'v1');
  git(root, 'checkout', '-q', '-b', 'feature');
  write('GitUiKeep', 'feature');
  git(root, 'rm', '-q', `${D}/GitUiGone.cls`, `${D}/GitUiGone.cls-meta.xml`);
  git(root, 'mv', `${D}/GitUiOld.cls`, `${D}/GitUiNew.cls`);
  git(root, 'mv', `${D}/GitUiOld.cls-meta.xml`, `${D}/GitUiNew.cls-meta.xml`);
  fs.writeFileSync(path.join(root, D, 'GitUiNew.cls'), body('GitUiNew', 'a greeting that is long enough for git to see the rename of this class'));
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'feature');
  git(root, 'checkout', '-q', 'v1');
}

const orgClass = (alias: string, name: string) => testEmulator().org(alias).store.getComponent('ApexClass', name);

describe('Deploy Git Differences (extension host, emulated orgs)', function () {
  this.timeout(120_000);
  let api: ChangelineApi;
  let saved: Prompts;
  let root: string;
  const offered: Array<{ title: string; labels: string[] }> = [];
  const said: string[] = [];
  let picks: string[] = [];

  before(async () => {
    api = await changeline();
    await api.model.loadAuthorizations();
    await api.model.whenPipelineRead();
    saved = { ...api.prompts };
    api.prompts.info = async (m) => void said.push(m);
    api.prompts.pick = async (items, o) => {
      offered.push({ title: o.title ?? '', labels: items.map((i) => i.label) });
      const want = picks.shift();
      return items.find((i) => i.label === want || i.label.replace(/^\$\([\w-]+\) /, '') === want);
    };
    // Inside the opened folder: the Git extension opens repositories of the workspace.
    root = fs.realpathSync(fs.mkdtempSync(path.join(testWorkspace(), 'git-delta-')));
    buildRepo(root);
    // Dev starts at v1.
    const base = await vscode.commands.executeCommand<DeploySummary | undefined>('changeline.deploySource', { paths: [path.join(root, 'force-app')], environment: 'Dev' });
    assert.equal(base?.kind, 'succeeded', base?.message);
  });
  beforeEach(() => {
    offered.length = 0;
    said.length = 0;
    picks = [];
  });
  after(async () => {
    Object.assign(api.prompts, saved);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('picks refs, shows the manifests read-only, then deploys: the deleted and renamed-away classes are gone from Dev', async () => {
    const gitExtension = vscode.extensions.getExtension('vscode.git');
    picks = ['v1', 'feature', 'Changes on feature since it left v1', 'Dev', 'Deploy to Dev'];
    const run = await vscode.commands.executeCommand<GitDeltaRun | undefined>('changeline.deployGitDelta', { folder: root });
    assert.ok(run, 'the command ran to its end');
    // Which listing ran: the Git extension when the host has it enabled, else git on PATH (said in the log).
    assert.equal(run.refsVia, gitExtension ? 'git-extension' : 'git-cli', run.refsNote);
    const refLabels = offered[0].labels.map((l) => l.replace(/^\$\([\w-]+\) /, ''));
    for (const r of ['feature', 'main', 'v1']) assert.ok(refLabels.includes(r), `${r} offered: ${refLabels.join(', ')}`);
    assert.ok(!offered[1].labels.some((l) => l.endsWith(' v1')), 'TO does not offer FROM again');
    assert.deepEqual(offered[3].labels, ['Dev'], 'only development environments are offered');
    assert.match(offered[4].title, /v1 \([0-9a-f]{7}\) → feature \([0-9a-f]{7}\), from their merge base/);

    // The manifest was open before the deploy, in a read-only document.
    assert.equal(run.preview.uri.scheme, 'changeline-git-delta');
    const text = run.preview.getText();
    assert.match(text, /=== package\.xml[\s\S]*<members>GitUiKeep<\/members>\s*<members>GitUiNew<\/members>/);
    assert.match(text, /=== destructiveChanges\.xml[\s\S]*<members>GitUiGone<\/members>\s*<members>GitUiOld<\/members>/);
    assert.equal(run.preview.isUntitled, false, 'not an untitled document (no "save changes?" on close)');
    assert.equal(await run.preview.save(), false, 'the manifest document is not saved anywhere');

    assert.equal(run.summary?.kind, 'succeeded', run.summary?.message);
    assert.equal(orgClass('dev', 'GitUiGone'), undefined, 'the deleted class is gone');
    assert.equal(orgClass('dev', 'GitUiOld'), undefined, 'the renamed-away class is gone');
    assert.ok(orgClass('dev', 'GitUiNew'));
    assert.ok(orgClass('dev', 'GitUiKeep'));
  });

  it('lists refs with git on PATH (the Git extension absent or disabled) and validates without changing Dev', async () => {
    git(root, 'tag', 'v2', 'feature');
    picks = ['feature', 'v1', 'Changes from feature to v1', 'Validate in Dev'];
    const run = await vscode.commands.executeCommand<GitDeltaRun | undefined>('changeline.deployGitDelta', { folder: root, refsVia: 'cli', environment: 'Dev' });
    assert.ok(run);
    assert.equal(run.refsVia, 'git-cli');
    assert.ok(offered[0].labels.some((l) => l.endsWith(' v2')), 'the new tag is listed by git');
    assert.deepEqual(
      run.delta.plan.destroy.map((c) => c.fullName),
      ['GitUiNew'],
      'back from feature to v1: GitUiNew would be deleted',
    );
    assert.equal(run.summary?.result.checkOnly, true);
    assert.equal(run.summary?.kind, 'succeeded', run.summary?.message);
    assert.ok(orgClass('dev', 'GitUiNew'), 'a validation deletes nothing');
    assert.equal(orgClass('dev', 'GitUiOld'), undefined, 'nor brings anything back');
  });

  it('a staging environment is refused with the pipeline’s reason, nothing sent', async () => {
    const errors: string[] = [];
    api.prompts.error = async (m) => void errors.push(m);
    try {
      const run = await vscode.commands.executeCommand<GitDeltaRun | undefined>('changeline.deployGitDelta', { folder: root, from: 'v1', to: 'feature', mergeBase: false, environment: 'UAT' });
      assert.equal(run, undefined);
    } finally {
      api.prompts.error = saved.error;
    }
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^Deploy Git Differences: UAT is a staging environment: changes reach it through the pipeline/);
    assert.equal(orgClass('uat', 'GitUiNew'), undefined);
  });
});
