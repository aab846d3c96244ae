import * as assert from 'node:assert/strict';
import { actionState, allowedActions, DEPLOYMENT_ACTIONS, type ActionContext, type DeploymentAction, type DeploymentRecord, type ValidationFact } from '../../../src/core/deployments';
import { ALICE, BOB, CAROL, dep, env } from './fixtures';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const PKG = { fileId: '068000000000001AAA', retrievedAt: '2026-03-01T08:00:00.000Z', componentCount: 2 };
const VALID: ValidationFact = {
  id: '0Af000000000VALAAA',
  startedAt: '2026-03-01T09:00:00.000Z',
  completedAt: '2026-03-01T09:20:00.000Z',
  by: ALICE.userId,
  checkOnly: true,
  status: 'Succeeded',
  success: true,
  testLevel: 'RunLocalTests',
  testsRun: 3,
  testsFailed: 0,
  coverage: { classes: [{ name: 'Greeter', type: 'Class', linesTotal: 10, linesNotCovered: 1, percent: 90 }] },
};

const ctx = (extra: Partial<ActionContext> = {}): ActionContext => ({ actor: ALICE, now: NOW, target: env('Production'), targetDeploys: [], ...extra });
const allowed = (d: DeploymentRecord, c: ActionContext = ctx()): DeploymentAction[] => allowedActions(d, c).filter((a) => a.allowed).map((a) => a.action);
function why(d: DeploymentRecord, action: DeploymentAction, c: ActionContext = ctx()): string {
  const s = actionState(d, action, c);
  assert.equal(s.allowed, false, `${action} should not be allowed`);
  assert.ok(s.reason);
  return s.reason;
}

