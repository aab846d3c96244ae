/**
 * `changeline deploy` and `changeline quick-deploy`: the built dist/cli.js spawned against an
 * emulated org, as CI runs it. Deploys are held with the emulator's faults.holdDeploysAt, never
 * with sleeps; Ctrl-C is a real SIGINT to the child.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as salesforce from '../../src/salesforce';
import type { EmulatedOrg } from '../emulator';
import { FAILING_TEST_FILES, FAILING_TEST_NAME, SAMPLE_PROJECT, writeProject } from '../fixtures/sample-project';
import { startEmulator, type StartedEmulator } from '../integration/helpers/emulator';
import { json, runCli, type CliRun } from './run';

const PIPELINE = {
  version: 1,
  environments: [
    { name: 'Dev', org: 'cld-dev', role: 'development', next: 'UAT' },
    { name: 'UAT', org: 'cld-uat', role: 'staging' },
  ],
};
const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;

interface DeployJson {
  deployId: string;
  target: string;
  checkOnly: boolean;
  status: string;
  success: boolean;
  canceled: boolean;
  components: { total: number; deployed: number; errors: number };
  tests: { total: number; completed: number; failed: number };
  problems: Array<{ path: string | null; line: number; column: number; severity: string; message: string; component: { type: string; fullName: string } }>;
  coverage: Array<{ name: string; type: string; percent: number }>;
}

describe('changeline deploy and quick-deploy (dist/cli.js) against an emulated org', function () {
  let env: StartedEmulator;
  let dev: EmulatedOrg;
  let root: string;
  const cli = (...args: string[]): Promise<CliRun> => runCli(args, { cwd: root });
  /** A project folder (under the pipeline's folder) with these files; returns its force-app path relative to the root. */
  const project = (name: string, files: Record<string, string>): string => {
    writeProject(path.join(root, name), files);
    return path.join(name, 'force-app');
  };

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'uat'], aliasPrefix: 'cld-' });
    dev = env.org('dev');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-cli-deploy-'));
    fs.mkdirSync(path.join(root, '.changeline'));
    fs.writeFileSync(path.join(root, '.changeline/pipeline.json'), JSON.stringify(PIPELINE, null, 2));
  });
  after(async () => {
    await env?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  afterEach(() => dev.faults.clear());

  it('deploys local source to a development environment: exit 0, the documented --json shape, the org changed', async () => {
    const dir = project('ok', { 'force-app/main/default/classes/CliHello.cls': 'public class CliHello {}\n', 'force-app/main/default/classes/CliHello.cls-meta.xml': META });
    const r = await cli('deploy', '--to', 'Dev', '--source-dir', dir, '--json');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const doc = json<DeployJson>(r);
    assert.match(doc.deployId, /^0Af/);
    assert.deepEqual({ target: doc.target, checkOnly: doc.checkOnly, status: doc.status, success: doc.success, canceled: doc.canceled }, { target: 'Dev', checkOnly: false, status: 'Succeeded', success: true, canceled: false });
    assert.deepEqual(doc.components, { total: 1, deployed: 1, errors: 0 });
    assert.deepEqual(doc.problems, []);
    assert.ok(dev.store.getComponent('ApexClass', 'CliHello'));
  });

  it('a failed validation exits 1 and prints each failed test at file:line:column', async () => {
    const dir = project('failing', { ...SAMPLE_PROJECT, ...FAILING_TEST_FILES });
    const r = await cli('deploy', '--to', 'Dev', '--source-dir', dir, '--validate', '--test-level', 'RunLocalTests');
    assert.equal(r.code, 1, r.stderr + r.stdout);
    const file = path.join(dir, `main/default/classes/${FAILING_TEST_NAME}.cls`);
    assert.match(r.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: error: ${FAILING_TEST_NAME}\\.\\w+ failed: `, 'm'));
    const failed = r.stdout.split('\n').filter((l) => l.includes(`: error: ${FAILING_TEST_NAME}.`)).length;
    assert.ok(failed >= 1);
    assert.match(r.stdout, new RegExp(`^Validation 0Af\\w+ to Dev failed: .*tests \\d+/\\d+ \\(${failed} failed\\)`, 'm'));
    assert.equal(dev.store.getComponent('ApexClass', FAILING_TEST_NAME), undefined);
  });

  it('local source to a staging environment is refused by the promotion rules (exit 3), naming where it may go', async () => {
    const r = await cli('deploy', '--to', 'UAT', '--source-dir', project('refused', SAMPLE_PROJECT), '--json');
    assert.equal(r.code, 3);
    const doc = json<{ error: string; exitCode: number }>(r);
    assert.equal(doc.exitCode, 3);
    assert.match(doc.error, /UAT is a staging environment: changes reach it through the pipeline, not from local files\. Deploy local source to Dev, then promote it\./);
    assert.equal(env.org('uat').store.getComponent('ApexClass', 'PropertyService'), undefined);
  });

  it('bad test options are usage errors (exit 2)', async () => {
    const dir = project('usage', SAMPLE_PROJECT);
    const r = await cli('deploy', '--to', 'Dev', '--source-dir', dir, '--test-level', 'RunSomeTests');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"RunSomeTests" is not a test level/);
    const s = await cli('deploy', '--to', 'Dev', '--source-dir', dir, '--test-level', 'RunLocalTests', '--tests', 'PropertyServiceTest');
    assert.equal(s.code, 2);
    assert.match(s.stderr, /--tests runs with --test-level RunSpecifiedTests only/);
  });

  it('quick-deploy deploys a fresh validation (exit 0); the same validation again is refused with the reason (exit 3)', async () => {
    const dir = project('quick', SAMPLE_PROJECT);
    const v = await cli('deploy', '--to', 'Dev', '--source-dir', dir, '--validate', '--tests', 'PropertyServiceTest,PropertyTriggerTest', '--json');
    assert.equal(v.code, 0, v.stderr + v.stdout);
    const validation = json<DeployJson>(v);
    assert.equal(validation.checkOnly, true);
    assert.equal(validation.tests.failed, 0);
    assert.ok(validation.tests.total > 0);

    const q = await cli('quick-deploy', '--to', 'Dev', '--job-id', validation.deployId, '--json');
    assert.equal(q.code, 0, q.stderr + q.stdout);
    const quick = json<DeployJson>(q);
    assert.equal(quick.success, true);
    assert.notEqual(quick.deployId, validation.deployId);
    assert.ok(dev.store.getComponent('ApexClass', 'PropertyService'));

    const again = await cli('quick-deploy', '--to', 'Dev', '--job-id', validation.deployId);
    assert.equal(again.code, 3, again.stderr);
    assert.match(again.stderr, new RegExp(`Quick deploy refused: A deployment reached Dev after validation ${validation.deployId} completed: ${quick.deployId} by `));
  });

  it('Ctrl-C cancels the deploy in the org: Canceled, exit 130, the org unchanged', async () => {
    const dir = project('cancel', { 'force-app/main/default/classes/CliCancel.cls': 'public class CliCancel {}\n', 'force-app/main/default/classes/CliCancel.cls-meta.xml': META });
    dev.faults.holdDeploysAt = ['InProgress'];
    let sent = false;
    const r = await runCli(['--verbose', 'deploy', '--to', 'Dev', '--source-dir', dir, '--json'], {
      cwd: root,
      onStderr: (chunk, child) => {
        if (!sent && /Deploying \d+\/\d+ components/.test(chunk)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    assert.equal(r.code, 130, r.stderr);
    const doc = json<DeployJson>(r);
    assert.equal(doc.canceled, true);
    assert.equal(doc.status, 'Canceled');
    assert.equal(dev.store.getComponent('ApexClass', 'CliCancel'), undefined);
    const row = (await salesforce.recentDeployRequests(env.conns.dev)).find((x) => x.id === doc.deployId);
    assert.equal(row?.status, 'Canceled');
  });

  it('an expired session exits 4 and says what to do', async () => {
    dev.faults.sessionExpired = true;
    const r = await cli('deploy', '--to', 'Dev', '--source-dir', project('expired', SAMPLE_PROJECT));
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /expired.*Log in again|log in/i);
  });
});
