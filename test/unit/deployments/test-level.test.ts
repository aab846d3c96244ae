import * as assert from 'node:assert/strict';
import { checkTestLevel, isApexClassName, resolveTestLevel } from '../../../src/core/deployments';
import { env, refused } from './fixtures';

const APEX = [{ type: 'ApexClass', fullName: 'Greeter' }, { type: 'CustomField', fullName: 'Account.Greeting__c' }];
const NO_APEX = [{ type: 'CustomField', fullName: 'Account.Greeting__c' }, { type: 'Layout', fullName: 'Account-Account Layout' }];

describe('deployments: test levels', () => {
  it('the record\'s level wins, then the environment\'s default, then Salesforce\'s', () => {
    assert.deepEqual(resolveTestLevel('RunAllTestsInOrg', env('UAT'), APEX), { level: 'RunAllTestsInOrg', source: 'record' });
    assert.deepEqual(resolveTestLevel(undefined, env('UAT'), APEX), { level: 'RunLocalTests', source: 'environment' });
    assert.deepEqual(resolveTestLevel(undefined, env('Production'), APEX), { level: 'RunLocalTests', source: 'salesforce default' });
    assert.deepEqual(resolveTestLevel(undefined, env('Production'), NO_APEX), { level: 'NoTestRun', source: 'salesforce default' });
    assert.deepEqual(resolveTestLevel(undefined, env('Dev2'), APEX), { level: 'NoTestRun', source: 'salesforce default' });
  });

  it('production refuses NoTestRun when the package holds Apex, naming the Apex', () => {
    refused(
      checkTestLevel({ testLevel: 'NoTestRun', runTests: [], target: env('Production'), components: APEX }),
      /Production is production and the package holds Apex \(ApexClass Greeter\), so Salesforce runs tests: NoTestRun is refused there\. Choose RunLocalTests, RunSpecifiedTests or RunAllTestsInOrg/,
    );
    const many = ['A', 'B', 'C', 'D', 'E'].map((n) => ({ type: n === 'E' ? 'ApexTrigger' : 'ApexClass', fullName: n }));
    refused(checkTestLevel({ testLevel: 'NoTestRun', runTests: [], target: env('Production'), components: many }), /ApexClass A, ApexClass B, ApexClass C and 2 more/);
  });

  it('production takes NoTestRun without Apex; sandboxes take it with Apex', () => {
    assert.ok(checkTestLevel({ testLevel: 'NoTestRun', runTests: [], target: env('Production'), components: NO_APEX }).ok);
    assert.ok(checkTestLevel({ testLevel: 'NoTestRun', runTests: [], target: env('UAT'), components: APEX }).ok);
  });

  it('an environment default of NoTestRun toward production is refused and says where it came from', () => {
    const prod = { ...env('Production'), testLevel: 'NoTestRun' as const };
    refused(checkTestLevel({ runTests: [], target: prod, components: APEX }), /NoTestRun \(Production's default in the pipeline file\) is refused there/);
  });

  it('RunSpecifiedTests needs valid class names, and class names need RunSpecifiedTests', () => {
    refused(checkTestLevel({ testLevel: 'RunSpecifiedTests', runTests: [], target: env('UAT'), components: APEX }), /RunSpecifiedTests needs the test classes to run; name at least one/);
    refused(
      checkTestLevel({ testLevel: 'RunSpecifiedTests', runTests: ['GreeterTest', 'Bad Name', '9Lives'], target: env('UAT'), components: APEX }),
      /"Bad Name", "9Lives" are not Apex class names/,
    );
    refused(checkTestLevel({ testLevel: 'RunSpecifiedTests', runTests: ['GreeterTest', 'greetertest'], target: env('UAT'), components: APEX }), /Test class greetertest is listed twice/);
    refused(
      checkTestLevel({ testLevel: 'RunLocalTests', runTests: ['GreeterTest'], target: env('UAT'), components: APEX }),
      /Test classes \(GreeterTest\) only run with RunSpecifiedTests, and the test level is RunLocalTests; choose RunSpecifiedTests or clear the test classes/,
    );
    refused(checkTestLevel({ runTests: ['GreeterTest'], target: env('UAT'), components: APEX }), /the test level is RunLocalTests \(UAT's default in the pipeline file\)/);
    assert.ok(checkTestLevel({ testLevel: 'RunSpecifiedTests', runTests: ['GreeterTest', 'ns.Other_Test'], target: env('Production'), components: APEX }).ok);
  });

  it('knows an Apex class name', () => {
    for (const ok of ['GreeterTest', 'A', 'My_Test_1', 'ns.MyTest']) assert.ok(isApexClassName(ok), ok);
    for (const bad of ['', '1A', 'A__B', 'A_', 'a.b.c', 'A-B', 'x'.repeat(41)]) assert.ok(!isApexClassName(bad), bad);
  });
});
