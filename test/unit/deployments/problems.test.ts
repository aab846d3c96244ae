import * as assert from 'node:assert/strict';
import { componentProblems, packagePathResolver, parseApexStack, testFailureProblems } from '../../../src/core/deployments';
import type { ComponentFailure } from '../../../src/core/metadata-types';

const PATHS = [
  'force-app/main/default/classes/Greeter.cls',
  'force-app/main/default/classes/Greeter.cls-meta.xml',
  'force-app/main/default/classes/GreeterTest.cls',
  'force-app/main/default/triggers/AccountTrigger.trigger',
  'force-app/main/default/objects/Invoice__c/Invoice__c.object-meta.xml',
  'force-app/main/default/objects/Invoice__c/fields/Total__c.field-meta.xml',
  'force-app/main/default/layouts/Invoice__c-Invoice Layout.layout-meta.xml',
  'force-app/main/default/lwc/invoiceList/invoiceList.js',
  'force-app/main/default/lwc/invoiceList/invoiceList.html',
  'force-app/main/default/flows/Invoice_Totals.flow-meta.xml',
];
const TEXT: Record<string, string> = {
  'force-app/main/default/classes/Greeter.cls': 'public class Greeter {\n    public String greet() {\n        return nme;\n    }\n}\n',
  'force-app/main/default/flows/Invoice_Totals.flow-meta.xml':
    '<Flow>\n  <object>Invoice__c</object>\n  <field>Grand_Total__c</field>\n  <recordLookups>\n    <object>Invoice__c</object>\n    <field>Total__c</field>\n  </recordLookups>\n</Flow>\n',
  'force-app/main/default/layouts/Invoice__c-Invoice Layout.layout-meta.xml': '<Layout>\n  <layoutItems>\n    <field>Missing__c</field>\n  </layoutItems>\n</Layout>\n',
};
const resolve = packagePathResolver(PATHS);
const textOf = (p: string) => TEXT[p];
const failure = (f: Partial<ComponentFailure> & { type: string; fullName: string }): ComponentFailure => ({ problem: 'broken', problemType: 'Error', ...f });

describe('deployments: package paths of deploy results', () => {
  it('finds source-format files from metadata-format names, with or without a package folder', () => {
    assert.equal(resolve({ type: 'ApexClass', fullName: 'Greeter', fileName: 'classes/Greeter.cls' }), PATHS[0]);
    assert.equal(resolve({ type: 'ApexClass', fullName: 'Greeter', fileName: 'unpackaged/classes/Greeter.cls' }), PATHS[0]);
    assert.equal(resolve({ type: 'CustomField', fullName: 'Invoice__c.Total__c', fileName: 'objects/Invoice__c.object' }), PATHS[5]);
    assert.equal(resolve({ type: 'CustomField', fullName: 'Invoice__c.Total__c', fileName: 'objects/Invoice__c/fields/Total__c.field-meta.xml' }), PATHS[5]);
    assert.equal(resolve({ type: 'CustomObject', fullName: 'Invoice__c', fileName: 'objects/Invoice__c.object' }), PATHS[4]);
    assert.equal(resolve({ type: 'Layout', fullName: 'Invoice__c-Invoice Layout', fileName: 'layouts/Invoice__c-Invoice Layout.layout' }), PATHS[6]);
    assert.equal(resolve({ type: 'LightningComponentBundle', fullName: 'invoiceList', fileName: 'lwc/invoiceList/invoiceList.html' }), PATHS[8]);
  });

  it('finds files the org names by an absolute or Windows path of the folder the deploy ran from', () => {
    assert.equal(resolve({ type: 'ApexClass', fullName: 'Greeter', fileName: '/tmp/changeline-pkg-1/force-app/main/default/classes/Greeter.cls' }), PATHS[0]);
    assert.equal(resolve({ type: 'ApexClass', fullName: 'Greeter', fileName: 'C:\\pkg\\force-app\\main\\default\\classes\\Greeter.cls' }), PATHS[0]);
    assert.equal(resolve({ type: 'ApexClass', fullName: 'greeter', fileName: 'CLASSES/greeter.cls' }), PATHS[0]);
  });

  it('finds a component by type and name when the org gives no file, and nothing for what the package lacks', () => {
    assert.equal(resolve({ type: 'ApexTrigger', fullName: 'AccountTrigger' }), PATHS[3]);
    assert.equal(resolve({ type: 'Flow', fullName: 'Invoice_Totals' }), PATHS[9]);
    assert.equal(resolve({ type: 'CustomField', fullName: 'Invoice__c.Total__c' }), PATHS[5]);
    assert.equal(resolve({ type: 'Flow', fullName: 'Other_Flow' }), undefined);
    assert.equal(resolve({ type: 'LightningComponentBundle', fullName: 'invoiceList' }), PATHS[7]);
    assert.equal(resolve({ type: 'ApexClass', fullName: 'Elsewhere', fileName: 'classes/Elsewhere.cls' }), undefined);
  });
});

