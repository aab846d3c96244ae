import * as assert from 'node:assert/strict';
import type { DeployResult } from '../../../src/core/metadata-types';
import { outcomeText } from '../../../src/commands/deploy/outcome';

const result = (r: Partial<DeployResult>): DeployResult => ({
  id: '0Af000000000001AAA',
  status: 'Succeeded',
  success: true,
  checkOnly: false,
  canceled: false,
  componentsDone: 3,
  componentsTotal: 3,
  componentErrors: 0,
  testsDone: 0,
  testsTotal: 0,
  testErrors: 0,
  successes: [],
  failures: [],
  tests: { run: 0, failures: [] },
  coverage: [],
  coverageWarnings: [],
  ...r,
});

describe('deploy result message', () => {
  it('a deploy that succeeded names the components, the tests and the coverage', () => {
    assert.deepEqual(outcomeText(result({}), 'Dev'), { kind: 'succeeded', message: 'Deployed 3 components to Dev · no tests run.' });
    const tested = result({ tests: { run: 4, failures: [] }, coverage: [{ name: 'Foo', type: 'Class', linesTotal: 8, linesNotCovered: 1, percent: 87 }] });
    assert.equal(outcomeText(tested, 'Dev').message, 'Deployed 3 components to Dev · 4 tests passed · coverage 87.5%.');
    assert.equal(outcomeText(result({ checkOnly: true, componentsTotal: 1 }), 'Dev').message, 'Validation in Dev succeeded: 1 component would deploy · no tests run. Nothing was changed in Dev.');
  });

  it('a failed one gives the counts and the org\u2019s reason', () => {
    const failed = result({ success: false, status: 'Failed', componentErrors: 1, tests: { run: 5, failures: [{ className: 'T', methodName: 'm', message: 'x' }] as DeployResult['tests']['failures'] }, errorMessage: 'Average test coverage is 60%.' });
    assert.deepEqual(outcomeText(failed, 'Dev'), {
      kind: 'failed',
      message: 'Deploy to Dev failed: 1 of 3 components with errors · 1 of 5 tests failed. Average test coverage is 60%. Nothing was deployed (Dev is as it was).',
    });
  });

  it('a cancelled one says nothing changed', () => {
    assert.deepEqual(outcomeText(result({ canceled: true, status: 'Canceled', success: false }), 'Dev'), {
      kind: 'canceled',
      message: 'Deploy 0Af000000000001AAA to Dev was cancelled; nothing was deployed (Dev is as it was).',
    });
  });
});
