/**
 * `changeline log` and `changeline behind`: the built dist/cli.js spawned against emulated Dev and
 * UAT, where deploys were made straight to the orgs with SDR (out of band, as the sf CLI would).
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
    { name: 'Dev', org: 'cllog-dev', role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'cllog-uat', role: 'staging' },
  ],
};

interface LogJson {
  environment: string;
  total: number;
  shown: number;
  deployments: Array<{ id: string; status: string; checkOnly: boolean; source: string; createdBy: string | null; components: { total: number | null; errors: number | null }; errorMessage: string | null }>;
}
interface BehindJson {
  lower: string;
  upper: string;
  count: number;
  deployments: Array<{ id: string; source: string; differing: Array<{ type: string; fullName: string }> }>;
}

describe('changeline log and behind (dist/cli.js) against emulated orgs', function () {
  let env: StartedEmulator;
  let root: string;
  let hotfixId: string;
  let brokenId: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(['--cache-dir', path.join(root, 'cache'), ...args], { cwd: root });

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'cllog-' });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cli-log-'));
    fs.mkdirSync(path.join(root, '.changeline'));
    fs.writeFileSync(path.join(root, '.changeline/pipeline.json'), JSON.stringify(PIPELINE, null, 2));
    const shared = tempProject('cllog-shared-');
    const hot = tempProject('cllog-hot-');
    const bad = tempProject('cllog-bad-');
    try {
      writeClass(shared, 'Shared', 'public class Shared {}\n');
      assert.ok((await salesforce.deploy(env.conns.dev!, { sourcePaths: [shared.dir], pollMs: 20 })).success);
      assert.ok((await salesforce.deploy(env.conns.uat!, { sourcePaths: [shared.dir], pollMs: 20 })).success);
      writeClass(hot, 'Hotfix', 'public class Hotfix {}\n');
      const h = await salesforce.deploy(env.conns.uat!, { sourcePaths: [hot.dir], pollMs: 20 });
      assert.ok(h.success);
      hotfixId = h.id;
      writeClass(bad, 'Broken', 'public class Broken {\n    return (1));\n}\n');
      const b = await salesforce.deploy(env.conns.uat!, { sourcePaths: [bad.dir], pollMs: 20 });
      assert.equal(b.success, false);
      brokenId = b.id;
    } finally {
      for (const p of [shared, hot, bad]) p.remove();
    }
  });
  after(async () => {
    await env?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it("log --json lists UAT's deployments newest first with the documented shape; --status and --source filter", async () => {
    const r = await cli('log', '--env', 'UAT', '--json');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const doc = json<LogJson>(r);
    assert.equal(doc.environment, 'UAT');
    assert.equal(doc.total, 3);
    assert.deepEqual(doc.deployments.map((d) => d.id.slice(0, 15)), [brokenId.slice(0, 15), hotfixId.slice(0, 15), doc.deployments[2].id.slice(0, 15)]);
    assert.deepEqual(doc.deployments.map((d) => [d.status, d.source, d.checkOnly]), [['Failed', 'out-of-band', false], ['Succeeded', 'out-of-band', false], ['Succeeded', 'out-of-band', false]]);
    assert.equal(doc.deployments[1].components.total, 1);
    assert.ok(doc.deployments[0].errorMessage === null || typeof doc.deployments[0].errorMessage === 'string');

    const failed = json<LogJson>(await cli('log', '--env', 'UAT', '--status', 'failed', '--json'));
    assert.deepEqual(failed.deployments.map((d) => d.id.slice(0, 15)), [brokenId.slice(0, 15)]);
    assert.equal(failed.shown, 1);
    const mine = json<LogJson>(await cli('log', '--env', 'UAT', '--source', 'changeline', '--json'));
    assert.deepEqual(mine.deployments, [], 'none was made by Changeline');
  });

  it('log prints a table; --id shows one deployment’s component results and problems', async () => {
    const r = await cli('log', '--env', 'UAT');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^UAT: 3 of 3 deployments/m);
    assert.match(r.stdout, /Failed\s+out of band/);
    const d = await cli('log', '--env', 'UAT', '--id', brokenId);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /Failed\s+ApexClass\s+Broken/);
    assert.match(d.stdout, /Problems:\n {2}Error ApexClass Broken/);
  });

  it('log refuses a bad filter with exit 2, naming the good values', async () => {
    const r = await cli('log', '--env', 'UAT', '--status', 'exploded');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--status takes succeeded, failed, canceled, running/);
    const s = await cli('log', '--env', 'Nowhere');
    assert.equal(s.code, 2);
    assert.match(s.stderr, /no environment named "Nowhere"/);
  });

  it('behind counts the out-of-band hotfix Dev lacks (not the class both have, nor the failed deploy)', async () => {
    const r = await cli('behind', '--env', 'Dev', '--json');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const [doc] = json<BehindJson[]>(r);
    assert.deepEqual({ lower: doc.lower, upper: doc.upper, count: doc.count }, { lower: 'Dev', upper: 'UAT', count: 1 });
    assert.equal(doc.deployments[0].id.slice(0, 15), hotfixId.slice(0, 15));
    assert.deepEqual(doc.deployments[0].differing, [{ type: 'ApexClass', fullName: 'Hotfix' }]);
    const t = await cli('behind');
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^Dev is 1 deployment behind UAT$/m);
    assert.match(t.stdout, /ApexClass Hotfix/);
  });

  it('behind for an environment with none above it is a usage error', async () => {
    const r = await cli('behind', '--env', 'UAT');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /UAT has no environment above it/);
  });
});