describe('deployments: actions allowed per state and user', () => {
  it('lists every action once, each refused one with a reason', () => {
    const all = allowedActions(dep('Draft'), ctx());
    assert.deepEqual(all.map((a) => a.action), [...DEPLOYMENT_ACTIONS]);
    for (const a of all) assert.ok(a.allowed || (a.reason && a.reason.length > 10), a.action);
  });

  it('a draft can be edited, submitted and abandoned by its creator; retrieving waits for approval', () => {
    assert.deepEqual(allowed(dep('Draft')), ['edit', 'submit', 'abandon']);
    assert.match(why(dep('Draft'), 'retrieve'), /Submit DEP-00042 and have it approved before you retrieve its package/);
    assert.match(why(dep('Draft'), 'deploy'), /Submit DEP-00042 and have it approved before you deploy it/);
  });

  it('submitting checks the test level against the target', () => {
    const d = dep('Draft', { testLevel: 'NoTestRun' });
    assert.match(why(d, 'submit'), /Production is production and the package holds Apex \(ApexClass Greeter\).*Edit the test level of DEP-00042 first/);
  });

  it('pending approval: the approver may approve or reject, the submitter may withdraw', () => {
    const d = dep('Pending approval');
    assert.deepEqual(allowed(d, ctx({ actor: BOB })), ['edit', 'approve', 'reject', 'abandon']);
    assert.deepEqual(allowed(d, ctx({ actor: ALICE })), ['edit', 'withdraw', 'abandon']);
    assert.match(why(d, 'approve', ctx({ actor: CAROL })), /Only an approver of DEP-00042 can approve or reject it/);
    assert.match(why(d, 'withdraw', ctx({ actor: BOB })), /Only the submitter can withdraw DEP-00042/);
    assert.match(why(d, 'submit'), /submitted already and waits for its approvers/);
    assert.match(why(d, 'abandon', ctx({ actor: CAROL })), /Only who created or submitted DEP-00042, or one of its approvers, can abandon it/);
  });

  it('approved without a package: retrieve first', () => {
    const d = dep('Approved');
    assert.deepEqual(allowed(d), ['edit', 'retrieve', 'abandon']);
    assert.match(why(d, 'validate'), /Retrieve the package of DEP-00042 first \(Retrieve Selected Customizations\), then validate it/);
    assert.match(why(d, 'quickDeploy'), /Retrieve the package/);
    assert.match(why(d, 'complete'), /Deploy DEP-00042 first/);
  });

  it('approved with a package: check, validate, deploy; a second retrieve says what it replaces', () => {
    const d = dep('Approved', { package: PKG });
    assert.deepEqual(allowed(d), ['edit', 'retrieve', 'checkDependencies', 'validate', 'deploy', 'abandon']);
    assert.match(actionState(d, 'retrieve', ctx()).note!, /replaces the package retrieved 2026-03-01 08:00 UTC; its validation and dependency check no longer apply/);
    assert.match(why(d, 'quickDeploy'), /Validate DEP-00042 first: a successful validation can then be quick-deployed/);
    assert.match(actionState(d, 'edit', ctx()).note!, /sends DEP-00042 back for approval/);
  });

  it('after a successful validation, quick deploy is offered with its deadline', () => {
    const d = dep('Approved', { package: PKG, validation: VALID });
    assert.ok(allowed(d).includes('quickDeploy'));
    assert.match(actionState(d, 'quickDeploy', ctx()).note!, /possible until 2026-03-11 09:00 UTC/);
  });

  it('quick deploy is refused after another deploy reached the target, and says by whom', () => {
    const d = dep('Approved', { package: PKG, validation: VALID });
    const later = { id: '0Af000000000XYZAAA', status: 'Succeeded' as const, checkOnly: false, createdByName: 'Carol Diaz', completedDate: '2026-03-02T08:00:00.000Z' };
    assert.match(why(d, 'quickDeploy', ctx({ targetDeploys: [later] })), /A deployment reached Production after validation 0Af000000000VALAAA completed: 0Af000000000XYZAAA by Carol Diaz/);
  });

  it('quick deploy without the target history is allowed with a warning that Salesforce has the last word', () => {
    const d = dep('Approved', { package: PKG, validation: VALID });
    assert.match(actionState(d, 'quickDeploy', ctx({ targetDeploys: undefined })).note!, /could not read Production's deployment history/);
  });

  it('a package retrieved after the validation cannot be quick-deployed on its strength', () => {
    const d = dep('Approved', { package: { ...PKG, retrievedAt: '2026-03-01T10:00:00.000Z' }, validation: VALID });
    assert.match(why(d, 'quickDeploy'), /The package was retrieved again after validation 0Af000000000VALAAA/);
  });

  it('a running validation blocks the other steps and can be cancelled', () => {
    const d = dep('Approved', { package: PKG, validation: { ...VALID, completedAt: undefined, status: undefined, success: undefined } });
    assert.deepEqual(allowed(d), ['cancel']);
    assert.match(why(d, 'deploy'), /A validation of DEP-00042 is running \(0Af000000000VALAAA\); wait for it to finish or cancel it/);
    assert.match(why(d, 'abandon'), /validation of DEP-00042 is running/);
  });

  it('deploying: only cancel; a missing deploy permission is the reason given', () => {
    const d = dep('Deploying', { package: PKG, deploy: { id: '0Af000000000DEPAAA', startedAt: NOW.toISOString(), by: ALICE.userId, status: 'InProgress' } });
    assert.deepEqual(allowed(d), ['cancel']);
    assert.match(why(d, 'retrieve'), /DEP-00042 is being deployed \(0Af000000000DEPAAA\)/);
    const noPerm = ctx({ deployPermission: { ok: false, reason: 'You need Modify Metadata in Production to deploy.' } });
    assert.equal(why(d, 'cancel', noPerm), 'You need Modify Metadata in Production to deploy.');
  });

  it('failed or cancelled: deploy again (or validate) without a new approval', () => {
    for (const s of ['Failed', 'Cancelled'] as const) {
      assert.deepEqual(allowed(dep(s, { package: PKG })), ['edit', 'retrieve', 'checkDependencies', 'validate', 'deploy', 'abandon'], s);
    }
  });

  it('deployed: complete (nothing else); completed and reverted: nothing', () => {
    assert.deepEqual(allowed(dep('Deployed', { package: PKG })), ['complete']);
    assert.deepEqual(allowed(dep('Completed', { package: PKG })), []);
    assert.match(why(dep('Completed'), 'complete'), /completed already/);
    assert.match(why(dep('Reverted'), 'retrieve'), /DEP-00042 is Reverted; create a new deployment from the change request/);
  });

  it('revert: a deployed or completed record with its snapshot; refused (with why) without one, while one runs, once reverted', () => {
    const SNAP = { fileId: '069000000000001AAA', takenAt: '2026-03-01T10:00:00.000Z', by: ALICE.userId, existed: 1, absent: 1 };
    assert.deepEqual(allowed(dep('Deployed', { package: PKG, snapshot: SNAP })), ['complete', 'revert']);
    assert.deepEqual(allowed(dep('Completed', { package: PKG, snapshot: SNAP })), ['revert']);
    assert.match(actionState(dep('Deployed', { package: PKG, snapshot: SNAP }), 'revert', ctx()).note!, /Only the latest deployment to .* can be reverted/);
    assert.match(why(dep('Deployed', { package: PKG }), 'revert'), /deployed without a snapshot of .*, so it cannot be reverted/);
    assert.match(why(dep('Approved', { package: PKG, snapshot: SNAP }), 'revert'), /DEP-00042 is Approved: only a deployed deployment can be reverted/);
    const running = { id: '0Af00000000REVAAA', startedAt: '2026-03-02T10:00:00.000Z', by: ALICE.userId, status: 'InProgress' as const, overridden: 1, deleted: 1, skipped: 0 };
    assert.match(why(dep('Deployed', { package: PKG, snapshot: SNAP, revert: running }), 'revert'), /A revert of DEP-00042 is running \(0Af00000000REVAAA\)/);
    assert.match(why(dep('Reverted', { package: PKG, snapshot: SNAP }), 'revert'), /reverted already; its package cannot be deployed again as is/);
    assert.match(why(dep('Deployed', { package: PKG, snapshot: SNAP }), 'revert', ctx({ deployPermission: { ok: false, reason: 'Only release managers may revert in Production.' } })), /Only release managers/);
  });

  it('validating with NoTestRun in a sandbox is allowed and warns it cannot be quick-deployed', () => {
    const d = dep('Approved', { package: PKG, targetEnvironment: 'Dev1' });
    assert.match(actionState(d, 'validate', ctx({ target: env('Dev1') })).note!, /runs no Apex tests \(NoTestRun\), so it cannot be quick-deployed/);
  });

  it('production refuses validate and deploy with NoTestRun and Apex', () => {
    const d = dep('Approved', { package: PKG, testLevel: 'NoTestRun' });
    assert.match(why(d, 'validate'), /NoTestRun is refused there/);
    assert.match(why(d, 'deploy'), /NoTestRun is refused there/);
  });
});

describe('deployments: adding missing dependencies', () => {
  const checked = (missing: number) => ({ at: '2026-03-01T09:00:00.000Z', by: ALICE.userId, missing, sources: ['static scan' as const] });

  it('is offered once a dependency check found missing components, saying an approved record goes back for approval', () => {
    const s = actionState({ ...dep('Approved'), package: PKG, dependencyCheck: checked(2) }, 'addDependencies', ctx());
    assert.equal(s.allowed, true);
    assert.match(s.note ?? '', /retrieved from .* into the package; .* goes back for approval/);
    assert.equal(actionState({ ...dep('Draft'), dependencyCheck: checked(1) }, 'addDependencies', ctx()).allowed, true);
  });

  it('is refused before a check, after a check that found nothing, while a run goes on, and once deployed', () => {
    assert.match(why({ ...dep('Approved'), package: PKG }, 'addDependencies'), /Check the dependencies of DEP-00042 first/);
    assert.match(why({ ...dep('Approved'), package: PKG, dependencyCheck: checked(0) }, 'addDependencies'), /found nothing missing/);
    assert.match(why({ ...dep('Approved'), package: PKG, dependencyCheck: checked(1), validation: { ...VALID, completedAt: undefined } }, 'addDependencies'), /validation .* is running/);
    assert.match(why({ ...dep('Deployed'), package: PKG, dependencyCheck: checked(1) }, 'addDependencies'), /is Deployed and can no longer take components/);
  });
});
