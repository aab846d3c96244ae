import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluate, type Value } from '../../emulator/rest/formula-eval';
import { FormulaError, parseFormula } from '../../emulator/rest/formula-parser';

/** Evaluates a formula over a record being saved; `prior` absent means an insert. */
function run(formula: string, next: Record<string, Value>, prior?: Record<string, Value>): Value {
  const get = (rec: Record<string, Value>, path: string[]) => {
    const k = Object.keys(rec).find((x) => x.toLowerCase() === path.join('.').toLowerCase());
    return k === undefined ? null : rec[k];
  };
  return evaluate(parseFormula(formula), { isNew: !prior, value: (p) => get(next, p), prior: (p) => get(prior ?? next, p) });
}

describe('emulator formulas (validation rules)', () => {
  it('reads literals, field references and the usual precedence', () => {
    assert.equal(run('1 + 2 * 3', {}), 7);
    assert.equal(run('(1 + 2) * 3', {}), 9);
    assert.equal(run('2 ^ 3 ^ 2', {}), 512, '^ is right-associative');
    assert.equal(run('-Amount__c + 10', { Amount__c: 4 }), 6);
    assert.equal(run('"a" & \'b\' & "\\"c\\""', {}), 'ab"c"');
    assert.equal(run('TRUE && false || NOT(FALSE)', {}), true);
    assert.equal(run('1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4', {}), false);
    assert.equal(run('account__r.name = "Acme"', { 'Account__r.Name': 'Acme' }), true, 'names are case-insensitive, paths follow relationships');
    assert.equal(run('/* a comment */ 1 == 1 && 1 != 2', {}), true);
  });

  it('AND, OR, NOT, IF, CASE and the text and number functions', () => {
    assert.equal(run('AND(TRUE, 1 = 1, NOT(FALSE))', {}), true);
    assert.equal(run('OR(FALSE, Amount__c > 5)', { Amount__c: 6 }), true);
    assert.equal(run('IF(Amount__c > 5, "big", "small")', { Amount__c: 1 }), 'small');
    assert.equal(run('CASE(Status__c, "A", 1, "B", 2, 0)', { Status__c: 'B' }), 2);
    assert.equal(run('CASE(Status__c, "A", 1, "B", 2, 0)', { Status__c: 'C' }), 0);
    assert.equal(run('LEN(TRIM(Name)) = 3 && CONTAINS(UPPER(Name), "BC") && BEGINS(LOWER(TRIM(Name)), "ab")', { Name: ' abc ' }), true);
    assert.equal(run('VALUE("12.5") + ABS(-1) + ROUND(1.256, 2) + MIN(3, 1, 2) + MAX(1, 2)', {}), 12.5 + 1 + 1.26 + 1 + 2);
    assert.equal(run('ISPICKVAL(Status__c, "Paid") && TEXT(Status__c) = "Paid"', { Status__c: 'Paid' }), true);
  });

  it('treats blanks as blanks: ISBLANK, ISNULL, BLANKVALUE, NULLVALUE, comparisons and arithmetic', () => {
    assert.equal(run('ISBLANK(Note__c) && ISNULL(Other__c)', { Note__c: '', Other__c: null }), true);
    assert.equal(run('ISBLANK(Note__c)', { Note__c: 'x' }), false);
    assert.equal(run('BLANKVALUE(Version__c, 0) + 1', { Version__c: null }), 1);
    assert.equal(run('NULLVALUE(Version__c, 0) + 1', { Version__c: 4 }), 5);
    assert.equal(run('Version__c + 1', { Version__c: null }), null, 'a blank in arithmetic gives a blank');
    assert.equal(run('Version__c = NULL', { Version__c: null }), true);
    assert.equal(run('Version__c <> 1', { Version__c: null }), true, 'blank differs from a value');
    assert.equal(run('Version__c > 0', { Version__c: null }), false, 'ordering with a blank is false');
    assert.equal(run('Name & "!"', { Name: null }), '!');
  });

  it('ISNEW, ISCHANGED and PRIORVALUE see the stored record on update and the new one on insert', () => {
    assert.equal(run('ISNEW()', { Amount__c: 1 }), true);
    assert.equal(run('ISNEW()', { Amount__c: 1 }, { Amount__c: 1 }), false);
    assert.equal(run('ISCHANGED(Amount__c)', { Amount__c: 2 }), false, 'never changed on insert');
    assert.equal(run('ISCHANGED(Amount__c)', { Amount__c: 2 }, { Amount__c: 1 }), true);
    assert.equal(run('ISCHANGED(Amount__c)', { Amount__c: 1 }, { Amount__c: 1 }), false);
    assert.equal(run('PRIORVALUE(Amount__c)', { Amount__c: 2 }), 2, 'on insert, the value being inserted');
    assert.equal(run('PRIORVALUE(Amount__c)', { Amount__c: 2 }, { Amount__c: 1 }), 1);
  });

  it("the tracking schema's version rule: a save must carry the stored version plus one", () => {
    // As shipped in resources/tracking.
    const xml = fs.readFileSync(path.resolve(__dirname, '../../../../resources/tracking/objects/Changeline_Change_Request__c/validationRules/Version_Must_Advance.validationRule-meta.xml'), 'utf8');
    const rule = /<errorConditionFormula>([\s\S]*?)<\/errorConditionFormula>/.exec(xml)![1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    assert.match(rule, /PRIORVALUE\(Version__c\)/);
    assert.equal(run(rule, { Version__c: 0 }), false, 'an insert passes');
    assert.equal(run(rule, { Version__c: 3 }, { Version__c: 2 }), false, 'read 2, wrote 3');
    assert.equal(run(rule, { Version__c: 3 }, { Version__c: 3 }), true, 'someone else wrote 3 first');
    assert.equal(run(rule, { Version__c: 2 }, { Version__c: 2 }), true, 'a save that does not move the version');
    assert.equal(run(rule, { Version__c: 1 }, { Version__c: null }), false, 'a record from before the version field');
  });

  it('refuses what it cannot evaluate, so such a rule is skipped rather than evaluated wrongly', () => {
    for (const [formula, why] of [
      ['REGEX(Name, "a")', /function REGEX is not supported/],
      ['$User.Id = OwnerId', /global variable \$User\.Id is not supported/],
      ['AND(', /unexpected end of formula/],
      ['1 +', /unexpected end/],
      ['ISCHANGED("x")', /ISCHANGED takes a field/],
      ['NOT(TRUE, FALSE)', /NOT takes 1 argument/],
      ['"open', /unterminated string/],
      ['1 2', /unexpected text after the formula/],
      ['a # b', /unexpected "#"/],
    ] as const) {
      assert.throws(() => parseFormula(formula), (e: Error) => e instanceof FormulaError && why.test(e.message), formula);
    }
    assert.throws(() => run('Name + 1', { Name: 'x' }), /expects a number/);
    assert.throws(() => run('1 / 0', {}), /division by zero/);
  });
});
