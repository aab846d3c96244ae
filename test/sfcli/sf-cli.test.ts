/**
 * The official Salesforce CLI (`@salesforce/cli` from the npm registry, run with its own Node 22;
 * scripts/install-sf-cli.sh) against the org emulator, on the sample project the suite writes
 * itself (test/fixtures/sample-project.ts): login with an access token, org display, deploy,
 * validate with RunLocalTests, quick deploy, report, an async deploy cancelled, retrieve by
 * manifest, and the Tooling DeployRequest history — each answering as a production org would.
 *
 * Without the CLI install the suite is skipped with a message, except under CI, where it fails.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Emulator, type EmulatedOrg } from '../emulator';
import { FAILING_TEST_FILES, FAILING_TEST_NAME, SAMPLE_API_VERSION, SAMPLE_COUNTS, SAMPLE_PROJECT, writeProject } from '../fixtures/sample-project';
import { SF, SfHome, sf, sfInstalled, sfOk } from './sf';

type Json = Record<string, any>;
const ALIAS = 'emu-prod';

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://soap.sforce.com/2006/04/metadata">
    <types>
        <members>*</members>
        <name>ApexClass</name>
    </types>
    <types>
        <members>PropertyTrigger</members>
        <name>ApexTrigger</name>
    </types>
    <types>
        <members>Property__c</members>
        <name>CustomObject</name>
    </types>
    <types>
        <members>Property_Sold_Notice</members>
        <name>Flow</name>
    </types>
    <types>
        <members>propertyTile</members>
        <name>LightningComponentBundle</name>
    </types>
    <types>
        <members>Property_Manager</members>
        <name>PermissionSet</name>
    </types>
    <version>${SAMPLE_API_VERSION}</version>
</Package>
`;

describe('the official sf CLI against the org emulator (production org, sample project)', function () {
  this.timeout(180_000);
  let emu: Emulator;
  let prod: EmulatedOrg;
  let home: SfHome;
  let project: string;
  const run = (args: string[], env?: Record<string, string>) => sf<Json>(home, project, [...args, '--target-org', ALIAS], env);
  const ok = (args: string[], env?: Record<string, string>) => sfOk<Json>(home, project, [...args, '--target-org', ALIAS], env);
  /** Deploy ids in the order the org saw them, with what each was. */
  const deploys: Array<{ id: string; what: string }> = [];

  before(async function () {
    if (!sfInstalled()) {
      if (process.env.CI) throw new Error(`The sf CLI is not installed at ${SF}: run bash scripts/install-sf-cli.sh (CI must run this tier).`);
      console.log(`      sf CLI tier skipped: ${SF} is missing. Install it with: bash scripts/install-sf-cli.sh`);
      this.skip();
    }
    emu = await Emulator.start({ orgs: ['prod', 'dev'], settings: { jobStepMs: 40 } });
    prod = emu.org('prod');
    home = new SfHome();
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-sfcli-project-'));
    writeProject(project, SAMPLE_PROJECT);
  });
  after(async () => {
    await emu?.stop();
    home?.dispose();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('org login access-token, then org display: the org, its user and a connected status', async () => {
    const login = await sfOk<Json>(home, project, ['org', 'login', 'access-token', '--instance-url', prod.instanceUrl, '--no-prompt', '--alias', ALIAS], {
      SF_ACCESS_TOKEN: prod.admin.accessToken,
    });
    assert.equal(login.username, prod.admin.username);
    assert.equal(login.orgId, prod.store.identity.orgId);
    assert.equal(login.isSandbox, false);

    const display = await ok(['org', 'display']);
    assert.equal(display.id, prod.store.identity.orgId);
    assert.equal(display.username, prod.admin.username);
    assert.equal(display.connectedStatus, 'Connected');
    assert.equal(display.alias, ALIAS);
    assert.equal(display.instanceUrl.replace(/\/$/, ''), prod.instanceUrl);
    assert.ok(!JSON.stringify(display).includes(prod.admin.accessToken), 'the token is not printed');
  });

  it('project deploy start: every component deployed and, in production, the local tests run', async () => {
    const r = await ok(['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '5']);
    assert.match(r.id, /^0Af[0-9A-Za-z]{15}$/);
    assert.equal(r.status, 'Succeeded');
    assert.equal(r.checkOnly, false);
    assert.equal(r.numberComponentsTotal, SAMPLE_COUNTS.components);
    assert.equal(r.numberComponentsDeployed, SAMPLE_COUNTS.components);
    assert.equal(r.numberComponentErrors, 0);
    assert.equal(r.numberTestsTotal, SAMPLE_COUNTS.tests, 'production runs local tests for a package with Apex');
    assert.equal(r.numberTestsCompleted, SAMPLE_COUNTS.tests);
    assert.equal(r.numberTestErrors, 0);
    const types = new Set((r.files as Json[]).filter((f) => f.state === 'Created').map((f) => f.type));
    for (const t of ['ApexClass', 'ApexTrigger', 'LightningComponentBundle', 'CustomObject', 'CustomField', 'Flow', 'PermissionSet']) assert.ok(types.has(t), `${t} created`);
    assert.ok(prod.store.getComponent('Flow', 'Property_Sold_Notice'));
    const apex = (r.details.componentSuccesses as Json[]).filter((m) => m.componentType === 'ApexClass');
    assert.equal(apex.length, 5);
    for (const m of apex) assert.equal(m.id, prod.store.getComponent('ApexClass', m.fullName)?.id, `${m.fullName} has the org's id`);
    deploys.push({ id: r.id, what: 'deploy' });
  });

  it('project deploy validate --test-level RunLocalTests: check-only, the tests in the try/fail/catch style pass, nothing changes', async () => {
    const before = prod.store.getComponent('ApexClass', 'PropertyService')?.lastModifiedDate;
    const r = await ok(['project', 'deploy', 'validate', '--source-dir', 'force-app', '--test-level', 'RunLocalTests', '--wait', '5']);
    assert.equal(r.status, 'Succeeded');
    assert.equal(r.checkOnly, true);
    assert.equal(r.numberComponentsTotal, SAMPLE_COUNTS.components);
    assert.equal(r.numberTestsTotal, SAMPLE_COUNTS.tests);
    assert.equal(r.numberTestErrors, 0);
    const rtr = r.details.runTestResult as Json;
    assert.equal(Number(rtr.numTestsRun), SAMPLE_COUNTS.tests);
    assert.deepEqual([rtr.codeCoverageWarnings ?? []].flat(), []);
    assert.ok([rtr.successes].flat().some((s: Json) => s.methodName === 'refusesANonPositivePrice'));
    assert.equal(prod.store.getComponent('ApexClass', 'PropertyService')?.lastModifiedDate, before, 'a validation changes nothing');
    deploys.push({ id: r.id, what: 'validation' });
  });

  it('project deploy quick --job-id: a new deploy id, no tests rerun; the validation cannot be quick-deployed twice', async () => {
    const validation = deploys.find((d) => d.what === 'validation')!.id;
    const r = await ok(['project', 'deploy', 'quick', '--job-id', validation, '--wait', '5']);
    assert.notEqual(r.id, validation);
    assert.equal(r.status, 'Succeeded');
    assert.equal(r.checkOnly, false);
    assert.equal(r.numberComponentsDeployed, SAMPLE_COUNTS.components);
    assert.equal(r.numberTestsTotal, 0);
    deploys.push({ id: r.id, what: 'quick deploy' });

    const again = await run(['project', 'deploy', 'quick', '--job-id', validation, '--wait', '5']);
    assert.equal(again.exitCode, 1);
    assert.equal(again.name, 'CannotQuickDeployError', `${again.name}: ${again.message}`);
  });

  it('project deploy report --job-id: the quick deploy as the org recorded it', async () => {
    const quick = deploys.find((d) => d.what === 'quick deploy')!.id;
    const r = await ok(['project', 'deploy', 'report', '--job-id', quick]);
    assert.equal(r.id, quick);
    assert.equal(r.status, 'Succeeded');
    assert.equal(r.done, true);
    assert.equal(r.numberComponentsDeployed, SAMPLE_COUNTS.components);
  });

  it('project deploy start --async, then project deploy cancel: Canceled, nothing committed', async () => {
    // Hold the deploy in progress, as a long deploy in an org would be, until it is cancelled.
    prod.faults.holdDeploysAt = ['InProgress'];
    try {
      const lwcDir = path.join('force-app', 'main', 'default', 'lwc');
      fs.appendFileSync(path.join(project, lwcDir, 'propertyTile', 'propertyTile.js'), '// a change that must not reach the org\n');
      const started = await ok(['project', 'deploy', 'start', '--async', '--source-dir', lwcDir]);
      assert.match(started.id, /^0Af/);
      assert.equal(started.done, false);
      const cancel = await ok(['project', 'deploy', 'cancel', '--job-id', started.id, '--wait', '5']);
      assert.equal(cancel.id, started.id);
      assert.equal(cancel.status, 'Canceled');
      assert.equal(cancel.canceledBy, prod.admin.id);
      const js = prod.store.getComponent('LightningComponentBundle', 'propertyTile')!.files;
      assert.ok(!Object.values(js).some((t) => t.includes('must not reach the org')));
      deploys.push({ id: started.id, what: 'canceled' });
    } finally {
      prod.faults.holdDeploysAt = [];
    }
  });

  it('project retrieve start --manifest: every component of the manifest, into the project', async () => {
    fs.writeFileSync(path.join(project, 'package.xml'), MANIFEST);
    const cls = path.join(project, 'force-app/main/default/classes/PropertyService.cls');
    fs.rmSync(cls);
    fs.rmSync(`${cls}-meta.xml`);
    const r = await ok(['project', 'retrieve', 'start', '--manifest', 'package.xml', '--wait', '5']);
    assert.equal(r.status, 'Succeeded');
    assert.equal(r.success, true);
    const files = r.files as Json[];
    assert.ok(files.every((f) => f.state !== 'Failed'), JSON.stringify(files.filter((f) => f.state === 'Failed')));
    const components = new Set(files.map((f) => `${f.type}:${f.fullName}`));
    assert.equal(components.size, SAMPLE_COUNTS.components);
    assert.ok(fs.existsSync(cls), 'the deleted class is back from the org');
    assert.equal(fs.readFileSync(cls, 'utf8'), SAMPLE_PROJECT['force-app/main/default/classes/PropertyService.cls']);
  });

  it('data query --use-tooling-api over DeployRequest: every deployment with its status, kind and counts', async () => {
    const r = await ok([
      'data',
      'query',
      '--use-tooling-api',
      '--query',
      'SELECT Id, Status, CheckOnly, NumberComponentsTotal, NumberTestsTotal, NumberTestErrors, CanceledById, CreatedBy.Name FROM DeployRequest ORDER BY CreatedDate',
    ]);
    assert.equal(r.totalSize, deploys.length);
    const rows = r.records as Json[];
    assert.deepEqual(
      rows.map((x) => [x.Id, x.Status, x.CheckOnly, x.NumberTestsTotal]),
      deploys.map((d) => [
        d.id,
        d.what === 'canceled' ? 'Canceled' : 'Succeeded',
        d.what === 'validation',
        d.what === 'deploy' || d.what === 'validation' ? SAMPLE_COUNTS.tests : 0,
      ]),
    );
    assert.ok(rows.every((x) => x.CreatedBy.Name === prod.admin.name));
    assert.equal(rows.find((x) => x.Status === 'Canceled')?.CanceledById, prod.admin.id);
  });

  it('project deploy validate with a deliberately failing test: Failed, with its test failures', async () => {
    writeProject(project, FAILING_TEST_FILES);
    const r = await run(['project', 'deploy', 'validate', '--source-dir', 'force-app', '--test-level', 'RunLocalTests', '--wait', '5']);
    assert.equal(r.exitCode, 1);
    assert.equal(r.name, 'FailedValidationError');
    assert.match(String(r.message), new RegExp(`${FAILING_TEST_NAME}\\.findsWithoutData - System\\.ListException: List index out of bounds: 0`));
    assert.match(String(r.message), new RegExp(`${FAILING_TEST_NAME}\\.alwaysFails - System\\.AssertException: Assertion Failed: this test is broken on purpose`));
    const id = (r as Json).data?.deployId as string;
    assert.match(id, /^0Af/);

    const report = await run(['project', 'deploy', 'report', '--job-id', id]);
    const res = report.result;
    assert.equal(res.status, 'Failed');
    assert.equal(res.checkOnly, true);
    assert.equal(res.numberTestErrors, 2);
    assert.equal(res.numberTestsTotal, SAMPLE_COUNTS.tests + 3);
    const failures = [res.details.runTestResult.failures].flat() as Json[];
    assert.deepEqual(failures.map((f) => `${f.name}.${f.methodName}`).sort(), [`${FAILING_TEST_NAME}.alwaysFails`, `${FAILING_TEST_NAME}.findsWithoutData`]);
  });

  it('project deploy start to a sandbox with source tracking: the SourceMember rows sf waits for are there, and nothing is left to deploy', async () => {
    const dev = emu.org('dev');
    await sfOk<Json>(home, project, ['org', 'login', 'access-token', '--instance-url', dev.instanceUrl, '--no-prompt', '--alias', 'emu-dev'], {
      SF_ACCESS_TOKEN: dev.admin.accessToken,
    });
    const r = await sf<Json>(home, project, ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'emu-dev', '--wait', '5']);
    assert.equal(r.exitCode, 0, `${r.name}: ${r.message}`);
    assert.equal(r.result.status, 'Succeeded');
    assert.equal(r.result.numberTestsTotal, 0, 'a sandbox runs no tests by default');
    // Before the emulator kept a row per LWC file, sf polled for them until it gave up with a warning.
    assert.deepEqual(r.warnings, []);
    const preview = await sfOk<Json>(home, project, ['project', 'deploy', 'preview', '--target-org', 'emu-dev']);
    assert.deepEqual(preview.toDeploy, []);
    assert.deepEqual(preview.conflicts, []);
  });
});
