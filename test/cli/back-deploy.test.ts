/**
 * `changeline back-deploy` and `changeline back-promote`: the built dist/cli.js spawned against
 * emulated orgs, as CI runs it. Deployments reach UAT (one of them Dev too); back-deploy shows the
 * plan (--dry-run), brings the net differences down in one deployment recorded in Dev, and has
 * nothing left to do afterwards; a hotfix in Production comes down to UAT and Dev with back-promote.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as salesforce from '../../src/salesforce';
import { startEmulator, type StartedEmulator } from '../integration/helpers/emulator';
import { tempProject, writeClass } from '../integration/helpers/project';
import { json, runCli, type CliRun } from './run';

const PIPELINE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'clbd-dev', role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'clbd-uat', role: 'staging', next: 'Production' },
    { name: 'Production', org: 'clbd-prod', role: 'production' },
  ],
};
const cls = (name: string, v: number) => `public with sharing class ${name} {\n    public static Integer version() {\n        return ${v};\n    }\n}\n`;

interface PlanJson {
  lower: string;
  upper: string;
  deployments: Array<{ id: string; source: string }>;
  components: Array<{ type: string; fullName: string; kind: string; selected: boolean; workInProgress: string | null }>;
  identical: number;
  summary: string;
  record: { number: string; status: string } | null;
  deploy: { success: boolean; target: string } | null;
}

describe('changeline back-deploy and back-promote (dist/cli.js) against emulated orgs', function () {
  this.timeout(180_000);
  let env: StartedEmulator;
  let root: string;
  const cleanup: Array<() => void> = [];
  const cli = (...args: string[]): Promise<CliRun> => runCli([...args, '--cache-dir', path.join(root, 'cache')], { cwd: root });
  const deploy = async (org: string, classes: Record<string, number>) => {
    const p = tempProject('clbd-src-');
    cleanup.push(() => p.remove());
    for (const [n, v] of Object.entries(classes)) writeClass(p, n, cls(n, v));
    const r = await salesforce.deploy(env.conns[org]!, { sourcePaths: [p.dir], pollMs: 20 });
    assert.ok(r.success, JSON.stringify(r.failures));
  };
  const classes = async (org: string) => (await salesforce.listComponents(env.conns[org]!, ['ApexClass'])).map((c) => c.fullName).sort();

  before(async () => {
    env = await startEmulator({ orgs: ['prod', 'uat', 'dev'], aliasPrefix: 'clbd-' });
    for (const o of ['uat', 'dev']) await salesforce.installTracking(env.conns[o]!, { pollMs: 20 });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cli-backdeploy-'));
    fs.mkdirSync(path.join(root, '.changeline'));
    fs.writeFileSync(path.join(root, '.changeline/pipeline.json'), JSON.stringify(PIPELINE, null, 2));
    for (const o of ['uat', 'dev']) await deploy(o, { Greeter: 1 });
    await deploy('uat', { Greeter: 2, Alpha: 1 });
    await deploy('uat', { Beta: 1 });
    await deploy('dev', { Beta: 1 });
  });
  after(async () => {
    for (const c of cleanup) c();
    await env?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('--dry-run shows the missing deployments and the net components, and changes nothing', async () => {
    const r = await cli('back-deploy', '--to', 'Dev', '--dry-run', '--json');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const plan = json<PlanJson>(r);
    assert.equal(plan.upper, 'UAT', 'the environment Dev promotes to');
    assert.deepEqual(
      plan.components.map((c) => `${c.kind} ${c.fullName} ${c.selected}`),
      ['new Alpha true', 'changed Greeter true'],
    );
    assert.ok(!plan.components.some((c) => c.fullName === 'Beta'), 'Beta, already in Dev, is left out');
    assert.equal(plan.record, null);
    assert.deepEqual(await classes('dev'), ['Beta', 'Greeter']);
    const text = await cli('back-deploy', '--to', 'Dev', '--dry-run');
    assert.match(text.stdout, /\[x\]\s+new\s+ApexClass\s+Alpha/);
    assert.match(text.stdout, /2 components from UAT to Dev: 1 new, 1 changed/);
  });

  it('brings them down in one deployment recorded in Dev (exit 0), then has nothing left to bring', async () => {
    const r = await cli('back-deploy', '--to', 'Dev', '--exclude', 'ApexClass:Alpha', '--json');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const done = json<PlanJson>(r);
    assert.equal(done.deploy?.success, true);
    assert.equal(done.record?.status, 'Deployed');
    assert.match(done.record?.number ?? '', /\S/);
    assert.deepEqual(await classes('dev'), ['Beta', 'Greeter'], 'Alpha was excluded');
    const rest = await cli('back-deploy', '--to', 'Dev', '--json');
    assert.equal(rest.code, 0, rest.stderr + rest.stdout);
    const all = json<PlanJson>(rest);
    assert.equal(all.deploy?.success, true);
    assert.deepEqual(await classes('dev'), ['Alpha', 'Beta', 'Greeter']);
    const none = await cli('back-deploy', '--to', 'Dev', '--json');
    assert.equal(none.code, 0);
    assert.deepEqual(json<PlanJson>(none).components, []);
    assert.equal(json<PlanJson>(none).deploy, null);
  });

  it('refuses an upper environment Dev does not promote to, and a malformed --exclude (exit 2)', async () => {
    const wrong = await cli('back-deploy', '--to', 'Dev', '--from', 'Production');
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /Dev promotes to UAT, not Production/);
    const bad = await cli('back-deploy', '--to', 'Dev', '--exclude', 'Greeter');
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /write TYPE:NAME/);
  });

  it('back-promote brings a production hotfix down to UAT, then Dev, in one command', async () => {
    await deploy('prod', { Hotfix: 1 });
    const r = await cli('back-promote', '--json');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const doc = json<{ state: string; steps: Array<{ from: string; to: string; status: string }>; summary: string }>(r);
    assert.equal(doc.state, 'succeeded', doc.summary);
    assert.deepEqual(doc.steps.map((s) => `${s.from}→${s.to} ${s.status}`), ['Production→UAT done', 'UAT→Dev done']);
    assert.ok((await classes('uat')).includes('Hotfix'));
    assert.ok((await classes('dev')).includes('Hotfix'));
  });
});
