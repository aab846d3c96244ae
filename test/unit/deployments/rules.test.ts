import * as assert from 'node:assert/strict';
import {
  applyDeploymentEdit,
  canTransitionDeployment,
  newDeployment,
  nextDeploymentStatuses,
  transitionDeployment,
  type DeploymentRecord,
} from '../../../src/core/deployments';
import { ALICE, BOB, CAROL, approvedCr, dep, refused } from './fixtures';

const PKG = { fileId: '068000000000001AAA', retrievedAt: '2026-01-02T10:00:00.000Z', componentCount: 2 };

describe('deployments: status rules', () => {
  it('a new record deploys the CR\'s customizations (not its proposed ones), as a draft with the CR\'s approvers', () => {
    const cr = approvedCr({ proposedCustomizations: [{ type: 'Flow', fullName: 'Later' }], approvers: [BOB.userId] });
    const d = newDeployment(cr, 'UAT', 'Production', ALICE.userId);
    assert.equal(d.status, 'Draft');
    assert.deepEqual(d.components.map((c) => c.fullName), ['Greeter', 'Account.Greeting__c']);
    assert.deepEqual(d.approvers, [BOB.userId]);
    assert.equal(d.crNumber, 'CR-00007');
    assert.equal(d.testLevel, undefined, 'no level chosen: the environment default applies');
  });

  it('walks Draft → Pending approval → Approved → Deploying → Deployed → Completed', () => {
    let r = transitionDeployment(dep('Draft'), 'Pending approval', { actor: ALICE });
    assert.ok(r.ok);
    assert.equal(r.record.submittedBy, ALICE.userId);
    r = transitionDeployment(r.record, 'Approved', { actor: BOB, comment: 'ship it' });
    assert.ok(r.ok);
    r = transitionDeployment({ ...r.record, package: PKG }, 'Deploying', { actor: ALICE });
    assert.ok(r.ok);
    for (const to of ['Deployed', 'Completed'] as const) {
      r = transitionDeployment(r.record, to, { actor: ALICE });
      assert.ok(r.ok, to);
    }
    assert.equal(r.record.status, 'Completed');
  });

  it('a failed or cancelled deploy may be deployed again without a new approval', () => {
    for (const s of ['Failed', 'Cancelled'] as const) {
      assert.ok(canTransitionDeployment(dep(s, { package: PKG }), 'Deploying', { actor: ALICE }).ok, s);
    }
    assert.deepEqual(nextDeploymentStatuses('Deploying'), ['Deployed', 'Failed', 'Cancelled']);
  });

  it('refuses to deploy without a package, and says to retrieve it', () => {
    refused(canTransitionDeployment(dep('Approved'), 'Deploying', { actor: ALICE }), /Retrieve the package of DEP-00042 before deploying it/);
  });

  it('refuses a jump and says where the record can go; final statuses say to start anew', () => {
    refused(canTransitionDeployment(dep('Draft'), 'Approved', { actor: BOB, comment: 'x' }), /DEP-00042 is Draft: it can only move to Pending approval or Abandoned, not Approved/);
    refused(canTransitionDeployment(dep('Deployed'), 'Deploying', { actor: ALICE }), /can only move to Completed or Reverted/);
    refused(canTransitionDeployment(dep('Reverted'), 'Approved', { actor: ALICE }), /Reverted and can no longer change status; create a new deployment from the change request/);
    refused(canTransitionDeployment(dep('Approved'), 'Approved', { actor: ALICE }), /already Approved/);
  });

  it('follows the CR approval rules: a listed approver decides, with a comment', () => {
    const pending = dep('Pending approval');
    refused(canTransitionDeployment(pending, 'Approved', { actor: CAROL, comment: 'ok' }), /Only an approver of DEP-00042 can approve or reject it; ask one of its approvers \(005000000000002AAA\)/);
    refused(canTransitionDeployment(pending, 'Approved', { actor: BOB }), /Add a comment saying why you approve DEP-00042/);
    refused(canTransitionDeployment(pending, 'Rejected', { actor: BOB, comment: ' ' }), /why you reject DEP-00042/);
    assert.ok(canTransitionDeployment(pending, 'Rejected', { actor: BOB, comment: 'wrong target' }).ok);
  });

  it('without approvers, someone other than the submitter decides', () => {
    const pending = dep('Pending approval', { approvers: [] });
    refused(canTransitionDeployment(pending, 'Approved', { actor: ALICE, comment: 'mine' }), /Self-approval is not allowed: someone other than its submitter must approve or reject DEP-00042; add a colleague as an approver/);
    assert.ok(canTransitionDeployment(pending, 'Approved', { actor: CAROL, comment: 'fine' }).ok);
  });

  it('only the submitter withdraws; a rejected record can be resubmitted', () => {
    refused(canTransitionDeployment(dep('Pending approval'), 'Draft', { actor: BOB }), /Only the submitter can withdraw DEP-00042/);
    assert.ok(canTransitionDeployment(dep('Pending approval'), 'Draft', { actor: ALICE }).ok);
    assert.ok(canTransitionDeployment(dep('Rejected'), 'Pending approval', { actor: ALICE }).ok);
  });

  it('refuses to submit a record with no components', () => {
    refused(canTransitionDeployment(dep('Draft', { components: [] }), 'Pending approval', { actor: ALICE }), /Keep at least one component to deploy/);
  });

  it('names an unsaved record by its CR and target', () => {
    const d: DeploymentRecord = { ...dep('Draft'), number: undefined };
    refused(canTransitionDeployment(d, 'Approved', { actor: BOB }), /the deployment of CR-00007 to Production is Draft/);
  });
});

