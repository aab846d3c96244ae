import { strict as assert } from 'node:assert';
import { effectiveTestLevel, runTests, selectTests, type ApexUnit } from '../../emulator/metadata/test-runner';

const unit = (name: string, source: string, inPackage = false): ApexUnit => ({ name, kind: 'class', source, id: `01p${name}`, inPackage });
const svc = unit('Calc', 'public class Calc {\n    public static Integer add(Integer a, Integer b) {\n        return a + b;\n    }\n}\n', true);
const good = unit('CalcTest', '@isTest\nprivate class CalcTest {\n    @isTest static void adds() {\n        System.assertEquals(3, Calc.add(1, 2));\n    }\n}\n');
const bad = unit('BadTest', "@isTest\nprivate class BadTest {\n    @isTest static void fails() {\n        Assert.fail('no');\n    }\n}\n");
const lonely = unit('Lonely', 'public class Lonely {\n    public void x() {\n        return;\n    }\n}\n', true);

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
    const r = runTests(selectTests('RunLocalTests', units, []), units);
    assert.equal(r.numTestsRun, 2);
    assert.equal(r.numFailures, 1);
    assert.deepEqual(r.successes.map((s) => `${s.name}.${s.methodName}`), ['CalcTest.adds']);
    assert.equal(r.failures[0].stackTrace, 'Class.BadTest.fails: line 4, column 9');
    assert.equal(r.failures[0].type, 'Class');
    const calc = r.codeCoverage.find((c) => c.name === 'Calc')!;
    assert.ok((calc.numLocationsNotCovered as number) < (calc.numLocations as number));
    const alone = r.codeCoverage.find((c) => c.name === 'Lonely')!;
    assert.equal(alone.numLocationsNotCovered, alone.numLocations);
    assert.deepEqual(r.codeCoverageWarnings.map((w) => w.name), ['Lonely']);
  });
});
