/**
 * The `changeline` executable end to end: the built dist/cli.js spawned against emulated orgs
 * authorized as the sf CLI keeps them (a private HOME), each subcommand's success path, its
 * --json shape, and its exit code on failure (docs/cli.md).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newDraft } from '../../src/core/change-requests';
import { SILENT_LOG } from '../../src/core/log-sink';
import * as salesforce from '../../src/salesforce';
import { compareEnvironments } from '../../src/workflows/compare/run';
import { CompareStore } from '../../src/workflows/compare/store';
import { OrgSessions } from '../../src/workflows/sessions';
import { NodeFileStore } from '../../src/workflows/storage';
import { seedDifferences } from '../emulator/seed';
import { startEmulator, type StartedEmulator } from '../integration/helpers/emulator';
import { json, runCli, type CliRun } from './run';

const SEED = 5;
const COMPONENTS = 80;
const PIPELINE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'cli-dev', role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'cli-uat', role: 'staging', next: 'Prod' },
    { name: 'Prod', org: 'cli-prod', role: 'production' },
  ],
};

describe('changeline CLI (dist/cli.js) against emulated orgs', function () {
  let env: StartedEmulator;
  let project: string;
  let cache: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: project, env: { XDG_CACHE_HOME: cache } });
  const expected = seedDifferences(SEED, COMPONENTS, 1);
  let crNumber: string;

  before(async () => {
    env = await startEmulator({ orgs: ['prod', 'uat', 'dev'], seed: SEED, components: COMPONENTS, aliasPrefix: 'cli-' });
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cli-'));
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cli-cache-'));
    fs.mkdirSync(path.join(project, '.changeline'));
    fs.writeFileSync(path.join(project, '.changeline/pipeline.json'), JSON.stringify(PIPELINE, null, 2));
    await salesforce.installTracking(env.conns.dev, { pollMs: 20 });
    const cr = await salesforce.createChangeRequest(env.conns.dev, newDraft({ name: 'Invoice discount', overview: 'Adds a discount field', customizations: [{ type: 'ApexClass', fullName: 'InvoiceService' }] }));
    crNumber = cr.number!;
  });
  after(async () => {
    // The last test stops the emulator itself (an unreachable org): stopping twice is fine.
    await env?.stop().catch(() => undefined);
    for (const d of [project, cache]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('--help lists the subcommands and exits 0; an unknown option exits 2', async () => {
    const help = await cli('--help');
    assert.equal(help.code, 0, help.stderr);
    for (const sub of ['pipeline', 'environments', 'compare', 'cr', 'login']) assert.match(help.stdout, new RegExp(`^  ${sub}\\b`, 'm'));
    const bad = await cli('environments', '--frm', 'Dev');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option '--frm'/);
  });

  it('pipeline check: OK on a valid file; file:line:column errors and exit 1 on a broken one; exit 2 when there is none', async () => {
    const ok = await cli('pipeline', 'check', '--json');
    assert.equal(ok.code, 0, ok.stderr);
    const doc = json<{ valid: boolean; errors: number; environments: Array<{ name: string }> }>(ok);
    assert.equal(doc.valid, true);
    assert.deepEqual(doc.environments.map((e) => e.name), ['Dev', 'UAT', 'Prod']);

    const broken = path.join(project, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ version: 1, environments: [{ name: 'A', org: 'cli-dev', role: 'development', next: 'B' }, { name: 'B', org: 'cli-uat', role: 'staging', next: 'A' }] }, null, 2));
    const bad = await cli('--pipeline', 'broken.json', 'pipeline', 'check');
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: error: .*(cycle|loop)`, 'mi'));
    assert.match(bad.stdout, /\d+ errors?, \d+ warnings?$/m);

    const none = await cli('--pipeline', 'nothing.json', 'environments');
    assert.equal(none.code, 2);
    assert.match(none.stderr, /There is no pipeline file at .*nothing\.json/);
  });

  it('environments: every environment connected, with its user and org id', async () => {
    const r = await cli('environments', '--json');
    assert.equal(r.code, 0, r.stderr);
    const rows = json<Array<{ name: string; state: string; username: string; orgId: string }>>(r);
    assert.deepEqual(rows.map((x) => [x.name, x.state]), [['Dev', 'connected'], ['UAT', 'connected'], ['Prod', 'connected']]);
    assert.equal(rows[1].orgId, env.org('uat').info().orgId);
  });

  it('compare: the seeded differences, the same result as the editor\'s compare workflow, and CSV', async () => {
    // UAT is seeded with known differences from Prod (the first org).
    const r = await cli('compare', '--from', 'Prod', '--to', 'UAT', '--json');
    assert.equal(r.code, 0, r.stderr);
    const doc = json<{ counts: Record<string, number>; items: Array<{ status: string; type: string; fullName: string }> }>(r);
    const differing = doc.items.filter((i) => i.status === 'different').map((i) => `${i.type}:${i.fullName}`).sort();
    assert.deepEqual(differing, expected.changed.map((c) => `${c.type}:${c.fullName}`).sort());
    assert.equal(doc.counts['only-in-source'], expected.onlyInBase.length);

    // The extension runs the same workflow: same orgs, same answer.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cli-ext-'));
    try {
      const sessions = new OrgSessions({ environment: (n) => PIPELINE.environments.find((e) => e.name === n) as never }, async () => salesforce);
      const { result } = await compareEnvironments(
        { sessions, salesforce: async () => salesforce, log: SILENT_LOG, store: new CompareStore(new NodeFileStore(dir), SILENT_LOG) },
        { sourceEnv: 'Prod', targetEnv: 'UAT', scope: {}, scopeLabel: 'All metadata types' },
      );
      const view = (items: ReadonlyArray<{ status: string; type: string; fullName: string }>) => items.map((i) => `${i.status} ${i.type}:${i.fullName}`).sort();
      assert.deepEqual(view(doc.items), view(result.items));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const csv = await cli('compare', '--from', 'UAT', '--to', 'Dev', '--csv', '--types', 'ApexClass');
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split(/\r\n/);
    assert.equal(lines[0], 'status,type,fullName,differingFiles,sourceModified,targetModified');
    assert.ok(lines.slice(1).every((l) => /^[a-z-]+,ApexClass,/.test(l)), lines.slice(0, 3).join('\n'));

    const same = await cli('compare', '--from', 'UAT', '--to', 'UAT');
    assert.equal(same.code, 2);
    assert.match(same.stderr, /two different environments/);
    const unknown = await cli('compare', '--from', 'UAT', '--to', 'QA');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no environment named "QA".*Dev, UAT, Prod/);
  });

  it('cr list / show / submit: the change requests in the org, and the rules refuse what they refuse (exit 3)', async () => {
    const list = await cli('cr', 'list', '--env', 'Dev', '--json');
    assert.equal(list.code, 0, list.stderr);
    const crs = json<Array<{ number: string; name: string; status: string }>>(list);
    assert.deepEqual(crs.map((c) => [c.number, c.name, c.status]), [[crNumber, 'Invoice discount', 'Draft']]);

    const show = await cli('cr', 'show', '--env', 'Dev', crNumber);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`^${crNumber} · Invoice discount$`, 'm'));
    assert.match(show.stdout, /ApexClass\s+InvoiceService/);

    const missing = await cli('cr', 'show', '--env', 'Dev', 'CR-99999');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no change request CR-99999 in Dev/);

    const submit = await cli('cr', 'submit', '--env', 'Dev', crNumber, '--json');
    assert.equal(submit.code, 0, submit.stderr);
    assert.equal(json<{ status: string }>(submit).status, 'Pending approval');

    const again = await cli('cr', 'submit', '--env', 'Dev', crNumber);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /already Pending approval/);

    const noComment = await cli('cr', 'approve', '--env', 'Dev', crNumber);
    assert.equal(noComment.code, 2);

    const wrongWay = await cli('cr', 'push', '--env', 'Dev', crNumber, '--to', 'Prod');
    assert.equal(wrongWay.code, 3);
    assert.match(wrongWay.stderr, /Dev cannot push to Prod: .*only to UAT/);
  });

  it('an expired session and an unreachable org exit 4 and say what to do', async () => {
    env.org('uat').faults.sessionExpired = true;
    try {
      const r = await cli('environments');
      assert.equal(r.code, 4);
      assert.match(r.stdout, /UAT\s+staging\s+cli-uat\s+expired\s+The session for "cli-uat" has expired\. Log in again/);
      const c = await cli('compare', '--from', 'UAT', '--to', 'Dev');
      assert.equal(c.code, 4, c.stderr);
      assert.match(c.stderr, /^error: .*(expired|log in)/im);
    } finally {
      env.org('uat').faults.clear();
    }
    await env.emu.stop();
    const down = await cli('environments', '--json');
    assert.equal(down.code, 4);
    assert.ok(json<Array<{ state: string }>>(down).every((x) => x.state === 'unreachable'), down.stdout);
  });
});
