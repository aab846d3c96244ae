/** The deploy workflow's pure parts: the progress line, the poll interval, the overwrite rules, the CLI's output. */
import { strict as assert } from 'node:assert';
import { deployJson, formatProblem } from '../../../src/cli/subcommands/deploy';
import type { DeployProgress, DeployResult } from '../../../src/core/metadata-types';
import { applyOverwriteChoices, changedAfter, wholeSeconds, type OverwriteReport } from '../../../src/workflows/deploy/overwrite';
import { deployProgressText, pollInterval, validationFactOf } from '../../../src/workflows/deploy/run';

const progress = (p: Partial<DeployProgress>): DeployProgress => ({
  status: 'InProgress',
  componentsDone: 0,
  componentsTotal: 0,
  componentErrors: 0,
  testsDone: 0,
  testsTotal: 0,
  testErrors: 0,
  ...p,
});

const result = (r: Partial<DeployResult>): DeployResult => ({
  ...progress({ status: 'Succeeded' }),
  id: '0Af000000000001AAA',
  success: true,
  checkOnly: true,
  canceled: false,
  successes: [],
  failures: [],
  tests: { run: 0, failures: [] },
  coverage: [],
  coverageWarnings: [],
  ...r,
});

describe('deploy workflow: progress, polling, overwrite rules, CLI output', () => {
  it('says components and tests done, with the share of both as percent', () => {
    assert.deepEqual(deployProgressText(progress({ componentsDone: 12, componentsTotal: 40, testsDone: 3, testsTotal: 10 }), false), {
      message: 'Deploying 12/40 components · tests 3/10',
      percent: 30,
    });
    assert.equal(deployProgressText(progress({ componentsDone: 40, componentsTotal: 40, componentErrors: 2, testsDone: 5, testsTotal: 10, testErrors: 1 }), true).message, 'Validating 40/40 components · 2 errors · tests 5/10 (1 failed)');
    assert.match(deployProgressText(progress({ status: 'Pending' }), false).message, /queued in the org, waiting for earlier deployments/);
    assert.equal(deployProgressText(progress({ status: 'Canceling', componentsTotal: 4 }), false).message, 'Canceling in the org…');
    assert.equal(deployProgressText(progress({ componentsDone: 1, componentsTotal: 1 }), false).percent, 99, 'never 100 before the org says done');
  });

  it('polls as SDR does: faster for small deploys, n ms for n components past 1,000', () => {
    assert.deepEqual([5, 10, 11, 50, 100, 1000, 5000].map(pollInterval), [100, 100, 250, 250, 500, 1000, 5000]);
  });

  it('flags a change after the retrieve; with whole-second dates a change in the same second counts', () => {
    assert.equal(changedAfter('2026-01-05T10:00:01.500Z', '2026-01-05T10:00:01.400Z'), true);
    assert.equal(changedAfter('2026-01-05T10:00:01.300Z', '2026-01-05T10:00:01.400Z'), false);
    assert.equal(changedAfter('2026-01-05T10:00:01.000Z', '2026-01-05T10:00:01.400Z', true), true);
    assert.equal(changedAfter('2026-01-05T10:00:00.000Z', '2026-01-05T10:00:01.400Z', true), false);
    assert.equal(changedAfter(undefined, '2026-01-05T10:00:01.400Z'), false);
    assert.equal(wholeSeconds(['2026-01-05T10:00:01.000Z', '2026-01-05T10:00:02Z']), true);
    assert.equal(wholeSeconds(['2026-01-05T10:00:01.000Z', '2026-01-05T10:00:02.120Z']), false);
  });

  it('needs a choice for every flagged component; dropped ones leave the package, the others stay', () => {
    const report: OverwriteReport = {
      targetEnv: 'UAT',
      retrievedAt: '2026-01-05T10:00:00.000Z',
      checked: 2,
      flagged: [
        { component: { type: 'ApexClass', fullName: 'A' }, lastModifiedDate: '2026-01-06T10:00:00.000Z', source: 'listing', message: '' },
        { component: { type: 'Flow', fullName: 'F' }, lastModifiedDate: '2026-01-06T10:00:00.000Z', source: 'listing', message: '' },
      ],
      newInTarget: [],
      sourceTracking: false,
    };
    const components = [
      { type: 'ApexClass', fullName: 'A' },
      { type: 'ApexClass', fullName: 'B' },
      { type: 'Flow', fullName: 'F' },
    ];
    assert.throws(() => applyOverwriteChoices(components, report, { 'ApexClass:A': 'drop' }), /^Error: Choose to overwrite or drop Flow F: it was changed in UAT after the package was retrieved\.$/);
    const chosen = applyOverwriteChoices(components, report, new Map([['ApexClass:A', 'drop'], ['Flow:F', 'overwrite']] as const));
    assert.deepEqual(chosen.deploy.map((c) => c.fullName), ['B', 'F']);
    assert.deepEqual(chosen.dropped.map((c) => c.fullName), ['A']);
  });

  it('a validation fact from the org: the level is unknown to the org, so one that ran tests counts as RunLocalTests', () => {
    const ran = validationFactOf(result({ tests: { run: 3, failures: [] }, createdDate: '2026-01-05T10:00:00.000Z', completedDate: '2026-01-05T10:05:00.000Z' }), undefined);
    assert.equal(ran.testLevel, 'RunLocalTests');
    assert.equal(ran.startedAt, '2026-01-05T10:00:00.000Z');
    assert.equal(ran.completedAt, '2026-01-05T10:05:00.000Z');
    assert.equal(validationFactOf(result({}), undefined).testLevel, 'NoTestRun');
    assert.equal(validationFactOf(result({ tests: { run: 3, failures: [] } }), undefined, 'RunSpecifiedTests').testLevel, 'RunSpecifiedTests');
    assert.equal(validationFactOf(result({ status: 'InProgress' }), undefined).completedAt, undefined, 'still running');
  });

  it('prints problems as file:line:column (1-based, relative to the working folder) and a problem without a file by its component', () => {
    const range = { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } };
    assert.equal(
      formatProblem({ path: '/work/p/force-app/classes/A.cls', range, severity: 'error', message: 'Unexpected token', component: { type: 'ApexClass', fullName: 'A' } }, '/work/p'),
      'force-app/classes/A.cls:3:5: error: Unexpected token',
    );
    assert.equal(formatProblem({ range, severity: 'warning', message: 'Old API', component: { type: 'Flow', fullName: 'F' } }), 'Flow F: warning: Old API');
    const doc = deployJson('Dev', { result: result({ componentsTotal: 2, componentsDone: 2 }), problems: [{ range, severity: 'error', message: 'm', component: { type: 'Flow', fullName: 'F' } }] });
    assert.deepEqual(doc.components, { total: 2, deployed: 2, errors: 0 });
    assert.deepEqual(doc.problems, [{ path: null, line: 3, column: 5, severity: 'error', message: 'm', component: { type: 'Flow', fullName: 'F' } }]);
  });
});
