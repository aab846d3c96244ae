/**
 * Deploy execution with no editor present: the deploy workflow (src/workflows/deploy) with the real
 * Salesforce layer against the emulator, on the sample project. Deploys are held in a status with
 * the emulator's faults.holdDeploysAt, never with sleeps.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { Environment } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { checkQuickDeploy, DeployError, quickDeploy, resumeDeploy, runDeploy } from '../../src/workflows/deploy/run';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import type { EmulatedOrg } from '../emulator';
import { FAILING_TEST_FILES, FAILING_TEST_NAME, SAMPLE_PROJECT, writeProject } from '../fixtures/sample-project';
import { rejection, startEmulator, type StartedEmulator } from './helpers/emulator';

const D = 'force-app/main/default';
const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;
const cls = (name: string, body: string): Record<string, string> => ({ [`${D}/classes/${name}.cls`]: body, [`${D}/classes/${name}.cls-meta.xml`]: META });

describe('deploy workflow against the emulator: validate, deploy, quick deploy, cancel, resume', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let dev: EmulatedOrg;
  let tmp: string;
  const environments: Environment[] = [{ name: 'Dev', org: 'dr-dev', role: 'development' }];
  const deps = (): WorkflowDeps => ({
    sessions: new OrgSessions({ environment: (name) => environments.find((e) => e.name === name) }, async () => salesforce),
    salesforce: async () => salesforce,
    log: SILENT_LOG,
  });
  /** Writes a project with these files; returns its force-app folder. */
  const project = (files: Record<string, string>): string => {
    const root = fs.mkdtempSync(path.join(tmp, 'p-'));
    writeProject(root, files);
    return path.join(root, 'force-app');
  };

  before(async () => {
    env = await startEmulator({ orgs: ['dev'], aliasPrefix: 'dr-' });
    dev = env.org('dev');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-deploy-run-'));
  });
  after(async () => {
    await env?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(() => dev.faults.clear());

  it('a validation failing on a compile error puts the error on the file and line, and changes nothing', async () => {
    const broken = cls('Broken', 'public class Broken {\n    public static Integer one() {\n        return (1));\n    }\n}\n');
    const dir = project({ ...SAMPLE_PROJECT, ...broken });
    const progress: string[] = [];
    const { result, problems } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir], checkOnly: true, testLevel: 'RunLocalTests' }, { pollMs: 20, onProgress: (p) => progress.push(p.message) });
    assert.equal(result.success, false);
    assert.equal(result.status, 'Failed');
    const p = problems.find((x) => x.component.fullName === 'Broken');
    assert.ok(p, JSON.stringify(problems));
    assert.equal(p.path, path.join(dir, 'main/default/classes/Broken.cls'));
    assert.equal(p.range.start.line, 2, 'line 3 of the file (0-based 2)');
    assert.match(p.message, /Unexpected token '\)'/);
    assert.equal(p.severity, 'error');
    assert.equal(dev.store.getComponent('ApexClass', 'Broken'), undefined, 'a validation commits nothing');
    assert.equal(progress[0], 'Connecting to Dev…');
    assert.ok(progress.some((m) => /^Validating/.test(m)), progress.join('\n'));
  });

  it('a validation failing on a failing test gives the test with its message at the line its stack names', async () => {
    const dir = project({ ...SAMPLE_PROJECT, ...FAILING_TEST_FILES });
    const { result, problems } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir], checkOnly: true, testLevel: 'RunLocalTests' }, { pollMs: 20 });
    assert.equal(result.success, false);
    const failure = result.tests.failures.find((f) => f.className === FAILING_TEST_NAME);
    assert.ok(failure, JSON.stringify(result.tests));
    const p = problems.find((x) => x.component.fullName === FAILING_TEST_NAME);
    assert.ok(p, JSON.stringify(problems));
    assert.equal(p.path, path.join(dir, `main/default/classes/${FAILING_TEST_NAME}.cls`));
    assert.match(p.message, new RegExp(`^${FAILING_TEST_NAME}\\.${failure.methodName} failed: `));
    assert.ok(p.message.includes(failure.message), p.message);
    const line = Number(/line (\d+)/.exec(failure.stackTrace ?? '')?.[1]);
    assert.ok(line > 0, `the stack names a line: ${failure.stackTrace}`);
    assert.equal(p.range.start.line, line - 1);
  });

  it('production refuses NoTestRun for a package with Apex, before anything is sent', async () => {
    const prodEnvs: Environment[] = [{ name: 'Prod', org: 'dr-dev', role: 'production' }];
    const d: WorkflowDeps = { ...deps(), sessions: new OrgSessions({ environment: (n) => prodEnvs.find((e) => e.name === n) }, async () => salesforce) };
    const before = (await salesforce.recentDeployRequests(env.conns.dev)).length;
    const err = await rejection(runDeploy(d, { targetEnv: 'Prod', sourcePaths: [project(SAMPLE_PROJECT)], testLevel: 'NoTestRun' }));
    assert.ok(err instanceof DeployError && err.kind === 'refused', String(err));
    assert.match(err.message, /Prod is production and the package holds Apex .*NoTestRun.* is refused/);
    assert.equal((await salesforce.recentDeployRequests(env.conns.dev)).length, before, 'no deploy was started');
  });

  it('quick-deploys a validation within its window; after another deploy reached the target, refuses it with the reason and sends nothing', async () => {
    const dir = project(SAMPLE_PROJECT);
    const v1 = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir], checkOnly: true, testLevel: 'RunLocalTests' }, { pollMs: 20 });
    assert.equal(v1.result.success, true, JSON.stringify(v1.problems));
    assert.equal(dev.store.getComponent('ApexClass', 'PropertyService'), undefined, 'validated, not deployed');
    const eligible = await checkQuickDeploy(deps(), { targetEnv: 'Dev', validationId: v1.result.id });
    assert.equal(eligible.ok, true, JSON.stringify(eligible));
    let started: string | undefined;
    const q = await quickDeploy(deps(), { targetEnv: 'Dev', validationId: v1.result.id }, { pollMs: 20, onStarted: (id) => (started = id) });
    assert.equal(q.result.success, true);
    assert.equal(q.result.id, started);
    assert.notEqual(started, v1.result.id);
    assert.ok(dev.store.getComponent('ApexClass', 'PropertyService'), 'the quick deploy reached the org');

    const v2 = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir], checkOnly: true, testLevel: 'RunLocalTests' }, { pollMs: 20 });
    assert.equal(v2.result.success, true);
    const other = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [project(cls('Hotfix', 'public class Hotfix {}\n'))] }, { pollMs: 20 });
    assert.equal(other.result.success, true);
    const before = (await salesforce.recentDeployRequests(env.conns.dev)).length;
    const err = await rejection(quickDeploy(deps(), { targetEnv: 'Dev', validationId: v2.result.id }, { pollMs: 20 }));
    assert.ok(err instanceof DeployError && err.kind === 'refused', String(err));
    assert.ok(err.message.includes(`A deployment reached Dev after validation ${v2.result.id} completed: ${other.result.id} by ${dev.admin.name}`), err.message);
    assert.match(err.message, /validate again/);
    assert.equal((await salesforce.recentDeployRequests(env.conns.dev)).length, before, 'no quick deploy was sent');
  });

  it('cancel mid-deploy reaches the org: Canceling, then Canceled, and the org is unchanged', async () => {
    const dir = project(cls('CancelMe', 'public class CancelMe {}\n'));
    dev.faults.holdDeploysAt = ['InProgress'];
    const abort = new AbortController();
    const messages: string[] = [];
    const { result } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir] }, {
      pollMs: 20,
      signal: abort.signal,
      onProgress: (p) => {
        messages.push(p.message);
        if (/^Deploying \d+\/\d+ components/.test(p.message)) abort.abort();
      },
    });
    assert.equal(result.canceled, true);
    assert.equal(result.status, 'Canceled');
    assert.equal(result.success, false);
    assert.ok(messages.includes('Canceling in the org…'), messages.join('\n'));
    assert.equal(dev.store.getComponent('ApexClass', 'CancelMe'), undefined);
    const row = (await salesforce.recentDeployRequests(env.conns.dev)).find((r) => r.id === result.id);
    assert.equal(row?.status, 'Canceled');
  });

  it('follows a deploy to its end by id after the client restarted (new sessions)', async () => {
    const dir = project(cls('Resumed', 'public class Resumed {}\n'));
    dev.faults.holdDeploysAt = ['InProgress'];
    // The first client starts the deploy and goes away (a window reload) with only the id kept.
    const first = deps();
    const id = await salesforce.startDeploy((await first.sessions.get('Dev')).handle, { sourcePaths: [dir] });
    const later = deps();
    const progress: string[] = [];
    const { result } = await resumeDeploy(later, 'Dev', id, {
      pollMs: 20,
      sourcePaths: [dir],
      onProgress: (p) => {
        progress.push(p.message);
        dev.faults.holdDeploysAt = [];
      },
    });
    assert.equal(result.id, id);
    assert.equal(result.success, true);
    assert.ok(progress.some((m) => /^Deploying/.test(m)), progress.join('\n'));
    assert.ok(dev.store.getComponent('ApexClass', 'Resumed'));
  });

  it('an expired session while polling asks to log in again, then resumes following the same deploy', async () => {
    const dir = project(cls('AfterLogin', 'public class AfterLogin {}\n'));
    dev.faults.holdDeploysAt = ['InProgress'];
    let asked = 0;
    let started: string | undefined;
    const { result } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir] }, {
      pollMs: 20,
      onStarted: (id) => (started = id),
      onProgress: (p) => {
        if (/^Deploying \d/.test(p.message) && asked === 0) {
          dev.faults.sessionExpired = true;
          dev.faults.holdDeploysAt = [];
        }
      },
      onSessionExpired: () => {
        asked++;
        dev.faults.sessionExpired = false; // the user logged in again
        return true;
      },
    });
    assert.equal(asked, 1);
    assert.equal(result.id, started);
    assert.equal(result.success, true);
    assert.ok(dev.store.getComponent('ApexClass', 'AfterLogin'));
  });

  it('without a new login, an expired session ends with what to do and the deploy id', async () => {
    const dir = project(cls('NoLogin', 'public class NoLogin {}\n'));
    dev.faults.holdDeploysAt = ['InProgress'];
    let started = '';
    const err = await rejection(
      runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir] }, {
        pollMs: 20,
        onStarted: (id) => (started = id),
        onProgress: (p) => {
          if (/^Deploying \d/.test(p.message)) dev.faults.sessionExpired = true;
        },
      }),
    );
    assert.ok(err instanceof DeployError && err.kind === 'expired-session', String(err));
    assert.equal(err.deployId, started);
    assert.match(err.message, new RegExp(`session to Dev expired .*Log in to Dev again, then resume deploy ${started}`));
  });
});
