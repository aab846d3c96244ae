import * as assert from 'node:assert/strict';
import { applyEdit, canTransition, newDraft, nextStatuses, transition, validateFields, type ChangeRequest, type CrStatus } from '../../../src/core/change-requests';

const ALICE = { userId: '005000000000001AAA' };
const BOB = { userId: '005000000000002AAA' };
const CAROL = { userId: '005000000000003AAA' };
const TYPES = ['ApexClass', 'CustomObject', 'Flow'];

function cr(status: CrStatus, extra: Partial<ChangeRequest> = {}): ChangeRequest {
  return { ...newDraft({ name: 'Add greeting', customizations: [{ type: 'ApexClass', fullName: 'Greeter' }] }), number: 'CR-00001', status, ...extra };
}
function refused(v: { ok: boolean; reason?: string }, pattern: RegExp): void {
  assert.equal(v.ok, false, 'expected a refusal');
  assert.match((v as { reason: string }).reason, pattern);
}

describe('change requests: status rules', () => {
  it('follows Draft → Pending approval → Approved → Deploying → Deployed → Completed', () => {
    let c = cr('Draft');
    let r = transition(c, 'Pending approval', { actor: ALICE });
    assert.ok(r.ok);
    c = r.cr;
    assert.equal(c.submittedBy, ALICE.userId);
    r = transition(c, 'Approved', { actor: BOB, comment: 'looks good' });
    assert.ok(r.ok);
    for (const to of ['Deploying', 'Deployed', 'Completed'] as const) {
      r = transition(r.cr, to, { actor: ALICE });
      assert.ok(r.ok, to);
    }
    assert.equal(r.cr.status, 'Completed');
  });

  it('can be cancelled from every open status, and not after', () => {
    for (const s of ['Draft', 'Pending approval', 'Approved', 'Rejected', 'Deploying', 'Deployed'] as const) {
      assert.ok(canTransition(cr(s), 'Cancelled', { actor: ALICE }).ok, s);
    }
    refused(canTransition(cr('Completed'), 'Cancelled', { actor: ALICE }), /Completed and can no longer change status; create a new change request/);
    refused(canTransition(cr('Cancelled'), 'Draft', { actor: ALICE }), /Cancelled and can no longer change status/);
    assert.deepEqual(nextStatuses('Completed'), []);
  });

  it('refuses a jump and says where the CR can go', () => {
    refused(canTransition(cr('Draft'), 'Approved', { actor: BOB, comment: 'x' }), /CR-00001 is Draft: it can only move to Pending approval or Cancelled, not Approved/);
    refused(canTransition(cr('Draft'), 'Draft', { actor: BOB }), /already Draft/);
  });

  it('refuses to submit a CR without customizations', () => {
    refused(canTransition(cr('Draft', { customizations: [] }), 'Pending approval', { actor: ALICE }), /Add at least one customization/);
    assert.ok(canTransition(cr('Draft', { customizations: [], proposedCustomizations: [{ type: 'Flow', fullName: 'F' }] }), 'Pending approval', { actor: ALICE }).ok);
  });

  it('lets only a listed approver decide, with a comment', () => {
    const pending = cr('Pending approval', { approvers: [BOB.userId], submittedBy: ALICE.userId });
    refused(canTransition(pending, 'Approved', { actor: CAROL, comment: 'ok' }), /Only an approver of CR-00001 can approve or reject it; ask one of its approvers \(005000000000002AAA\)/);
    refused(canTransition(pending, 'Approved', { actor: BOB }), /Add a comment saying why you approve CR-00001/);
    refused(canTransition(pending, 'Rejected', { actor: BOB, comment: '   ' }), /why you reject/);
    assert.ok(canTransition(pending, 'Rejected', { actor: BOB, comment: 'missing tests' }).ok);
  });

  it('without approvers, needs someone other than the submitter (unless the environment allows self-approval)', () => {
    const pending = cr('Pending approval', { submittedBy: ALICE.userId });
    refused(canTransition(pending, 'Approved', { actor: ALICE, comment: 'mine' }), /^Self-approval is not allowed: someone other than its submitter must approve or reject CR-00001; add a colleague as an approver and ask them\./);
    assert.ok(canTransition(pending, 'Approved', { actor: CAROL, comment: 'fine' }).ok);
    assert.ok(canTransition(pending, 'Approved', { actor: ALICE, comment: 'mine', approval: { selfApproval: true, environment: 'Dev' } }).ok);
  });

  it('self-approval: a submitter listed as an approver decides only where the environment allows it, and is told who can', () => {
    const names: Record<string, string> = { [ALICE.userId]: 'Alice Admin', [BOB.userId]: 'Bob Builder', [CAROL.userId]: 'Carol Checker' };
    const userName = (id: string) => names[id] ?? id;
    const onlyMe = cr('Pending approval', { approvers: [ALICE.userId], submittedBy: ALICE.userId });
    const uat = { selfApproval: false, environment: 'UAT' };
    refused(
      canTransition(onlyMe, 'Approved', { actor: ALICE, comment: 'mine', approval: uat, userName }),
      /^Self-approval is not allowed in UAT: someone other than its submitter must approve or reject CR-00001; add a colleague as an approver and ask them\. \(The pipeline file's "allowSelfApproval" sets this per environment\.\)$/,
    );
    refused(canTransition(onlyMe, 'Rejected', { actor: ALICE, comment: 'mine', approval: uat }), /Self-approval is not allowed in UAT/);
    const withOthers = { ...onlyMe, approvers: [ALICE.userId, BOB.userId, CAROL.userId] };
    refused(canTransition(withOthers, 'Approved', { actor: ALICE, comment: 'mine', approval: uat, userName }), /; ask one of its approvers \(Bob Builder, Carol Checker\)\./);
    refused(canTransition({ ...onlyMe, approvers: [ALICE.userId, BOB.userId] }, 'Approved', { actor: ALICE, comment: 'mine', approval: uat, userName }), /; ask its approver \(Bob Builder\)\./);
    assert.ok(canTransition(withOthers, 'Approved', { actor: BOB, comment: 'ok', approval: uat }).ok, 'another approver decides');
    // Where the pipeline allows it (development by default), the submitter decides.
    assert.ok(canTransition(onlyMe, 'Approved', { actor: ALICE, comment: 'mine', approval: { selfApproval: true, environment: 'Dev' } }).ok);
    // No policy given: refused (the safe side).
    refused(canTransition(onlyMe, 'Approved', { actor: ALICE, comment: 'mine' }), /^Self-approval is not allowed: /);
    // Names the approvers by name when it knows them.
    refused(canTransition(cr('Pending approval', { approvers: [BOB.userId], submittedBy: ALICE.userId }), 'Approved', { actor: CAROL, comment: 'ok', userName }), /ask one of its approvers \(Bob Builder\)/);
  });

  it('lets only the submitter withdraw a pending CR back to draft', () => {
    const pending = cr('Pending approval', { submittedBy: ALICE.userId });
    refused(canTransition(pending, 'Draft', { actor: BOB }), /Only the submitter can withdraw/);
    assert.ok(canTransition(pending, 'Draft', { actor: ALICE }).ok);
  });

  it('a failed deploy returns the CR to Approved; a rejected CR can be resubmitted', () => {
    assert.ok(canTransition(cr('Deploying'), 'Approved', { actor: ALICE }).ok);
    assert.ok(canTransition(cr('Rejected'), 'Pending approval', { actor: ALICE }).ok);
    refused(canTransition(cr('Deployed'), 'Approved', { actor: ALICE }), /can only move to Completed or Cancelled/);
  });
});

describe('change requests: edits', () => {
  it('changing the customizations of an approved CR sends it back for approval', () => {
    const approved = cr('Approved', { submittedBy: ALICE.userId });
    const r = applyEdit(approved, { customizations: [{ type: 'ApexClass', fullName: 'Greeter' }, { type: 'Flow', fullName: 'Onboard' }] }, CAROL, TYPES);
    assert.ok(r.ok);
    assert.equal(r.backToApproval, true);
    assert.equal(r.cr.status, 'Pending approval');
    assert.equal(r.cr.submittedBy, CAROL.userId);
  });

  it('other edits, or the same components reordered, keep an approved CR approved', () => {
    const approved = cr('Approved', { customizations: [{ type: 'ApexClass', fullName: 'A' }, { type: 'Flow', fullName: 'B' }] });
    const r1 = applyEdit(approved, { overview: 'more words' }, ALICE);
    assert.ok(r1.ok && !r1.backToApproval && r1.cr.status === 'Approved');
    const r2 = applyEdit(approved, { customizations: [{ type: 'Flow', fullName: 'B' }, { type: 'ApexClass', fullName: 'A' }] }, ALICE);
    assert.ok(r2.ok && !r2.backToApproval);
  });

  it('refuses edits once deploying or closed', () => {
    for (const s of ['Deploying', 'Deployed', 'Completed', 'Cancelled'] as const) {
      refused(applyEdit(cr(s), { overview: 'x' }, ALICE), new RegExp(`is ${s} and can no longer be edited`));
    }
  });
});

describe('change requests: field validation', () => {
  const ok = cr('Draft');
  it('accepts a valid CR', () => assert.deepEqual(validateFields(ok, TYPES), { ok: true }));
  it('needs a name of at most 80 characters', () => {
    refused(validateFields({ ...ok, name: '  ' }), /Give the change request a name/);
    refused(validateFields({ ...ok, name: 'x'.repeat(81) }), /Shorten the name to 80 characters or fewer \(it has 81\)/);
    assert.ok(validateFields({ ...ok, name: 'x'.repeat(80) }).ok);
  });
  it('limits the overview', () => refused(validateFields({ ...ok, overview: 'x'.repeat(32769) }), /Shorten the overview to 32768/));
  it('checks the change type', () => refused(validateFields({ ...ok, changeType: 'Whatever' as never }), /Choose a change type: Feature, Bug fix/));
  it('checks component types against the known list', () => {
    refused(validateFields({ ...ok, customizations: [{ type: 'ApexKlass', fullName: 'Greeter' }] }, TYPES), /"ApexKlass" \(for Greeter\) is not a metadata type this org knows/);
    refused(validateFields({ ...ok, proposedCustomizations: [{ type: 'Flow', fullName: '' }] }, TYPES), /proposed customizations needs a metadata type and a full name/);
    refused(
      validateFields({ ...ok, customizations: [{ type: 'Flow', fullName: 'A' }, { type: 'Flow', fullName: 'A' }] }, TYPES),
      /Flow A is listed twice in the customizations/,
    );
  });
  it('checks approver ids', () => refused(validateFields({ ...ok, approvers: ['bob'] }), /Approvers must be user ids/));
});
