import * as assert from 'node:assert/strict';
import { coverageReport, formatPercent, orgWideCoverage } from '../../../src/core/deployments';
import type { CodeCoverage } from '../../../src/core/metadata-types';

const c = (name: string, total: number, notCovered: number, type = 'Class'): CodeCoverage => ({ name, type, linesTotal: total, linesNotCovered: notCovered, percent: Math.round(((total - notCovered) / total) * 1000) / 10 });

describe('deployments: coverage summary and the 75% rule', () => {
  it('computes org-wide coverage over lines, unless the org reported it', () => {
    assert.equal(orgWideCoverage({ classes: [c('A', 10, 0), c('B', 30, 30)] }), 25);
    assert.equal(orgWideCoverage({ classes: [c('A', 10, 0)], orgWide: 80 }), 80);
    assert.equal(orgWideCoverage({ classes: [] }), undefined);
  });

  it('lists classes least covered first and never shows 74.96% as 75%', () => {
    const r = coverageReport({ classes: [c('High', 10, 0), c('Low', 10, 9), c('Mid', 10, 5)] }, 'RunLocalTests');
    assert.deepEqual(r.rows.map((x) => x.name), ['Low', 'Mid', 'High']);
    assert.equal(formatPercent((7496 / 10000) * 100), '74.9%');
    const edge = coverageReport({ classes: [c('Edge', 10000, 2504)] }, 'RunLocalTests');
    assert.equal(edge.ok, false);
    assert.match(edge.explanation!, /Org-wide coverage is 74\.9%/);
  });

  it('explains an org-wide failure naming the classes under 75%, at most five and a count', () => {
    const classes = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((n, i) => c(n, 10, 9 - i));
    const r = coverageReport({ classes: [...classes, c('Good', 10, 0)] }, 'RunAllTestsInOrg');
    assert.equal(r.ok, false);
    assert.match(r.explanation!, /under the 75% Salesforce requires with RunAllTestsInOrg; under 75%: A \(10%\), B \(20%\), C \(30%\), D \(40%\), E \(50%\) and 2 more\./);
  });

  it('holds at exactly 75%, and with no Apex at all', () => {
    assert.ok(coverageReport({ classes: [c('A', 4, 1)] }, 'RunLocalTests').ok);
    assert.ok(coverageReport({ classes: [] }, 'RunLocalTests').ok);
    assert.ok(coverageReport({ classes: [c('A', 4, 1)] }, 'RunSpecifiedTests', [{ type: 'ApexClass', fullName: 'a' }]).ok, 'names compare without case');
  });

  it('a trigger with no coverage fails even at a high org-wide figure', () => {
    const r = coverageReport({ classes: [c('A', 1000, 0), c('T1', 5, 5, 'Trigger'), c('T2', 5, 5, 'Trigger')] }, 'RunLocalTests');
    assert.equal(r.ok, false);
    assert.deepEqual(r.failing.map((x) => x.name), ['T1', 'T2']);
    assert.match(r.explanation!, /triggers T1, T2 have none: add a test that fires them/);
  });

  it('RunSpecifiedTests checks the deployed triggers as well as classes', () => {
    const r = coverageReport({ classes: [c('AccountTrigger', 10, 5, 'Trigger')] }, 'RunSpecifiedTests', [{ type: 'ApexTrigger', fullName: 'AccountTrigger' }]);
    assert.match(r.explanation!, /AccountTrigger \(50%\) is under it\. Add tests that cover it, or name the test classes that do/);
  });

  it('NoTestRun has no rule to fail', () => {
    assert.ok(coverageReport({ classes: [c('A', 10, 10)] }, 'NoTestRun').ok);
  });
});
