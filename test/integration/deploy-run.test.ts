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
import { checkDependencies } from '../../src/workflows/deploy/dependencies';
import { applyOverwriteChoices, checkOverwrites, sourcePathsWithout } from '../../src/workflows/deploy/overwrite';
import { checkQuickDeploy, DeployError, quickDeploy, resumeDeploy, runDeploy } from '../../src/workflows/deploy/run';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import { writeZip } from '../../src/salesforce/compare/zip-codec';
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
    env = await startEmulator({ orgs: ['dev'], aliasPrefix: 'dr-', sourceTracking: true });
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

  it('status checks that fail for a moment (503) are tried again: the deploy is followed to its end', async () => {
    const dir = project(cls('Flaky', 'public class Flaky {}\n'));
    dev.faults.holdDeploysAt = ['InProgress'];
    let injected = false;
    const { result } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir] }, {
      pollMs: 20,
      onProgress: (p) => {
        if (!injected && /^Deploying \d/.test(p.message)) {
          injected = true;
          dev.faults.failNext(2, 503, undefined, 'checkDeployStatus');
          dev.faults.holdDeploysAt = [];
        }
      },
    });
    assert.ok(injected);
    assert.equal(dev.faults.failuresLeft, 0, 'both failures were answered');
    assert.equal(result.success, true);
    assert.ok(dev.store.getComponent('ApexClass', 'Flaky'));
  });

  it('an org lost from the network mid-deploy ends with the deploy id and what to do; resumed by id once it is back, the deploy had gone on', async () => {
    const dir = project(cls('WhileAway', 'public class WhileAway {}\n'));
    dev.faults.holdDeploysAt = ['InProgress'];
    let started = '';
    const err = await rejection(
      runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [dir] }, {
        pollMs: 20,
        onStarted: (id) => (started = id),
        onProgress: (p) => {
          if (/^Deploying \d/.test(p.message)) void dev.setDown(true);
        },
      }),
    );
    await dev.setDown(false);
    assert.ok(err instanceof DeployError && err.kind === 'unreachable', String(err));
    assert.equal(err.deployId, started);
    assert.match(err.message, new RegExp(`^Dev cannot be reached .*deploy ${started} may still run in the org\\. Check the connection, then resume deploy ${started}\\.$`));
    dev.faults.holdDeploysAt = [];
    const { result } = await resumeDeploy(deps(), 'Dev', started, { pollMs: 20 });
    assert.equal(result.success, true);
    assert.ok(dev.store.getComponent('ApexClass', 'WhileAway'));
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

  it('the overwrite check flags a component another user changed in the target after the retrieve, with who and when; dropping it keeps their change', async () => {
    const v1 = { ...cls('Shared', 'public class Shared {}\n'), ...cls('Untouched', 'public class Untouched {}\n') };
    assert.equal((await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [project(v1)] }, { pollMs: 20 })).result.success, true);
    const retrievedAt = new Date().toISOString();
    // Another user fixes Shared straight in the target, with their own tool.
    const reviewer = dev.users.find((u) => !u.isAdmin)!;
    const theirs = await salesforce.authorizeWithToken({ accessToken: reviewer.accessToken, instanceUrl: dev.instanceUrl, alias: 'dr-dev-reviewer' });
    try {
      const fix = await salesforce.deploy(theirs, { sourcePaths: [project(cls('Shared', 'public class Shared { /* hotfix */ }\n'))], pollMs: 20 });
      assert.equal(fix.success, true);
    } finally {
      await salesforce.removeAuthorization(theirs.username);
    }
    const pkg = project({ ...v1, ...cls('Brand', 'public class Brand {}\n') });
    const report = await checkOverwrites(deps(), { targetEnv: 'Dev', sourcePaths: [pkg], retrievedAt });
    assert.deepEqual(report.flagged.map((f) => f.component), [{ type: 'ApexClass', fullName: 'Shared' }]);
    const flag = report.flagged[0];
    assert.equal(flag.lastModifiedByName, reviewer.name);
    assert.ok(Date.parse(flag.lastModifiedDate) > Date.parse(retrievedAt));
    assert.match(flag.message, new RegExp(`^ApexClass Shared was changed in Dev by ${reviewer.name} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, after the package was retrieved`));
    assert.deepEqual(report.newInTarget, [{ type: 'ApexClass', fullName: 'Brand' }]);
    assert.equal(report.checked, 2);
    assert.equal(report.sourceTracking, true, "the target's source tracking was read too");
    const tracked = await salesforce.trackedChanges(env.conns.dev, [{ type: 'ApexClass', fullName: 'Shared' }]);
    assert.equal(tracked?.[0]?.lastModifiedByName, reviewer.name, 'source tracking names the same user');

    const components = [
      { type: 'ApexClass', fullName: 'Brand' },
      { type: 'ApexClass', fullName: 'Shared' },
      { type: 'ApexClass', fullName: 'Untouched' },
    ];
    assert.throws(() => applyOverwriteChoices(components, report, {}), /Choose to overwrite or drop ApexClass Shared: it was changed in Dev after the package was retrieved/);
    const chosen = applyOverwriteChoices(components, report, { 'ApexClass:Shared': 'drop' });
    assert.deepEqual(chosen.dropped, [{ type: 'ApexClass', fullName: 'Shared' }]);
    const rest = await sourcePathsWithout(deps(), [pkg], chosen.dropped);
    const { result } = await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: rest }, { pollMs: 20 });
    assert.equal(result.success, true);
    assert.ok(dev.store.getComponent('ApexClass', 'Brand'));
    assert.ok(Object.values(dev.store.getComponent('ApexClass', 'Shared')!.files).some((b64) => Buffer.from(b64, 'base64').toString('utf8').includes('hotfix')), "the reviewer's fix is still there");
  });

  it('the dependency check finds a field a class uses that is neither in the package nor in the target (static scan when the org has no dependency data)', async () => {
    dev.faults.dependencyApiOff = true;
    assert.equal((await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [project(SAMPLE_PROJECT)] }, { pollMs: 20 })).result.success, true);
    const service = 'public with sharing class RatingService {\n    public static List<Property__c> rated() {\n        return [SELECT Id, Price__c, Rating__c FROM Property__c WHERE Rating__c > 3];\n    }\n}\n';
    const pkg = project(cls('RatingService', service));
    const report = await checkDependencies(deps(), { targetEnv: 'Dev', sourceEnv: 'Dev', sourcePaths: [pkg] });
    assert.deepEqual(report.missing.map((m) => `${m.ref.type} ${m.ref.fullName}`), ['CustomField Property__c.Rating__c']);
    const need = report.missing[0].neededBy[0];
    assert.deepEqual(need.from, { type: 'ApexClass', fullName: 'RatingService' });
    assert.equal(need.line, 3);
    assert.equal(report.orgDependencies, false);
    assert.match(report.basis, /^static scan only \(Dev does not answer MetadataComponentDependency\)/);
    assert.ok(report.references.some((r) => r.to.fullName === 'Property__c.Price__c'), 'fields the target has are references, not missing');
  });

  it('deploys a metadata-format zip (a stored package), with problems named by the paths inside the zip', async () => {
    const pkgXml = `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>ZipOk</members><members>ZipBroken</members><name>ApexClass</name></types><version>62.0</version></Package>\n`;
    const zip = writeZip([
      ['package.xml', Buffer.from(pkgXml)],
      ['classes/ZipOk.cls', Buffer.from('public class ZipOk {}\n')],
      ['classes/ZipOk.cls-meta.xml', Buffer.from(META)],
      ['classes/ZipBroken.cls', Buffer.from('public class ZipBroken {\n    Integer x = (1;\n}\n')],
      ['classes/ZipBroken.cls-meta.xml', Buffer.from(META)],
    ]);
    const failed = await runDeploy(deps(), { targetEnv: 'Dev', zip }, { pollMs: 20 });
    assert.equal(failed.result.success, false);
    assert.deepEqual(failed.problems.map((p) => [p.path, p.component.fullName]), [['classes/ZipBroken.cls', 'ZipBroken']]);
    assert.equal(dev.store.getComponent('ApexClass', 'ZipOk'), undefined, 'all or nothing');
    const ok = writeZip([
      ['package.xml', Buffer.from(pkgXml.replace('<members>ZipBroken</members>', ''))],
      ['classes/ZipOk.cls', Buffer.from('public class ZipOk {}\n')],
      ['classes/ZipOk.cls-meta.xml', Buffer.from(META)],
    ]);
    const done = await runDeploy(deps(), { targetEnv: 'Dev', zip: ok }, { pollMs: 20 });
    assert.equal(done.result.success, true, JSON.stringify(done.problems));
    assert.ok(dev.store.getComponent('ApexClass', 'ZipOk'));
  });
});
