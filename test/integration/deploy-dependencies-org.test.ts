/**
 * Check Dependencies with the source org's Tooling MetadataComponentDependency (the emulator
 * computes it from what it stores) and, when the org does not answer it, the static scan.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SILENT_LOG } from '../../src/core/log-sink';
import type { Environment } from '../../src/core/pipeline';
import * as salesforce from '../../src/salesforce';
import { checkDependencies } from '../../src/workflows/deploy/dependencies';
import { runDeploy } from '../../src/workflows/deploy/run';
import { OrgSessions } from '../../src/workflows/sessions';
import type { WorkflowDeps } from '../../src/workflows/types';
import type { EmulatedOrg } from '../emulator';
import { SAMPLE_PROJECT, writeProject } from '../fixtures/sample-project';
import { startEmulator, type StartedEmulator } from './helpers/emulator';

const D = 'force-app/main/default';
const META = `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`;
const RATING = `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Rating__c</fullName>
    <label>Rating</label>
    <precision>2</precision>
    <scale>0</scale>
    <type>Number</type>
</CustomField>
`;
const SERVICE = 'public with sharing class RatingService {\n    public static List<Property__c> rated() {\n        return [SELECT Id, Price__c, Rating__c FROM Property__c WHERE Rating__c > 3];\n    }\n}\n';
const BADGE = 'public class RatingBadge {\n    public static Integer count() { return RatingService.rated().size(); }\n}\n';
const BADGE_FILES = { [`${D}/classes/RatingBadge.cls`]: BADGE, [`${D}/classes/RatingBadge.cls-meta.xml`]: META };
const SERVICE_FILES = { [`${D}/classes/RatingService.cls`]: SERVICE, [`${D}/classes/RatingService.cls-meta.xml`]: META };

describe('Check Dependencies: the source org’s MetadataComponentDependency, else the static scan', function () {
  this.timeout(120_000);
  let env: StartedEmulator;
  let dev: EmulatedOrg;
  let tmp: string;
  let pkg: string;
  const environments: Environment[] = [
    { name: 'Dev', org: 'dd-dev', role: 'development' },
    { name: 'QA', org: 'dd-qa', role: 'integration' },
  ];
  const deps = (): WorkflowDeps => ({
    sessions: new OrgSessions({ environment: (name) => environments.find((e) => e.name === name) }, async () => salesforce),
    salesforce: async () => salesforce,
    log: SILENT_LOG,
  });
  const project = (files: Record<string, string>): string => {
    const root = fs.mkdtempSync(path.join(tmp, 'p-'));
    writeProject(root, files);
    return path.join(root, 'force-app');
  };

  before(async () => {
    env = await startEmulator({ orgs: ['dev', 'qa'], aliasPrefix: 'dd-' });
    dev = env.org('dev');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'changeline-deps-org-'));
    // Dev has the class and the field it reads; QA has the sample without that field.
    const inDev = { ...SAMPLE_PROJECT, [`${D}/objects/Property__c/fields/Rating__c.field-meta.xml`]: RATING, ...SERVICE_FILES, ...BADGE_FILES };
    assert.equal((await runDeploy(deps(), { targetEnv: 'Dev', sourcePaths: [project(inDev)] }, { pollMs: 20 })).result.success, true);
    assert.equal((await runDeploy(deps(), { targetEnv: 'QA', sourcePaths: [project(SAMPLE_PROJECT)] }, { pollMs: 20 })).result.success, true);
    // The package holds the class only.
    pkg = project(SERVICE_FILES);
  });
  after(async () => {
    await env?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  afterEach(() => dev.faults.clear());

  it('Dev answers: the missing field is reported from its dependency data, named with its object, and the report says so', async () => {
    const rows = await salesforce.componentDependencies(env.conns.dev, [{ type: 'ApexClass', fullName: 'RatingService' }]);
    assert.ok(rows, 'Dev answers MetadataComponentDependency');
    assert.deepEqual(
      rows.map((r) => `${r.refMetadataComponentType} ${r.refMetadataComponentName}`).sort(),
      ['CustomField Property__c.Price__c', 'CustomField Property__c.Rating__c', 'CustomObject Property__c'],
    );

    const report = await checkDependencies(deps(), { targetEnv: 'QA', sourceEnv: 'Dev', sourcePaths: [pkg] });
    assert.equal(report.orgDependencies, true);
    assert.match(report.basis, /Dev's dependency data/);
    assert.deepEqual(report.missing.map((m) => `${m.ref.type} ${m.ref.fullName}`), ['CustomField Property__c.Rating__c']);
    const need = report.missing[0].neededBy[0];
    assert.deepEqual(need.from, { type: 'ApexClass', fullName: 'RatingService' });
    assert.ok(need.sources.includes('org dependencies'), `sources: ${need.sources.join(', ')}`);
  });

  it('a batch of components over the row cap is asked again in halves: every row is read, none is lost', async () => {
    // RatingService has 3 rows, RatingBadge 1: together over a cap of 3, each alone under it.
    dev.faults.dependencyRowCap = 3;
    const refs = [
      { type: 'ApexClass', fullName: 'RatingService' },
      { type: 'ApexClass', fullName: 'RatingBadge' },
    ];
    const rows = await salesforce.componentDependencies(env.conns.dev, refs);
    assert.ok(rows, 'Dev answered');
    assert.deepEqual(
      rows.map((r) => `${r.metadataComponentName} > ${r.refMetadataComponentName}`).sort(),
      ['RatingBadge > RatingService', 'RatingService > Property__c', 'RatingService > Property__c.Price__c', 'RatingService > Property__c.Rating__c'],
    );
    const report = await checkDependencies(deps(), { targetEnv: 'QA', sourceEnv: 'Dev', sourcePaths: [project({ ...SERVICE_FILES, ...BADGE_FILES })] });
    assert.equal(report.orgDependencies, true);
    assert.deepEqual(report.missing.map((m) => `${m.ref.type} ${m.ref.fullName}`), ['CustomField Property__c.Rating__c']);
  });

  it('one component over the cap: the static scan is used and the report says the dependency data could not be read', async () => {
    dev.faults.dependencyRowCap = 2;
    const report = await checkDependencies(deps(), { targetEnv: 'QA', sourceEnv: 'Dev', sourcePaths: [pkg] });
    assert.equal(report.orgDependencies, false);
    assert.match(report.basis, /^static scan only \(Dev's dependency data could not be read: .*No more than 2 records/);
    assert.deepEqual(report.missing.map((m) => `${m.ref.type} ${m.ref.fullName}`), ['CustomField Property__c.Rating__c']);
  });

  it('Dev does not answer (INVALID_TYPE): the static scan reports the same missing field, and the report says static scan only', async () => {
    dev.faults.dependencyApiOff = true;
    assert.equal(await salesforce.componentDependencies(env.conns.dev, [{ type: 'ApexClass', fullName: 'RatingService' }]), undefined);

    const report = await checkDependencies(deps(), { targetEnv: 'QA', sourceEnv: 'Dev', sourcePaths: [pkg] });
    assert.equal(report.orgDependencies, false);
    assert.match(report.basis, /^static scan only \(Dev does not answer MetadataComponentDependency\)/);
    assert.deepEqual(report.missing.map((m) => `${m.ref.type} ${m.ref.fullName}`), ['CustomField Property__c.Rating__c']);
    assert.deepEqual(report.missing[0].neededBy[0].sources, ['static scan']);
    assert.equal(report.missing[0].neededBy[0].line, 3);
  });
});
