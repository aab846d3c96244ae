/**
 * Apex tests in the emulated production org, driven by the real SDR: the sample project
 * (test/fixtures/sample-project.ts, tests in the try/fail/catch style) validates with
 * RunLocalTests and quick-deploys; the deliberately failing fixture fails the validation with its
 * two failures; RunSpecifiedTests that leave part of the package uncovered fail the 75 % rule.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Connection } from '@salesforce/core';
import { ComponentSet, MetadataApiDeploy, type DeployResult } from '@salesforce/source-deploy-retrieve';
import { Emulator, type EmulatedOrg } from '../emulator';
import { FAILING_TEST_FILES, FAILING_TEST_NAME, SAMPLE_COUNTS, SAMPLE_PROJECT, writeProject } from '../fixtures/sample-project';
import { poll } from './helpers/metadata-deploy';
import { rawConnection } from './helpers/raw-connection';

describe('emulator Apex tests on the sample project (production org)', function () {
  this.timeout(60000);
  let emu: Emulator;
  let prod: EmulatedOrg;
  let conn: Connection;
  const dirs: string[] = [];

  before(async () => {
    emu = await Emulator.start({ orgs: ['prod'], settings: { jobStepMs: 20 } });
    prod = emu.org('prod');
    conn = await rawConnection(prod);
  });
  after(async () => {
    await emu?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  beforeEach(() => emu.reset());

  async function deploy(files: Readonly<Record<string, string>>, apiOptions: Record<string, unknown>): Promise<DeployResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-sample-'));
    dirs.push(dir);
    writeProject(dir, files);
    const cs = ComponentSet.fromSource(path.join(dir, 'force-app'));
    cs.sourceApiVersion = '62.0';
    const op = await cs.deploy({ usernameOrConnection: conn, apiOptions });
    return op.pollStatus(poll);
  }

  it('validates with RunLocalTests: every test passes, coverage meets the rule, and the validation quick-deploys', async () => {
    const v = await deploy(SAMPLE_PROJECT, { checkOnly: true, testLevel: 'RunLocalTests' });
    assert.equal(v.response.status, 'Succeeded', JSON.stringify(v.response.details.runTestResult?.failures));
    assert.equal(v.response.numberComponentsTotal, SAMPLE_COUNTS.components);
    assert.equal(v.response.numberTestsTotal, SAMPLE_COUNTS.tests);
    assert.equal(v.response.numberTestsCompleted, SAMPLE_COUNTS.tests);
    assert.equal(v.response.numberTestErrors, 0);
    const rtr = v.response.details.runTestResult!;
    assert.deepEqual([rtr.codeCoverageWarnings ?? []].flat(), []);
    assert.deepEqual([rtr.codeCoverage ?? []].flat().map((c) => c.name).sort(), SAMPLE_COUNTS.covered);
    assert.equal(prod.store.getComponent('ApexClass', 'PropertyService'), undefined, 'a validation saves nothing');

    const quickId = await new MetadataApiDeploy({ usernameOrConnection: conn, id: v.response.id }).deployRecentValidation();
    const quick = await new MetadataApiDeploy({ usernameOrConnection: conn, id: quickId }).pollStatus(poll);
    assert.equal(quick.response.status, 'Succeeded');
    assert.equal(quick.response.numberTestsTotal, 0, 'a quick deploy runs no tests');
    assert.ok(prod.store.getComponent('ApexClass', 'PropertyService'));
    assert.ok(prod.store.getComponent('Flow', 'Property_Sold_Notice'));
  });

  it('fails a validation that holds the deliberately failing test, with its failures, and saves nothing', async () => {
    const v = await deploy({ ...SAMPLE_PROJECT, ...FAILING_TEST_FILES }, { checkOnly: true, testLevel: 'RunLocalTests' });
    assert.equal(v.response.status, 'Failed');
    assert.equal(v.response.numberTestsTotal, SAMPLE_COUNTS.tests + 3);
    assert.equal(v.response.numberTestErrors, 2);
    const fails = [v.response.details.runTestResult?.failures ?? []].flat();
    assert.deepEqual(fails.map((f) => `${f.name}.${f.methodName}: ${f.message}`).sort(), [
      `${FAILING_TEST_NAME}.alwaysFails: System.AssertException: Assertion Failed: this test is broken on purpose`,
      `${FAILING_TEST_NAME}.findsWithoutData: System.ListException: List index out of bounds: 0`,
    ]);
    await assert.rejects(new MetadataApiDeploy({ usernameOrConnection: conn, id: v.response.id }).deployRecentValidation(), /INVALID_ID_FIELD/);
  });

  it('fails RunSpecifiedTests whose tests leave deployed classes under 75 %, naming them', async () => {
    const v = await deploy(SAMPLE_PROJECT, { checkOnly: true, testLevel: 'RunSpecifiedTests', runTests: ['PropertyTriggerTest'] });
    assert.equal(v.response.status, 'Failed');
    assert.equal(v.response.numberTestErrors, 0);
    assert.equal(v.response.numberTestsTotal, 2);
    const warnings = [v.response.details.runTestResult?.codeCoverageWarnings ?? []].flat();
    assert.deepEqual(warnings.map((w) => `${String((w as { name?: unknown }).name)}: ${w.message}`).sort(), [
      'PropertySelector: Test coverage of selected Apex Class is 0%, at least 75% test coverage is required',
      'PropertyService: Test coverage of selected Apex Class is 0%, at least 75% test coverage is required',
    ]);
  });

  it("reports the ids of the components it deployed and of the test classes and covered code, as the org's", async () => {
    const d = await deploy(SAMPLE_PROJECT, { testLevel: 'RunLocalTests' });
    assert.equal(d.response.status, 'Succeeded');
    const successes = [d.response.details.componentSuccesses ?? []].flat();
    const service = successes.find((m) => m.componentType === 'ApexClass' && m.fullName === 'PropertyService');
    assert.equal(service?.id, prod.store.getComponent('ApexClass', 'PropertyService')?.id);
    assert.match(String(service?.id), /^01p/);
    const rtr = d.response.details.runTestResult!;
    for (const s of [rtr.successes ?? []].flat()) assert.equal(s.id, prod.store.getComponent('ApexClass', s.name)?.id, `${s.name}.${s.methodName}`);
    const trigger = [rtr.codeCoverage ?? []].flat().find((c) => c.name === 'PropertyTrigger');
    assert.equal(trigger?.id, prod.store.getComponent('ApexTrigger', 'PropertyTrigger')?.id);
    assert.match(String(trigger?.id), /^01q/);
  });
});
