import { strict as assert } from 'node:assert';
import { findTests } from '../../emulator/metadata/apex';

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
    assert.equal(findTests('T', src)!.methods[0].failure?.line, 5);
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
