import * as assert from 'node:assert/strict';
import {
  afterDeployEntry,
  completeAfterDeploy,
  followRole,
  markDeployed,
  newDraft,
  nextStatuses,
  sourceStatusAfterDeploy,
  type ChangeRequest,
  type CrStatus,
  type DeploymentLink,
} from '../../../src/core/change-requests';

const LINK: DeploymentLink = { orgId: '00D000000000001AAA', recordId: 'a01000000000001AAA', number: 'DEP-00001', environment: 'Dev', deployId: '0Af000000000001AAA' };

function cr(status: CrStatus, extra: Partial<ChangeRequest> = {}): ChangeRequest {
  return { ...newDraft({ name: 'Add greeting', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] }), number: 'CR-00001', status, ...extra };
}

describe('change requests after a deployment', () => {
  it("follows the source environment's role: development → Ready, integration/staging/production → Idle", () => {
    assert.equal(sourceStatusAfterDeploy('development'), 'Ready');
    assert.equal(sourceStatusAfterDeploy('integration'), 'Idle');
    assert.equal(sourceStatusAfterDeploy('staging'), 'Idle');
    assert.equal(sourceStatusAfterDeploy('production'), 'Idle');
  });

  it('moves an approved (or deploying) source CR to its role status, and leaves one already there unchanged', () => {
    const dev = followRole(cr('Approved'), 'development');
    assert.ok(dev.ok && dev.changed);
    assert.equal(dev.cr.status, 'Ready');
    const stg = followRole(cr('Deploying'), 'staging');
    assert.ok(stg.ok && stg.changed);
    assert.equal(stg.cr.status, 'Idle');
    const again = followRole(cr('Ready'), 'development');
    assert.ok(again.ok);
    assert.equal(again.changed, false);
  });

  it('refuses to move a source CR that is not approved, saying what state it is in', () => {
    for (const s of ['Draft', 'Pending approval', 'Cancelled', 'Completed'] as const) {
      const r = followRole(cr(s), 'development');
      assert.equal(r.ok, false, s);
      assert.match((r as { reason: string }).reason, new RegExp(`CR-00001 is ${s}`));
    }
  });

  it('marks the target copy Deployed with the link to the record, from any status but Cancelled', () => {
    for (const s of ['Draft', 'Approved', 'Completed', 'Deployed'] as const) {
      const r = markDeployed(cr(s), LINK);
      assert.ok(r.ok, s);
      assert.equal(r.cr.status, 'Deployed');
      assert.deepEqual(r.cr.deployment, LINK);
    }
    const same = markDeployed(cr('Deployed', { deployment: LINK }), LINK);
    assert.ok(same.ok);
    assert.equal(same.changed, false, 'the same deploy marks nothing twice');
    const cancelled = markDeployed(cr('Cancelled'), LINK);
    assert.equal(cancelled.ok, false);
  });

  it('completes a Deployed, Ready or Idle CR, and refuses one that was never deployed', () => {
    for (const s of ['Deployed', 'Ready', 'Idle'] as const) {
      const r = completeAfterDeploy(cr(s));
      assert.ok(r.ok && r.changed, s);
      assert.equal(r.cr.status, 'Completed');
    }
    const done = completeAfterDeploy(cr('Completed'));
    assert.ok(done.ok && !done.changed);
    const approved = completeAfterDeploy(cr('Approved'));
    assert.equal(approved.ok, false);
    assert.match((approved as { reason: string }).reason, /deploy it first/);
  });

  it('lets Ready and Idle go only to Completed or Cancelled', () => {
    assert.deepEqual(nextStatuses('Ready'), ['Completed', 'Cancelled']);
    assert.deepEqual(nextStatuses('Idle'), ['Completed', 'Cancelled']);
    assert.ok(nextStatuses('Approved').includes('Ready') && nextStatuses('Approved').includes('Idle'));
  });

  it('records the status change with the deployment in the history entry', () => {
    const before = cr('Approved');
    const e = afterDeployEntry(before, { ...before, status: 'Ready' }, '005000000000001AAA', '2026-12-06T00:00:00.000Z', LINK);
    assert.equal(e.action, 'status');
    assert.deepEqual(e.details.changes, [{ field: 'status', label: 'Status', old: 'Approved', new: 'Ready' }]);
    assert.deepEqual(e.details.deployment, LINK);
  });
});
