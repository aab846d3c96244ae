import * as assert from 'node:assert/strict';
import { quickDeployEligibility, type OrgDeployRow, type ValidationFact } from '../../../src/core/deployments';
import type { CodeCoverage } from '../../../src/core/metadata-types';
import { ALICE } from './fixtures';

const START = '2026-03-01T09:00:00.000Z';
const DONE = '2026-03-01T09:20:00.000Z';
const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(Date.parse(START) + ms);

function cov(name: string, type: 'Class' | 'Trigger', total: number, notCovered: number): CodeCoverage {
  return { name, type, linesTotal: total, linesNotCovered: notCovered, percent: total ? ((total - notCovered) / total) * 100 : 100 };
}

function validation(extra: Partial<ValidationFact> = {}): ValidationFact {
  return {
    id: '0Af000000000VALAAA',
    startedAt: START,
    completedAt: DONE,
    by: ALICE.userId,
    checkOnly: true,
    status: 'Succeeded',
    success: true,
    testLevel: 'RunLocalTests',
    testsRun: 12,
    testsFailed: 0,
    coverage: { classes: [cov('Greeter', 'Class', 100, 10), cov('AccountTrigger', 'Trigger', 10, 2)] },
    apex: [{ type: 'ApexClass', fullName: 'Greeter' }],
    ...extra,
  };
}

function row(extra: Partial<OrgDeployRow>): OrgDeployRow {
  return { id: '0Af000000000DEPAAA', status: 'Succeeded', checkOnly: false, createdByName: 'Bob Jones', startDate: '2026-03-02T10:00:00.000Z', completedDate: '2026-03-02T10:05:00.000Z', ...extra };
}

function refusedWith(e: ReturnType<typeof quickDeployEligibility>, pattern: RegExp): void {
  assert.equal(e.ok, false);
  if (e.ok) return;
  assert.match(e.reason, pattern);
  assert.equal(e.offer, 'validate', 'offers a new validation');
}

describe('deployments: quick deploy eligibility', () => {
  it('a fresh successful validation with passing tests is eligible, until 10 days after it started', () => {
    const e = quickDeployEligibility(validation(), [], at(DAY), 'Production');
    assert.deepEqual(e, { ok: true, validationId: '0Af000000000VALAAA', expiresAt: '2026-03-11T09:00:00.000Z' });
  });

  it('the 10 days count from the start: eligible a millisecond before, refused at exactly 10 days', () => {
    assert.ok(quickDeployEligibility(validation(), [], at(10 * DAY - 1), 'Production').ok);
    refusedWith(
      quickDeployEligibility(validation(), [], at(10 * DAY), 'Production'),
      /Validation 0Af000000000VALAAA started 2026-03-01 09:00 UTC, and a validation can be quick-deployed only for 10 days after it starts \(until 2026-03-11 09:00 UTC\)\. Validate again\./,
    );
  });

  it('a later deployment to the target by someone else invalidates it, naming the deploy, who and when', () => {
    const e = quickDeployEligibility(validation(), [row({}), row({ id: '0Af000000000DE2AAA', completedDate: '2026-03-03T08:00:00.000Z' })], at(3 * DAY), 'Production');
    refusedWith(
      e,
      /A deployment reached Production after validation 0Af000000000VALAAA completed: 0Af000000000DEPAAA by Bob Jones, completed 2026-03-02 10:05 UTC \(and 1 more\)\. Any deployment to an org invalidates its earlier validations; validate again\./,
    );
    assert.equal(!e.ok && e.invalidatedBy?.id, '0Af000000000DEPAAA');
  });

  it('a partly successful deploy invalidates it too', () => {
    refusedWith(quickDeployEligibility(validation(), [row({ status: 'SucceededPartial' })], at(2 * DAY)), /reached the target after validation/);
  });

  it('a later failed or cancelled deploy, another validation, a running deploy, or a deploy before it completed do not', () => {
    const rows = [
      row({ status: 'Failed' }),
      row({ status: 'Canceled' }),
      row({ status: 'InProgress', completedDate: undefined }),
      row({ checkOnly: true }),
      row({ completedDate: '2026-03-01T09:19:59.000Z' }),
      row({ completedDate: DONE }),
    ];
    assert.ok(quickDeployEligibility(validation(), rows, at(2 * DAY)).ok);
  });

  it('is refused while it runs (no offer yet), and when it failed, was cancelled or was not check-only', () => {
    const running = quickDeployEligibility(validation({ completedAt: undefined }), [], at(1000));
    assert.ok(!running.ok && /still running; it can be quick-deployed once it succeeds/.test(running.reason) && running.offer === undefined);
    refusedWith(quickDeployEligibility(validation({ success: false, status: 'Failed', componentErrors: 2 }), [], at(DAY)), /Validation 0Af000000000VALAAA failed \(2 component errors\)/);
    refusedWith(quickDeployEligibility(validation({ success: false, status: 'Canceled' }), [], at(DAY)), /was cancelled before it finished/);
    refusedWith(quickDeployEligibility(validation({ checkOnly: false }), [], at(DAY)), /was a deployment, not a validation/);
  });

  it('is refused when tests failed or ran no tests', () => {
    refusedWith(quickDeployEligibility(validation({ testsFailed: 2 }), [], at(DAY)), /2 Apex tests failed in validation 0Af000000000VALAAA/);
    refusedWith(quickDeployEligibility(validation({ testLevel: 'NoTestRun', testsRun: 0 }), [], at(DAY)), /ran no Apex tests \(NoTestRun\)/);
  });

  it('RunLocalTests needs 75% org-wide and every trigger covered', () => {
    const low = validation({ coverage: { classes: [cov('Greeter', 'Class', 100, 40), cov('Invoice', 'Class', 100, 30)] } });
    refusedWith(quickDeployEligibility(low, [], at(DAY)), /Org-wide coverage is 65%, under the 75% Salesforce requires with RunLocalTests; under 75%: Greeter \(60%\), Invoice \(70%\)/);
    const bareTrigger = validation({ coverage: { classes: [cov('Greeter', 'Class', 100, 0), cov('AccountTrigger', 'Trigger', 10, 10)] } });
    refusedWith(quickDeployEligibility(bareTrigger, [], at(DAY)), /trigger AccountTrigger has none: add a test that fires it/);
  });

  it('RunSpecifiedTests needs each deployed class and trigger at 75% on its own, whatever the org-wide figure', () => {
    const v = validation({
      testLevel: 'RunSpecifiedTests',
      runTests: ['GreeterTest'],
      apex: [{ type: 'ApexClass', fullName: 'Greeter' }, { type: 'ApexClass', fullName: 'GreeterTest' }],
      coverage: { classes: [cov('Greeter', 'Class', 4, 2), cov('Big', 'Class', 1000, 0)] },
    });
    refusedWith(quickDeployEligibility(v, [], at(DAY)), /each deployed class and trigger needs 75% coverage on its own from the named tests: Greeter \(50%\) is under it/);
    const fine = { ...v, coverage: { classes: [cov('Greeter', 'Class', 4, 1), cov('NotDeployed', 'Class', 10, 10)] } };
    assert.ok(quickDeployEligibility(fine, [], at(DAY)).ok, 'an undeployed class under 75% does not count');
  });
});
