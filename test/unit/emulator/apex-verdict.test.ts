import { strict as assert } from 'node:assert';
import { findTests } from '../../emulator/metadata/apex';
import { runTests, selectTests, type ApexUnit } from '../../emulator/metadata/test-runner';
import { FAILING_TEST_FILES, FAILING_TEST_NAME, SAMPLE_COUNTS, SAMPLE_PROJECT, sampleApex } from '../../fixtures/sample-project';

/** The verdict of each test method of a class: [name, failure message or null]. */
function verdicts(src: string): Array<[string, string | null]> {
  const t = findTests('T', src);
  assert.ok(t, 'a test class');
  return t.methods.map((m) => [m.name, m.failure?.message ?? null]);
}

const cls = (...methods: string[]) => `@isTest\nprivate class T {\n${methods.join('\n')}\n}\n`;

describe('emulator Apex test verdict', () => {
  it('passes the try { …; Assert.fail(…); } catch (…) { … } pattern and assertions in any block', () => {
    const src = cls(
      '    @isTest static void refusesBlank() {',
      '        try {',
      "            Greeter.hello('');",
      "            Assert.fail('Expected an exception');",
      '        } catch (IllegalArgumentException e) {',
      "            Assert.isTrue(e.getMessage().contains('required'));",
      '        }',
      '    }',
      '    @isTest static void legacyTry() {',
      "        try { Greeter.hello(null); System.assert(false, 'should have thrown'); } catch (Exception e) { System.assertEquals('x', 'x'); }",
      '    }',
      '    @isTest static void guarded() {',
      "        if (Greeter.flag) Assert.fail('unreachable');",
      "        for (Integer i = 0; i < 0; i++) { Assert.fail('never'); }",
      "        System.runAs(new User()) { Assert.fail('inside runAs'); }",
      '    }',
      '    @isTest static void afterReturn() {',
      '        if (Greeter.flag) { return; }',
      "        Assert.fail('only when flag is false');",
      '    }',
    );
    assert.deepEqual(verdicts(src), [
      ['refusesBlank', null],
      ['legacyTry', null],
      ['guarded', null],
      ['afterReturn', null],
    ]);
  });

  it('fails an assertion that cannot hold at the top level of the method, with Salesforce-style messages and its line', () => {
    const src = cls(
      "    @isTest static void fails() { Test.startTest(); Assert.fail('boom'); Test.stopTest(); }",
      '    @isTest static void bare() {\n        Assert.fail();\n    }',
      "    @isTest static void falseAssert() {\n        System.assert(false, 'nope');\n    }",
      "    @isTest static void unequal() {\n        System.assertEquals(1, 2, 'sum');\n    }",
      "    @isTest static void unequalStrings() {\n        Assert.areEqual('a', 'b');\n    }",
      '    @isTest static void same() {\n        System.assertNotEquals(3, 3);\n    }',
      "    @isTest static void isFalse() {\n        Assert.isFalse(true, 'flag');\n    }",
      "    @isTest static void equalLiterals() {\n        System.assertEquals(1, 1.0); Assert.areEqual('x', 'x'); Assert.isTrue(true); Assert.isNull(null);\n    }",
      '    @isTest static void notLiterals() {\n        System.assertEquals(1, Calc.one()); Assert.isTrue(Calc.ok());\n    }',
    );
    assert.deepEqual(verdicts(src), [
      ['fails', 'System.AssertException: Assertion Failed: boom'],
      ['bare', 'System.AssertException: Assertion Failed'],
      ['falseAssert', 'System.AssertException: Assertion Failed: nope'],
      ['unequal', 'System.AssertException: Assertion Failed: sum: Expected: 1, Actual: 2'],
      ['unequalStrings', 'System.AssertException: Assertion Failed: Expected: a, Actual: b'],
      ['same', 'System.AssertException: Assertion Failed: Same value: 3'],
      ['isFalse', 'System.AssertException: Assertion Failed: flag'],
      ['equalLiterals', null],
      ['notLiterals', null],
    ]);
    const t = findTests('T', src)!;
    assert.equal(t.methods[1].failure?.line, 5);
    assert.equal(t.methods[1].failure?.column, 9);
  });

  it("fails a method marked // emulator: fail, wherever the marker is in its body, and ignores it in strings", () => {
    const src = cls(
      '    @isTest static void marked() {',
      '        try {',
      '            Calc.run(); // emulator: fail "the total is off by one"',
      '        } catch (Exception e) {}',
      '    }',
      '    @isTest static void npe() {',
      '        // emulator: fail "System.NullPointerException: Attempt to de-reference a null object"',
      '        Calc.run();',
      '    }',
      '    @isTest static void plain() {',
      '        // emulator: fail',
      '    }',
      '    @isTest static void inString() {',
      "        String s = '// emulator: fail \"not a marker\"';",
      '    }',
    );
    assert.deepEqual(verdicts(src), [
      ['marked', 'System.AssertException: Assertion Failed: the total is off by one'],
      ['npe', 'System.NullPointerException: Attempt to de-reference a null object'],
      ['plain', 'System.AssertException: Assertion Failed'],
      ['inString', null],
    ]);
    assert.equal(findTests('T', src)!.methods[0].failure?.line, 5, 'the statement the marker ends');
    assert.deepEqual([findTests('T', src)!.methods[1].failure?.line, findTests('T', src)!.methods[1].failure?.column], [10, 9], 'the statement after a marker on its own line');
  });

  it('finds @isTest and testMethod methods but not @testSetup ones or helpers, and no tests in a plain class', () => {
    const src = [
      '@IsTest(SeeAllData=false)',
      'private class T {',
      '    @TestSetup',
      "    static void setup() { Assert.fail('setup is not a test'); }",
      '    static testMethod void legacy() { System.assert(true); }',
      '    @IsTest(isParallel=true)',
      '    static void modern() {}',
      '    static void helper() { Assert.fail(); }',
      '}',
    ].join('\n');
    assert.deepEqual(verdicts(src), [
      ['legacy', null],
      ['modern', null],
    ]);
    assert.equal(findTests('Calc', 'public class Calc {\n    public static Integer one() { return 1; }\n}\n'), undefined);
    // An @isTest class with only a setup method is a test class with no tests.
    assert.deepEqual(findTests('S', '@isTest\nprivate class S {\n    @testSetup static void make() {}\n}\n')?.methods, []);
  });
});

