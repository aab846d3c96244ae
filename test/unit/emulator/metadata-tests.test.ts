import { strict as assert } from 'node:assert';
import { effectiveTestLevel, runTests, selectTests, type ApexUnit } from '../../emulator/metadata/test-runner';

const unit = (name: string, source: string, inPackage = false, kind: ApexUnit['kind'] = 'class'): ApexUnit => ({ name, kind, source, id: `01p${name}`, inPackage });
const svc = unit('Calc', 'public class Calc {\n    public static Integer add(Integer a, Integer b) {\n        return a + b;\n    }\n}\n', true);
const good = unit('CalcTest', '@isTest\nprivate class CalcTest {\n    @isTest static void adds() {\n        System.assertEquals(3, Calc.add(1, 2));\n    }\n}\n');
const bad = unit('BadTest', "@isTest\nprivate class BadTest {\n    @isTest static void fails() {\n        Assert.fail('no');\n    }\n}\n");
const lonely = unit('Lonely', 'public class Lonely {\n    public void x() {\n        return;\n    }\n}\n', true);
const trigger = unit('InvoiceTrigger', 'trigger InvoiceTrigger on Invoice__c (before insert) {\n    for (Invoice__c i : Trigger.new) {\n        i.Name = i.Name.trim();\n    }\n}\n', true, 'trigger');
const invoiceTest = unit('InvoiceTest', "@isTest\nprivate class InvoiceTest {\n    @isTest static void inserts() {\n        insert new Invoice__c(Name = ' a ');\n        System.assertEquals(3, Calc.add(1, 2));\n    }\n}\n");

describe('emulator apex test runner', () => {
  it('defaults to RunLocalTests only in production with Apex in the package', () => {
    assert.equal(effectiveTestLevel(undefined, false, true), 'RunLocalTests');
    assert.equal(effectiveTestLevel(undefined, false, false), 'NoTestRun');
    assert.equal(effectiveTestLevel(undefined, true, true), 'NoTestRun');
    assert.equal(effectiveTestLevel('RunAllTestsInOrg', true, false), 'RunAllTestsInOrg');
  });

  it('selects tests per level', () => {
    const units = [svc, good, bad];
    assert.equal(selectTests('NoTestRun', units, []).total, 0);
    assert.deepEqual(selectTests('RunLocalTests', units, []).classes.map((c) => c.name), ['BadTest', 'CalcTest']);
    const specified = selectTests('RunSpecifiedTests', units, ['CalcTest', 'Nope']);
    assert.deepEqual(specified.classes.map((c) => c.name), ['CalcTest']);
    assert.deepEqual(specified.missing, ['Nope']);
    assert.equal(specified.total, 2);
  });

  it('reports successes, failures with stack traces, and coverage of what the tests touch', () => {
    const units = [svc, good, bad, lonely];
    const { result: r } = runTests(selectTests('RunLocalTests', units, []), units);
    assert.equal(r.numTestsRun, 2);
    assert.equal(r.numFailures, 1);
    assert.deepEqual(r.successes.map((s) => `${s.name}.${s.methodName}`), ['CalcTest.adds']);
    assert.equal(r.failures[0].stackTrace, 'Class.BadTest.fails: line 4, column 9');
    assert.equal(r.failures[0].type, 'Class');
    const calc = r.codeCoverage.find((c) => c.name === 'Calc')!;
    assert.ok((calc.numLocationsNotCovered as number) < (calc.numLocations as number));
    assert.ok((calc.numLocationsNotCovered as number) <= (calc.numLocations as number) * 0.2, 'a covered class is at 80 % or more');
    const alone = r.codeCoverage.find((c) => c.name === 'Lonely')!;
    assert.equal(alone.numLocationsNotCovered, alone.numLocations);
    assert.deepEqual(r.codeCoverageWarnings.map((w) => w.name), ['Lonely', undefined]);
  });

  it('RunSpecifiedTests: each class and trigger of the package must reach 75 % on its own', () => {
    const units = [svc, good, lonely];
    const run = runTests(selectTests('RunSpecifiedTests', units, ['CalcTest']), units);
    assert.equal(run.coverageMet, false, 'Lonely is in the package and untested');
    assert.deepEqual(run.result.codeCoverageWarnings.map((w) => w.message), ['Test coverage of selected Apex Class is 0%, at least 75% test coverage is required']);
    const covered = [svc, good];
    assert.equal(runTests(selectTests('RunSpecifiedTests', covered, ['CalcTest']), covered).coverageMet, true);
  });

  it('RunLocalTests: 75 % over the whole org, and every trigger of the package covered by a test that touches its object', () => {
    // Calc is covered, Lonely (5 lines' worth of nothing) is not: the org's average decides.
    const lowOrg = [svc, good, lonely, unit('Other', 'public class Other {\n    public void a() {\n        return;\n    }\n    public void b() {\n        return;\n    }\n}\n')];
    const low = runTests(selectTests('RunLocalTests', lowOrg, []), lowOrg);
    assert.equal(low.coverageMet, false);
    assert.ok(low.orgWideCoverage < 75);
    assert.match(String(low.result.codeCoverageWarnings.at(-1)?.message), /^Average test coverage across all Apex Classes and Triggers is \d+%, at least 75% test coverage is required\.$/);

    const untouched = [svc, good, trigger];
    const noTrigger = runTests(selectTests('RunLocalTests', untouched, []), untouched);
    assert.equal(noTrigger.coverageMet, false);
    assert.ok(noTrigger.result.codeCoverageWarnings.some((w) => w.message === 'Test coverage of selected Apex Trigger is 0%, at least 1% test coverage is required'));

    const touched = [svc, invoiceTest, trigger];
    const ok = runTests(selectTests('RunLocalTests', touched, []), touched);
    assert.equal(ok.coverageMet, true, JSON.stringify(ok.result.codeCoverageWarnings));
    assert.ok(ok.orgWideCoverage >= 75);
    assert.ok(ok.result.codeCoverage.some((c) => c.name === 'InvoiceTrigger' && c.type === 'Trigger' && (c.numLocationsNotCovered as number) < (c.numLocations as number)));
  });
});
