import { strict as assert } from 'node:assert';
import { checkApex, findTests, stripCommentsAndStrings } from '../../emulator/metadata/apex';

describe('emulator apex checks', () => {
  it('accepts a well-formed class whose name matches its file', () => {
    const src = `/* header { */\npublic with sharing class Foo {\n    // a stray } in a comment\n    String s = 'brace } in a string';\n}\n`;
    assert.equal(checkApex('class', 'Foo', src), undefined);
  });

  it('reports an unclosed brace at the end of the file', () => {
    const p = checkApex('class', 'Foo', `public class Foo {\n    void m() {\n}\n`);
    assert.deepEqual(p, { line: 4, column: 1, problem: "Expecting '}' but was: '<EOF>'" });
  });

  it('reports an extra closing brace where it is', () => {
    const p = checkApex('class', 'Foo', `public class Foo {\n}\n}\n`);
    assert.equal(p?.line, 3);
    assert.equal(p?.column, 1);
    assert.equal(p?.problem, "Unexpected token '}'.");
  });

  it('reports a class name that differs from the file name, at the name', () => {
    const p = checkApex('class', 'Foo', `@isTest(SeeAllData = true)\nprivate class Bar {\n}\n`);
    assert.equal(p?.line, 2);
    assert.equal(p?.column, 15);
    assert.match(p!.problem, /'Bar' does not match the file name 'Foo'/);
  });

  it('checks trigger names and declarations', () => {
    assert.equal(checkApex('trigger', 'AccTrigger', `trigger AccTrigger on Account (before insert) {\n}\n`), undefined);
    assert.match(checkApex('trigger', 'AccTrigger', `trigger Other on Account (before insert) {\n}\n`)!.problem, /Trigger name 'Other'/);
    assert.match(checkApex('trigger', 'AccTrigger', `public class AccTrigger {}`)!.problem, /Expecting 'trigger'/);
  });

  it('rejects an empty body and unknown tokens before the class', () => {
    assert.ok(checkApex('class', 'Foo', '   \n'));
    assert.match(checkApex('class', 'Foo', 'publc class Foo {}')!.problem, /Unexpected token 'publc'/);
  });

  it('keeps positions when blanking comments and strings', () => {
    const src = `a // x\n'y' /* z\n */ b`;
    const out = stripCommentsAndStrings(src);
    assert.equal(out.length, src.length);
    assert.equal(out.split('\n').length, 3);
    assert.ok(!/[xyz]/.test(out));
  });

  it('finds @isTest and testMethod methods and the ones that fail', () => {
    const src = [
      '@isTest',
      'private class FooTest {',
      '    @isTest static void passes() {',
      "        System.assertEquals(1, 1, 'one');",
      '    }',
      '    static testMethod void failsWithAssertFail() {',
      "        Assert.fail('boom');",
      '    }',
      '    @IsTest',
      '    static void failsWithAssertFalse() {',
      "        System.assert(false, 'nope');",
      '    }',
      '    static void helper() { Assert.fail(); }',
      '}',
    ].join('\n');
    const t = findTests('FooTest', src)!;
    assert.deepEqual(
      t.methods.map((m) => [m.name, m.failure?.message ?? null, m.failure?.line ?? null]),
      [
        ['passes', null, null],
        ['failsWithAssertFail', 'System.AssertException: Assertion Failed: boom', 7],
        ['failsWithAssertFalse', 'System.AssertException: Assertion Failed: nope', 11],
      ],
    );
    assert.equal(findTests('Foo', 'public class Foo {}'), undefined);
  });
});