describe('emulator Apex tests on a sample project written as real teams write it', () => {
  const units = (files = SAMPLE_PROJECT): ApexUnit[] =>
    sampleApex(files).map((a) => ({ ...a, id: `01p${a.name}`, inPackage: true }));

  it('passes every test of the sample (try/fail/catch, @testSetup, testMethod) with plausible coverage per class and org-wide', () => {
    const all = units();
    const run = runTests(selectTests('RunLocalTests', all, []), all);
    assert.equal(run.result.numTestsRun, SAMPLE_COUNTS.tests);
    assert.equal(run.result.numFailures, 0, JSON.stringify(run.result.failures));
    assert.deepEqual([...new Set(run.result.successes.map((s) => s.name))], SAMPLE_COUNTS.testClasses);
    assert.ok(!run.result.successes.some((s) => s.methodName === 'makeProperties'), '@testSetup is not a test');
    // Each non-test unit is reached (the selector only through the service, the handler through the trigger).
    assert.deepEqual(run.result.codeCoverage.map((c) => c.name).sort(), SAMPLE_COUNTS.covered);
    for (const c of run.result.codeCoverage) {
      const pct = (100 * ((c.numLocations as number) - (c.numLocationsNotCovered as number))) / (c.numLocations as number);
      assert.ok(pct >= 75 && pct <= 100, `${c.name} at ${pct}%`);
    }
    assert.ok(run.orgWideCoverage >= 75 && run.orgWideCoverage <= 100, `org-wide ${run.orgWideCoverage}%`);
    assert.equal(run.coverageMet, true);
    assert.deepEqual(run.result.codeCoverageWarnings, []);
  });

  it('RunSpecifiedTests with a test that reaches only part of the package fails the 75 % rule for the rest', () => {
    const all = units();
    const partial = runTests(selectTests('RunSpecifiedTests', all, ['PropertyTriggerTest']), all);
    assert.equal(partial.result.numFailures, 0);
    assert.equal(partial.coverageMet, false);
    assert.deepEqual(partial.result.codeCoverageWarnings.map((w) => w.name).sort(), ['PropertySelector', 'PropertyService']);
    // PropertyServiceTest's @testSetup inserts properties: the trigger and its handler are reached too.
    assert.equal(runTests(selectTests('RunSpecifiedTests', all, ['PropertyServiceTest']), all).coverageMet, true);
  });

  it('fails the deliberately failing fixture: its marker and its bare Assert.fail, and nothing else', () => {
    const all = units({ ...SAMPLE_PROJECT, ...FAILING_TEST_FILES });
    const run = runTests(selectTests('RunLocalTests', all, []), all);
    assert.equal(run.result.numTestsRun, SAMPLE_COUNTS.tests + 3);
    assert.deepEqual(
      run.result.failures.map((f) => [`${f.name}.${f.methodName}`, f.message, f.stackTrace]),
      [
        [`${FAILING_TEST_NAME}.findsWithoutData`, 'System.ListException: List index out of bounds: 0', `Class.${FAILING_TEST_NAME}.findsWithoutData: line 7, column 9`],
        [`${FAILING_TEST_NAME}.alwaysFails`, 'System.AssertException: Assertion Failed: this test is broken on purpose', `Class.${FAILING_TEST_NAME}.alwaysFails: line 12, column 9`],
      ],
    );
    assert.ok(run.result.successes.some((s) => s.name === FAILING_TEST_NAME && s.methodName === 'passes'));
  });
});
