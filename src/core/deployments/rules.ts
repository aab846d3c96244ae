/**
 * The rules of deployment records as pure functions: status transitions, who may approve (the
 * change request rules), and what may be edited. Each refusal says what to do.
 */
import { newDraft } from '../change-requests/model';
import { canDecide, type Actor, type TransitionInput, type Verdict } from '../change-requests/rules';
import { sameValue } from '../audit/chain';
import { TEST_LEVELS } from '../pipeline/types';
import {
  EDITABLE_STATUSES,
  READY_STATUSES,
  deploymentLabel,
  type DeploymentFields,
  type DeploymentRecord,
  type DeploymentStatus,
} from './model';

export type { Actor, TransitionInput, Verdict };

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/** Where each status may go. */
const NEXT: Record<DeploymentStatus, readonly DeploymentStatus[]> = {
  Draft: ['Pending approval', 'Abandoned'],
  'Pending approval': ['Approved', 'Rejected', 'Draft', 'Abandoned'],
  Rejected: ['Draft', 'Pending approval', 'Abandoned'],
  Approved: ['Deploying', 'Pending approval', 'Abandoned'],
  Deploying: ['Deployed', 'Failed', 'Cancelled'],
  Failed: ['Deploying', 'Pending approval', 'Abandoned'],
  Cancelled: ['Deploying', 'Pending approval', 'Abandoned'],
  Deployed: ['Completed', 'Reverted'],
  Completed: ['Reverted'],
  Reverted: [],
  Abandoned: [],
};

/** The statuses a record may move to from its current one. */
export function nextDeploymentStatuses(from: DeploymentStatus): DeploymentStatus[] {
  return [...NEXT[from]];
}

/**
 * May this user approve or reject the record? The change request rule: a listed approver, or,
 * without approvers, anyone but the submitter.
 */
export function canDecideDeployment(d: DeploymentRecord, actor: Actor): Verdict {
  // The CR rule, applied to a CR-shaped view of the record, so both follow one rule (and its settings).
  const view = { ...newDraft({ name: deploymentLabel(d), approvers: d.approvers }), number: deploymentLabel(d), submittedBy: d.submittedBy };
  return canDecide(view, actor);
}

/** Whether the record may move to `to` by this actor (with the comment decisions need). */
export function canTransitionDeployment(d: DeploymentRecord, to: DeploymentStatus, input: TransitionInput): Verdict {
  const from = d.status;
  const name = deploymentLabel(d);
  if (from === to) return no(`${name} is already ${to}.`);
  const allowed = NEXT[from];
  if (!allowed.includes(to)) {
    return no(
      allowed.length === 0
        ? `${name} is ${from} and can no longer change status; create a new deployment from the change request instead.`
        : `${name} is ${from}: it can only move to ${allowed.join(' or ')}, not ${to}.`,
    );
  }
  if (to === 'Pending approval') {
    const v = validateDeploymentFields(d);
    if (!v.ok) return v;
  }
  if (from === 'Pending approval' && (to === 'Approved' || to === 'Rejected')) {
    const who = canDecideDeployment(d, input.actor);
    if (!who.ok) return who;
    if (!input.comment?.trim()) return no(`Add a comment saying why you ${to === 'Approved' ? 'approve' : 'reject'} ${name}.`);
  }
  if (from === 'Pending approval' && to === 'Draft' && d.submittedBy && d.submittedBy !== input.actor.userId) {
    return no(`Only the submitter can withdraw ${name} from approval; an approver can reject it instead.`);
  }
  if (to === 'Deploying' && !d.package) {
    return no(`Retrieve the package of ${name} before deploying it.`);
  }
  return OK;
}

export type DeploymentOutcome = { ok: true; record: DeploymentRecord } | { ok: false; reason: string };

