/**
 * A git delta deployed against the emulator: a repository the test builds (adds, edits, deletes,
 * renames), v1 deployed in full, then the delta v1 → feature deployed through the deploy path with
 * its destructive changes (post): the deleted and renamed-away components are gone from the org,
 * the edited ones carry TO's content, the untouched ones are not redeployed.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { Environment } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { runDeploy } from '../../src/workflows/deploy/run';
import { computeGitDelta } from '../../src/workflows/git-delta/delta';
import { deployGitDelta } from '../../src/workflows/git-delta/deploy';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import type { EmulatedOrg } from '../emulator';
import { buildDeltaRepo, type DeltaRepo } from '../fixtures/git-delta-repo';
import { startEmulator, type StartedEmulator } from './helpers/emulator';

const text = (org: EmulatedOrg, type: string, fullName: string, file: RegExp): string | undefined => {
  const c = org.store.getComponent(type, fullName);
  if (!c) return undefined;
  const [, data] = Object.entries(c.files).find(([f]) => file.test(f)) ?? [];
  return data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8');
};

describe('git delta deployed against the emulator', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let dev: EmulatedOrg;
  let tmp: string;
  let repo: DeltaRepo;
  const environments: Environment[] = [{ name: 'Dev', org: 'gd-dev', role: 'development' }];
  const deps = (): WorkflowDeps => ({
    sessions: new OrgSessions({ environment: (name) => environments.find((e) => e.name === name) }, async () => salesforce),
    salesforce: async () => salesforce,
    log: SILENT_LOG,
  });

  before(async () => {
    env = await startEmulator({ orgs: ['dev'], aliasPrefix: 'gd-' });
    dev = env.org('dev');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-git-delta-int-'));
    fs.mkdirSync(path.join(tmp, 'repo'));
    repo = buildDeltaRepo(path.join(tmp, 'repo'));
    // The org starts at v1: a full deploy of a checkout of it.
    const v1 = path.join(tmp, 'v1');
    execFileSync('git', ['worktree', 'add', '-q', '--detach', v1, repo.v1], { cwd: repo.root });
    const { result } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [path.join(v1, 'force-app')] }, { pollMs: 20 });
    assert.equal(result.success, true, JSON.stringify(result.failures));
  });
  after(async () => {
    await env?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('v1 is in the org before the delta', () => {
    for (const [type, name] of [
      ['ApexClass', 'LegacyUtil'],
      ['ApexClass', 'OldName'],
      ['CustomField', 'Property__c.Notes__c'],
      ['StaticResource', 'brand'],
      ['LightningComponentBundle', 'badge'],
    ]) {
      assert.ok(dev.store.getComponent(type, name), `${type} ${name}`);
    }
  });

  it('a validation of the delta changes nothing; the deploy applies it with the deletions after', async () => {
    const delta = await computeGitDelta(deps(), { repo: repo.root, from: repo.v1, to: repo.feature });
    const validation = await deployGitDelta(deps(), { delta, targetEnv: 'Dev', checkOnly: true }, { pollMs: 20 });
    assert.equal(validation.result.success, true, JSON.stringify(validation.result.failures));
    assert.ok(dev.store.getComponent('ApexClass', 'LegacyUtil'), 'a validation deletes nothing');
    assert.equal(dev.store.getComponent('ApexClass', 'NewName'), undefined, 'a validation adds nothing');

    const untouched = dev.store.getComponent('ApexClass', 'PropertySelector')!;
    const { result } = await deployGitDelta(deps(), { delta, targetEnv: 'Dev' }, { pollMs: 20 });
    assert.equal(result.success, true, JSON.stringify(result.failures));
    assert.equal(result.componentsTotal, delta.plan.deploy.length + delta.plan.destroy.length, 'the delta only, not the project');

    assert.equal(dev.store.getComponent('ApexClass', 'LegacyUtil'), undefined, 'the deleted class is gone');
    assert.equal(dev.store.getComponent('ApexClass', 'OldName'), undefined, 'the renamed-away class is gone');
    assert.equal(dev.store.getComponent('CustomField', 'Property__c.Notes__c'), undefined, 'the deleted field is gone');
    assert.match(text(dev, 'ApexClass', 'NewName', /\.cls$/) ?? '', /class NewName/);
    assert.match(text(dev, 'ApexClass', 'PropertyService', /\.cls$/) ?? '', /Give a positive maximum price/);
    assert.match(text(dev, 'CustomField', 'Property__c.Status__c', /./) ?? '', /Listing Status/);
    assert.match(text(dev, 'LightningComponentBundle', 'propertyTile', /\.html$/) ?? '', /feature: tile/);
    const badge = dev.store.getComponent('LightningComponentBundle', 'badge')!;
    assert.ok(!Object.keys(badge.files).some((f) => f.endsWith('.css')), 'the bundle is deployed without its deleted file');
    assert.ok(dev.store.getComponent('StaticResource', 'brand'));
    assert.equal(dev.store.getComponent('ApexClass', 'PropertySelector')!.lastModifiedDate, untouched.lastModifiedDate, 'untouched components are not redeployed');
  });

  it('custom labels: the changed label is deployed with its new value, the removed one deleted, the others left as they were', async () => {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo.root, encoding: 'utf8' });
    const file = path.join(repo.root, 'force-app/main/default/labels/CustomLabels.labels-meta.xml');
    const label = (n: string, v: string) => `    <labels>\n        <fullName>${n}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>${n}</shortDescription>\n        <value>${v}</value>\n    </labels>\n`;
    const labels = (...l: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<CustomLabels xmlns="http://soap.sforce.com/2006/04/metadata">\n${l.join('')}</CustomLabels>\n`;
    git('checkout', '-q', '-b', 'labels', repo.feature);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, labels(label('Greeting', 'Hello'), label('Farewell', 'Bye'), label('Old', 'x')));
    git('add', '-A');
    git('commit', '-q', '-m', 'labels');
    const { result: first } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [path.dirname(file)] }, { pollMs: 20 });
    assert.equal(first.success, true, JSON.stringify(first.failures));
    const farewell = dev.store.getComponent('CustomLabel', 'Farewell');
    assert.ok(farewell, 'the labels are in Dev');
    fs.writeFileSync(file, labels(label('Greeting', 'Hi there'), label('Farewell', 'Bye')));
    git('commit', '-q', '-am', 'labels changed');
    const delta = await computeGitDelta(deps(), { repo: repo.root, from: 'HEAD~1', to: 'HEAD' });
    git('checkout', '-q', 'main');
    assert.deepEqual(delta.plan.deploy.map((c) => `${c.type}:${c.fullName}`), ['CustomLabel:Greeting']);
    assert.deepEqual(delta.plan.destroy.map((c) => `${c.type}:${c.fullName}`), ['CustomLabel:Old']);
    const { result } = await deployGitDelta(deps(), { delta, targetEnv: 'Dev' }, { pollMs: 20 });
    assert.equal(result.success, true, JSON.stringify(result.failures));
    assert.match(text(dev, 'CustomLabel', 'Greeting', /./) ?? '', /Hi there/);
    assert.equal(dev.store.getComponent('CustomLabel', 'Old'), undefined, 'the removed label is gone');
    assert.equal(dev.store.getComponent('CustomLabel', 'Farewell')?.lastModifiedDate, farewell.lastModifiedDate, 'the untouched label was not redeployed');
  });

  it('a delta that only deletes is deployed as destructive changes alone', async () => {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo.root, encoding: 'utf8' });
    git('checkout', '-q', repo.feature);
    git('rm', '-q', 'force-app/main/default/classes/NewName.cls', 'force-app/main/default/classes/NewName.cls-meta.xml');
    git('commit', '-q', '-m', 'drop NewName');
    const delta = await computeGitDelta(deps(), { repo: repo.root, from: 'HEAD~1', to: 'HEAD' });
    git('checkout', '-q', 'main');
    assert.deepEqual(delta.plan.deploy, []);
    assert.deepEqual(delta.plan.destroy, [{ type: 'ApexClass', fullName: 'NewName' }]);
    const { result } = await deployGitDelta(deps(), { delta, targetEnv: 'Dev' }, { pollMs: 20 });
    assert.equal(result.success, true, JSON.stringify(result.failures));
    assert.equal(dev.store.getComponent('ApexClass', 'NewName'), undefined);
  });
});