describe('deployments: problems from a validation', () => {
  it('puts a compile error on its file, line and column (0-based), spanning the word', () => {
    const [p] = componentProblems([failure({ type: 'ApexClass', fullName: 'Greeter', filePath: 'classes/Greeter.cls', problem: 'Variable does not exist: nme', line: 3, column: 16 })], resolve, textOf);
    assert.equal(p.path, PATHS[0]);
    assert.deepEqual(p.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 18 } });
    assert.equal(p.message, 'Variable does not exist: nme');
    assert.equal(p.severity, 'error');
  });

  it('without the file text, the range is the position itself', () => {
    const [p] = componentProblems([failure({ type: 'ApexClass', fullName: 'Greeter', filePath: 'classes/Greeter.cls', line: 3, column: 16 })], resolve);
    assert.deepEqual(p.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 15 } });
  });

  it('reads the position from the message when the org gives none, or finds the line naming the missing field', () => {
    const [fromMessage] = componentProblems([failure({ type: 'ApexClass', fullName: 'Greeter', problem: 'Unexpected token (line 2, column 5)' })], resolve);
    assert.deepEqual(fromMessage.range.start, { line: 1, character: 4 });
    const [layout] = componentProblems(
      [failure({ type: 'Layout', fullName: 'Invoice__c-Invoice Layout', filePath: 'layouts/Invoice__c-Invoice Layout.layout', problem: 'In field: field - no CustomField named Invoice__c.Missing__c found' })],
      resolve,
      textOf,
    );
    assert.equal(layout.path, PATHS[6]);
    assert.deepEqual(layout.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 29 } });
  });

  it('marks the field a flow lacks, not the first line naming its object, and not a longer name containing it', () => {
    const [p] = componentProblems([failure({ type: 'Flow', fullName: 'Invoice_Totals', problem: 'The field Invoice__c.Total__c does not exist.' })], resolve, textOf);
    assert.equal(p.path, PATHS[9]);
    assert.equal(p.range.start.line, 5);
  });

  it('a column at a brace or semicolon marks that one character', () => {
    const [p] = componentProblems([failure({ type: 'ApexClass', fullName: 'Greeter', filePath: 'classes/Greeter.cls', problem: "Missing ';'", line: 3, column: 19 })], resolve, textOf);
    assert.deepEqual(p.range, { start: { line: 2, character: 18 }, end: { line: 2, character: 19 } });
  });

  it('a failure with no position anywhere sits at the top of its file', () => {
    const [p] = componentProblems([failure({ type: 'ApexClass', fullName: 'Greeter', filePath: 'classes/Greeter.cls', problem: 'Test coverage of selected Apex Class is 0%' })], resolve, textOf);
    assert.equal(p.path, PATHS[0]);
    assert.deepEqual(p.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  });

  it('keeps warnings as warnings and a failure outside the package without a path', () => {
    const ps = componentProblems(
      [failure({ type: 'ApexClass', fullName: 'Greeter', filePath: 'classes/Greeter.cls', problemType: 'Warning', problem: 'deprecated' }), failure({ type: 'ApexClass', fullName: 'Ghost', problem: 'Ghost is not in the package' })],
      resolve,
    );
    assert.equal(ps[0].severity, 'warning');
    assert.equal(ps[1].path, undefined);
    assert.equal(ps[1].message, 'Ghost is not in the package');
  });

  it('reads Apex stack traces, with namespaces and triggers', () => {
    assert.deepEqual(parseApexStack('Class.Greeter.greet: line 3, column 1\nClass.GreeterTest.testGreet: line 12, column 1\nTrigger.AccountTrigger: line 4, column 1\nClass.acme.Util.run: line 7, column 2\nClass.Greeter.<init>: line 1, column 14\nAnonymousBlock: line 1, column 1'), [
      { kind: 'Class', name: 'Greeter', method: 'greet', line: 3, column: 1 },
      { kind: 'Class', name: 'GreeterTest', method: 'testGreet', line: 12, column: 1 },
      { kind: 'Trigger', name: 'AccountTrigger', line: 4, column: 1 },
      { kind: 'Class', name: 'Util', method: 'run', line: 7, column: 2 },
      { kind: 'Class', name: 'Greeter', method: '<init>', line: 1, column: 14 },
    ]);
    assert.deepEqual(parseApexStack(undefined), []);
  });

  it('puts a failed test where it broke, with its message, and the test method as a related place', () => {
    const [p] = testFailureProblems(
      [{ className: 'GreeterTest', methodName: 'testGreet', message: 'System.AssertException: Assertion Failed: expected hello', stackTrace: 'Class.Greeter.greet: line 3, column 1\nClass.GreeterTest.testGreet: line 12, column 1' }],
      resolve,
      textOf,
    );
    assert.equal(p.path, PATHS[0]);
    assert.equal(p.range.start.line, 2);
    assert.equal(p.message, 'GreeterTest.testGreet failed: System.AssertException: Assertion Failed: expected hello');
    assert.deepEqual(p.related, [{ path: PATHS[2], range: { start: { line: 11, character: 0 }, end: { line: 11, character: 0 } }, message: 'called from GreeterTest.testGreet' }]);
  });

  it('a test that broke in a trigger points at the trigger, with the test as the caller; frames outside the package are left out', () => {
    const [p] = testFailureProblems(
      [{ className: 'GreeterTest', methodName: 'testInsert', message: 'System.DmlException: Insert failed', stackTrace: 'Trigger.AccountTrigger: line 4, column 1\nClass.acme.Util.run: line 7, column 2\nClass.GreeterTest.testInsert: line 20, column 1' }],
      resolve,
    );
    assert.equal(p.path, PATHS[3]);
    assert.deepEqual(p.range.start, { line: 3, character: 0 });
    assert.deepEqual(p.component, { type: 'ApexClass', fullName: 'GreeterTest' });
    assert.deepEqual(p.related?.map((r) => [r.path, r.range.start.line, r.message]), [[PATHS[2], 19, 'called from GreeterTest.testInsert']]);
  });

  it('a test failure without a stack sits at the top of its test class', () => {
    const [p] = testFailureProblems([{ className: 'GreeterTest', methodName: 'setup', message: 'System.LimitException' }], resolve);
    assert.equal(p.path, PATHS[2]);
    assert.deepEqual(p.range.start, { line: 0, character: 0 });
  });

  it('maps ten thousand failures over ten thousand files', () => {
    const paths = Array.from({ length: 10000 }, (_, i) => `force-app/main/default/classes/C${i}.cls`);
    const r = packagePathResolver(paths);
    const failures = paths.map((_, i) => failure({ type: 'ApexClass', fullName: `C${i}`, filePath: `classes/C${i}.cls`, line: 1, column: 1 }));
    const ps = componentProblems(failures, r);
    assert.equal(ps.length, 10000);
    assert.equal(ps[9999].path, paths[9999]);
  });
});