/** Applies a transition: the new record, or the refusal. Submitting records the submitter. */
export function transitionDeployment(d: DeploymentRecord, to: DeploymentStatus, input: TransitionInput): DeploymentOutcome {
  const v = canTransitionDeployment(d, to, input);
  if (!v.ok) return v;
  const record: DeploymentRecord = { ...d, status: to };
  if (to === 'Pending approval') record.submittedBy = input.actor.userId;
  return { ok: true, record };
}

export type DeploymentEditOutcome =
  | {
      ok: true;
      record: DeploymentRecord;
      /** An approved record whose components or tests changed goes back for approval. */
      backToApproval: boolean;
      /** The components changed: the package (and its validation) no longer match and were dropped. */
      packageDropped: boolean;
      /** The validation no longer describes what would be deployed and was dropped. */
      validationDropped: boolean;
    }
  | { ok: false; reason: string };

/**
 * Applies field edits. Changing the components or the tests of an approved record sends it back
 * for approval (the editor becomes its submitter); changed components drop the package, and any
 * change to components or tests drops the validation, which no longer applies.
 */
export function applyDeploymentEdit(d: DeploymentRecord, changes: Partial<DeploymentFields>, actor: Actor): DeploymentEditOutcome {
  const name = deploymentLabel(d);
  if (!EDITABLE_STATUSES.includes(d.status)) {
    return { ok: false, reason: `${name} is ${d.status} and can no longer be edited; create a new deployment from the change request for further changes.` };
  }
  const next: DeploymentRecord = { ...d, ...changes };
  const v = validateDeploymentFields(next);
  if (!v.ok) return v;
  const key = (l: DeploymentFields['components']) => [...new Set(l.map((c) => `${c.type}:${c.fullName}`))].sort();
  const componentsChanged = changes.components !== undefined && !sameValue(key(changes.components), key(d.components));
  const testsChanged =
    (Object.prototype.hasOwnProperty.call(changes, 'testLevel') && changes.testLevel !== d.testLevel) ||
    (changes.runTests !== undefined && !sameValue(changes.runTests, d.runTests));
  const packageDropped = componentsChanged && d.package !== undefined;
  if (packageDropped) {
    delete next.package;
    delete next.dependencyCheck;
  }
  const validationDropped = (componentsChanged || testsChanged) && d.validation !== undefined;
  if (validationDropped) delete next.validation;
  const backToApproval = READY_STATUSES.includes(d.status) && (componentsChanged || testsChanged);
  if (backToApproval) {
    next.status = 'Pending approval';
    next.submittedBy = actor.userId;
  }
  return { ok: true, record: next, backToApproval, packageDropped, validationDropped };
}

/** Checks the user-edited fields (the test level against the target is checked by checkTestLevel). */
export function validateDeploymentFields(f: DeploymentFields): Verdict {
  if (!Array.isArray(f.components) || f.components.length === 0) {
    return no('Keep at least one component to deploy; to deploy nothing, abandon the deployment instead.');
  }
  const seen = new Set<string>();
  for (const c of f.components) {
    if (!c || typeof c.type !== 'string' || !c.type || typeof c.fullName !== 'string' || !c.fullName.trim()) {
      return no('Each component needs a metadata type and a full name (e.g. ApexClass Greeter).');
    }
    const k = `${c.type}:${c.fullName}`;
    if (seen.has(k)) return no(`${c.type} ${c.fullName} is listed twice; remove the duplicate.`);
    seen.add(k);
  }
  if (f.testLevel !== undefined && !(TEST_LEVELS as readonly string[]).includes(f.testLevel)) {
    return no(`"${String(f.testLevel)}" is not a test level; choose ${TEST_LEVELS.join(', ')}.`);
  }
  if (!Array.isArray(f.runTests) || f.runTests.some((t) => typeof t !== 'string')) return no('Test classes must be a list of class names.');
  if (!Array.isArray(f.approvers) || f.approvers.some((a) => typeof a !== 'string' || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(a))) {
    return no("Approvers must be user ids of this org (15 or 18 letters and digits); pick them from the org's users.");
  }
  return OK;
}
