import * as assert from 'node:assert/strict';
import type { DeployProblem } from '../../../src/core/deployments/problems';
import { filesToClear, fileResolver, isUnder, placeProblems } from '../../../src/views/deployDiagnostics';

const ROOT = '/ws/force-app/main/default';
const FILES = [`${ROOT}/classes/Foo.cls`, `${ROOT}/classes/Foo.cls-meta.xml`, `${ROOT}/classes/FooTest.cls`, `${ROOT}/triggers/Foo.trigger`, '/ws/other-app/main/default/classes/Bar.cls'];
const r = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });
const problem = (p: Partial<DeployProblem>): DeployProblem => ({ range: r(0, 0, 0), severity: 'error', message: 'broken', component: { type: 'ApexClass', fullName: 'Foo' }, ...p });

describe('deploy problems on workspace files (Problems panel mapping)', () => {
  it('keeps an absolute path of a deployed file, and places a package-relative path on the file with that ending', () => {
    const resolve = fileResolver(FILES);
    assert.equal(resolve(`${ROOT}/classes/Foo.cls`), `${ROOT}/classes/Foo.cls`);
    assert.equal(resolve('main/default/classes/Foo.cls'), `${ROOT}/classes/Foo.cls`);
    assert.equal(resolve('classes/FooTest.cls'), `${ROOT}/classes/FooTest.cls`);
    assert.equal(resolve('unpackaged/classes/Bar.cls'), '/ws/other-app/main/default/classes/Bar.cls', 'a package folder before the metadata path is skipped');
    assert.equal(resolve('classes/Missing.cls'), undefined);
  });

  it('does not guess between two deployed files with the same ending', () => {
    const resolve = fileResolver(['/a/force-app/main/default/classes/Foo.cls', '/b/force-app/main/default/classes/Foo.cls']);
    assert.equal(resolve('classes/Foo.cls'), undefined);
    assert.equal(resolve('/b/force-app/main/default/classes/Foo.cls'), '/b/force-app/main/default/classes/Foo.cls');
  });

  it('puts each problem on its file with its range and severity, the stack frames as related places, the rest as unplaced', () => {
    const placed = placeProblems(
      [
        problem({ path: 'classes/Foo.cls', range: r(2, 15, 16), message: "Unexpected token ')'." }),
        problem({
          path: 'classes/FooTest.cls',
          range: r(9, 8, 20),
          message: 'FooTest.testIt failed: System.AssertException',
          component: { type: 'ApexClass', fullName: 'FooTest' },
          related: [
            { path: 'classes/Foo.cls', range: r(4, 0, 6), message: 'called from Foo.total' },
            { path: 'classes/Gone.cls', range: r(1, 0, 1), message: 'called from Gone.x' },
          ],
        }),
        problem({ path: `${ROOT}/classes/Foo.cls`, range: r(7, 1, 3), severity: 'warning', message: 'deprecated' }),
        problem({ message: 'Entity of type CustomField named Invoice__c.Total__c not found', component: { type: 'CustomField', fullName: 'Invoice__c.Total__c' } }),
      ],
      FILES,
    );
    assert.deepEqual([...placed.byFile.keys()], [`${ROOT}/classes/Foo.cls`, `${ROOT}/classes/FooTest.cls`]);
    const foo = placed.byFile.get(`${ROOT}/classes/Foo.cls`)!;
    assert.deepEqual(foo.map((p) => [p.range.start.line, p.range.start.character, p.severity, p.message]), [
      [2, 15, 'error', "Unexpected token ')'."],
      [7, 1, 'warning', 'deprecated'],
    ]);
    assert.equal(foo[0].component, 'ApexClass Foo');
    const test = placed.byFile.get(`${ROOT}/classes/FooTest.cls`)![0];
    assert.deepEqual(test.related, [{ file: `${ROOT}/classes/Foo.cls`, range: r(4, 0, 6), message: 'called from Foo.total' }], 'a frame outside the deployed files is left out');
    assert.deepEqual(placed.unplaced.map((p) => p.component.fullName), ['Invoice__c.Total__c']);
  });

  it('a new deploy of a folder clears the entries of the files inside it, and only those', () => {
    assert.equal(isUnder(`${ROOT}/classes/Foo.cls`, ['/ws/force-app']), true);
    assert.equal(isUnder(`${ROOT}/classes/Foo.cls`, [`${ROOT}/classes/Foo.cls`]), true);
    assert.equal(isUnder('/ws/force-application/x.cls', ['/ws/force-app/']), false, 'a sibling with the same prefix is not inside');
    assert.deepEqual(filesToClear(FILES, [`${ROOT}/classes`]), [`${ROOT}/classes/Foo.cls`, `${ROOT}/classes/Foo.cls-meta.xml`, `${ROOT}/classes/FooTest.cls`]);
    assert.deepEqual(filesToClear(FILES, ['C:\\nowhere']), []);
  });
});
