/**
 * `changeline git-delta`: the built dist/cli.js spawned on a git repository the test builds, as CI
 * runs it: the manifests of two refs, the merge base, the written delta, bad refs and targets with
 * their exit codes, and a deploy of the delta to an emulated development org that deletes what the
 * delta deletes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EmulatedOrg } from '../emulator';
import { buildDeltaRepo, FEATURE_DELTA } from '../fixtures/git-delta-repo';
import { startEmulator, type StartedEmulator } from '../integration/helpers/emulator';
import { json, runCli, type CliRun } from './run';

const PIPELINE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'clg-dev', role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'clg-uat', role: 'staging' },
  ],
};

interface DeltaJson {
  from: { ref: string; commit: string };
  to: { ref: string; commit: string };
  mergeBase: string | null;
  package: Array<{ type: string; members: string[] }>;
  destructiveChanges: Array<{ type: string; members: string[] }>;
  changes: Array<{ status: string; path: string; renamedFrom?: string; effect: string; components: Array<{ type: string; fullName: string }> }>;
  ignored: string[];
  output: string | null;
  deploy: null | { success: boolean; checkOnly: boolean; components: { total: number } };
}

const flat = (m: DeltaJson['package']) => m.flatMap((t) => t.members.map((x) => `${t.type}:${x}`));

describe('changeline git-delta (dist/cli.js)', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let dev: EmulatedOrg;
  let root: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: root });

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'clg-' });
    dev = env.org('dev');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cli-git-delta-'));
    buildDeltaRepo(root);
    fs.mkdirSync(path.join(root, '.changeline'));
    fs.writeFileSync(path.join(root, '.changeline/pipeline.json'), JSON.stringify(PIPELINE, null, 2));
  });
  after(async () => {
    await env?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('prints package.xml, destructiveChanges.xml and each changed file (no pipeline or org needed)', async () => {
    const r = await runCli(['git-delta', '--from', 'v1', '--to', 'feature', '--repo', root], { cwd: os.tmpdir() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /=== package\.xml/);
    assert.match(r.stdout, /<members>NewName<\/members>/);
    assert.match(r.stdout, /=== destructiveChanges\.xml[^\n]*\n[\s\S]*<members>LegacyUtil<\/members>/);
    assert.match(r.stdout, /OldName\.cls \(renamed to [^)]*NewName\.cls\): deletes ApexClass OldName/);
    assert.match(r.stdout, /README\.md: no metadata/);
  });

  it('--json gives the members, and --merge-base leaves out what the other branch gained', async () => {
    const two = json<DeltaJson>(await cli('git-delta', '--from', 'main', '--to', 'feature', '--json'));
    assert.ok(flat(two.destructiveChanges).includes('ApexClass:MainOnly'));
    const r = await cli('git-delta', '--from', 'main', '--to', 'feature', '--merge-base', '--json');
    assert.equal(r.code, 0, r.stderr);
    const three = json<DeltaJson>(r);
    assert.deepEqual(flat(three.package), FEATURE_DELTA.deploy);
    assert.deepEqual(flat(three.destructiveChanges), FEATURE_DELTA.destroy);
    assert.match(three.mergeBase ?? '', /^[0-9a-f]{40}$/);
    assert.equal(three.deploy, null);
    assert.ok(three.changes.some((c) => c.status === 'added' && c.renamedFrom?.endsWith('OldName.cls')));
  });

  it('--output writes the delta; a folder that is not empty is refused (exit 2) and kept as it was', async () => {
    const out = path.join(root, '..', path.basename(root) + '-out');
    try {
      const r = await cli('git-delta', '--from', 'v1', '--to', 'feature', '--output', out);
      assert.equal(r.code, 0, r.stderr);
      assert.match(fs.readFileSync(path.join(out, 'package/package.xml'), 'utf8'), /<members>propertyTile<\/members>/);
      assert.match(fs.readFileSync(path.join(out, 'destructiveChanges/destructiveChanges.xml'), 'utf8'), /<members>OldName<\/members>/);
      assert.ok(fs.existsSync(path.join(out, 'force-app/main/default/classes/NewName.cls')));
      const again = await cli('git-delta', '--from', 'v1', '--to', 'feature', '--output', out);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /is not empty: give a new or empty folder/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('a ref that names nothing, a range, and --validate without --deploy are usage errors (exit 2)', async () => {
    const bad = await cli('git-delta', '--from', 'v1', '--to', 'nope');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"nope" is not a branch, tag or commit/);
    const range = await cli('git-delta', '--from', 'v1', '--to', 'main...feature');
    assert.equal(range.code, 2);
    assert.match(range.stderr, /is a range/);
    const lone = await cli('git-delta', '--from', 'v1', '--to', 'feature', '--validate');
    assert.equal(lone.code, 2);
    assert.match(lone.stderr, /go with --deploy/);
  });

  it('--deploy to a staging environment is refused by the promotion rules (exit 3), nothing deployed', async () => {
    const r = await cli('git-delta', '--from', 'v1', '--to', 'feature', '--deploy', 'UAT');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /UAT is a staging environment: changes reach it through the pipeline/);
    assert.equal(env.org('uat').store.getComponent('ApexClass', 'NewName'), undefined);
  });

  it('--deploy Dev deploys the delta with the deletions after: the deleted and renamed-away classes are gone', async () => {
    const base = await cli('deploy', '--to', 'Dev', '--source-dir', 'force-app');
    assert.equal(base.code, 0, base.stderr);
    // The working tree is main (v1 + MainOnly): the org now has LegacyUtil, OldName and Notes__c.
    assert.ok(dev.store.getComponent('ApexClass', 'LegacyUtil'));
    const r = await cli('git-delta', '--from', 'v1', '--to', 'feature', '--deploy', 'Dev', '--json');
    assert.equal(r.code, 0, r.stderr);
    const j = json<DeltaJson>(r);
    assert.equal(j.deploy?.success, true);
    assert.equal(j.deploy?.checkOnly, false);
    assert.equal(j.deploy?.components.total, FEATURE_DELTA.deploy.length + FEATURE_DELTA.destroy.length);
    assert.equal(dev.store.getComponent('ApexClass', 'LegacyUtil'), undefined);
    assert.equal(dev.store.getComponent('ApexClass', 'OldName'), undefined);
    assert.equal(dev.store.getComponent('CustomField', 'Property__c.Notes__c'), undefined);
    assert.ok(dev.store.getComponent('ApexClass', 'NewName'));
    assert.ok(dev.store.getComponent('ApexClass', 'MainOnly'), 'what the delta does not name stays');
  });
});