describe('deployments: edits', () => {
  const validation = { id: '0Af000000000001AAA', startedAt: '2026-01-02T11:00:00.000Z', completedAt: '2026-01-02T11:05:00.000Z', by: ALICE.userId, checkOnly: true, success: true, testLevel: 'RunLocalTests' as const };

  it('removing a component from an approved record sends it back for approval and drops its package and validation', () => {
    const d = dep('Approved', { package: PKG, validation, dependencyCheck: { at: PKG.retrievedAt, by: ALICE.userId, missing: 0, sources: ['static scan'] } });
    const r = applyDeploymentEdit(d, { components: [{ type: 'ApexClass', fullName: 'Greeter' }] }, CAROL);
    assert.ok(r.ok);
    assert.equal(r.record.status, 'Pending approval');
    assert.equal(r.record.submittedBy, CAROL.userId);
    assert.ok(r.backToApproval && r.packageDropped && r.validationDropped);
    assert.equal(r.record.package, undefined);
    assert.equal(r.record.validation, undefined);
    assert.equal(r.record.dependencyCheck, undefined);
  });

  it('a different test level goes back for approval and drops the validation, keeping the package', () => {
    const r = applyDeploymentEdit(dep('Failed', { package: PKG, validation }), { testLevel: 'RunSpecifiedTests', runTests: ['GreeterTest'] }, ALICE);
    assert.ok(r.ok);
    assert.ok(r.backToApproval && r.validationDropped && !r.packageDropped);
    assert.deepEqual(r.record.package, PKG);
  });

  it('the same components in another order, or new approvers, change nothing else', () => {
    const d = dep('Approved', { package: PKG, validation });
    const r = applyDeploymentEdit(d, { components: [...d.components].reverse(), approvers: [BOB.userId, CAROL.userId] }, ALICE);
    assert.ok(r.ok);
    assert.equal(r.record.status, 'Approved');
    assert.ok(!r.backToApproval && !r.packageDropped && !r.validationDropped);
  });

  it('a draft edit stays a draft', () => {
    const r = applyDeploymentEdit(dep('Draft'), { components: [{ type: 'ApexClass', fullName: 'Greeter' }] }, ALICE);
    assert.ok(r.ok);
    assert.equal(r.record.status, 'Draft');
    assert.equal(r.backToApproval, false);
  });

  it('refuses edits after the deploy, duplicates, bad approvers and unknown levels', () => {
    refused(applyDeploymentEdit(dep('Deployed'), { runTests: [] }, ALICE), /DEP-00042 is Deployed and can no longer be edited/);
    refused(applyDeploymentEdit(dep('Draft'), { components: [{ type: 'ApexClass', fullName: 'A' }, { type: 'ApexClass', fullName: 'A' }] }, ALICE), /ApexClass A is listed twice/);
    refused(applyDeploymentEdit(dep('Draft'), { approvers: ['bob'] }, ALICE), /Approvers must be user ids/);
    refused(applyDeploymentEdit(dep('Draft'), { testLevel: 'RunSomeTests' as never }, ALICE), /"RunSomeTests" is not a test level; choose NoTestRun, RunSpecifiedTests, RunLocalTests, RunAllTestsInOrg/);
  });
});
