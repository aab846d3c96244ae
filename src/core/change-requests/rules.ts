/**
 * The rules of change requests as pure functions: status transitions, who may approve, what may
 * be edited, and field validation. Each refusal carries a sentence telling the user what to do.
 */
import {
  CHANGE_TYPES,
  NAME_MAX,
  OPEN_STATUSES,
  OVERVIEW_MAX,
  isChangeType,
  sameComponents,
  type ChangeRequest,
  type ChangeRequestFields,
  type ComponentRef,
  type CrStatus,
} from './model';

export type Verdict = { ok: true } | { ok: false; reason: string };

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/** Who acts, as a user id of the org the CR lives in. */
export interface Actor {
  userId: string;
}

/** The environment's rule on self-approval (from the pipeline file: `allowSelfApproval`). */
export interface ApprovalPolicy {
  /** May the submitter approve or reject their own CR? Refused when no policy is given. */
  selfApproval: boolean;
  /** Where the CR lives, named in refusals. */
  environment?: string;
}

export interface TransitionInput {
  actor: Actor;
  /** Required to approve or reject. */
  comment?: string;
  approval?: ApprovalPolicy;
  /** A user's name for refusals that say who can approve (the id when not given). */
  userName?: (userId: string) => string;
}

/** Where each status may go (Cancelled is added for every open status). */
const NEXT: Record<CrStatus, readonly CrStatus[]> = {
  Draft: ['Pending approval'],
  'Pending approval': ['Approved', 'Rejected', 'Draft'],
  Approved: ['Deploying', 'Pending approval', 'Ready', 'Idle'],
  Rejected: ['Draft', 'Pending approval'],
  Deploying: ['Deployed', 'Approved', 'Ready', 'Idle'],
  Deployed: ['Completed'],
  // The source's CR after its deployment reached the next environment (after-deploy.ts).
  Ready: ['Completed'],
  Idle: ['Completed'],
  Completed: [],
  Cancelled: [],
};

/** The statuses a CR may move to from its current one. */
export function nextStatuses(from: CrStatus): CrStatus[] {
  const next = [...NEXT[from]];
  if (OPEN_STATUSES.includes(from)) next.push('Cancelled');
  return next;
}

/**
 * May this user approve or reject this CR? A listed approver may, anyone may when none is listed;
 * the submitter only where the environment allows self-approval. Refusals say who can.
 */
export function canDecide(cr: ChangeRequest, actor: Actor, approval?: ApprovalPolicy, userName: (id: string) => string = (id) => id): Verdict {
  const names = (ids: readonly string[]) => ids.map(userName).join(', ');
  const isSubmitter = !!cr.submittedBy && cr.submittedBy === actor.userId;
  if (cr.approvers.length > 0 && !cr.approvers.includes(actor.userId)) {
    return no(`Only an approver of ${label(cr)} can approve or reject it; ask one of its approvers (${names(cr.approvers)}).`);
  }
  if (!isSubmitter) {
    if (cr.submittedBy || cr.approvers.length > 0) return OK;
    return no(`${label(cr)} has no recorded submitter, so whether you would approve your own change cannot be told; withdraw it to Draft and submit it again.`);
  }
  if (approval?.selfApproval) return OK;
  const where = approval?.environment ? ` in ${approval.environment}` : '';
  const others = cr.approvers.filter((a) => a !== actor.userId);
  const who = others.length
    ? `ask ${others.length === 1 ? 'its approver' : 'one of its approvers'} (${names(others)})`
    : 'add a colleague as an approver and ask them';
  return no(
    `Self-approval is not allowed${where}: someone other than its submitter must approve or reject ${label(cr)}; ${who}. ` +
      `(The pipeline file's "allowSelfApproval" sets this per environment.)`,
  );
}

/** Whether the CR may move to `to` by this actor (with the comment approvals need). */
export function canTransition(cr: ChangeRequest, to: CrStatus, input: TransitionInput): Verdict {
  const from = cr.status;
  if (from === to) return no(`${label(cr)} is already ${to}.`);
  if (!nextStatuses(from).includes(to)) {
    const allowed = nextStatuses(from);
    return no(
      allowed.length === 0
        ? `${label(cr)} is ${from} and can no longer change status; create a new change request instead.`
        : `${label(cr)} is ${from}: it can only move to ${allowed.join(' or ')}, not ${to}.`,
    );
  }
  if (to === 'Pending approval') {
    if (cr.customizations.length === 0 && cr.proposedCustomizations.length === 0) {
      return no(`Add at least one customization to ${label(cr)} before submitting it for approval.`);
    }
    const v = validateFields(cr);
    if (!v.ok) return v;
  }
  if (from === 'Pending approval' && (to === 'Approved' || to === 'Rejected')) {
    const who = canDecide(cr, input.actor, input.approval, input.userName);
    if (!who.ok) return who;
    if (!input.comment?.trim()) return no(`Add a comment saying why you ${to === 'Approved' ? 'approve' : 'reject'} ${label(cr)}.`);
  }
  if (from === 'Pending approval' && to === 'Draft' && cr.submittedBy && cr.submittedBy !== input.actor.userId) {
    return no(`Only the submitter can withdraw ${label(cr)} from approval; an approver can reject it instead.`);
  }
  return OK;
}

/**
 * Applies a transition: the new CR, or the refusal. Submitting records the submitter.
 */
export function transition(cr: ChangeRequest, to: CrStatus, input: TransitionInput): { ok: true; cr: ChangeRequest } | { ok: false; reason: string } {
  const v = canTransition(cr, to, input);
  if (!v.ok) return v;
  const next: ChangeRequest = { ...cr, status: to };
  if (to === 'Pending approval') next.submittedBy = input.actor.userId;
  return { ok: true, cr: next };
}

/** Statuses in which the fields may be edited. */
const EDITABLE: readonly CrStatus[] = ['Draft', 'Pending approval', 'Approved', 'Rejected'];

export type EditOutcome = { ok: true; cr: ChangeRequest; backToApproval: boolean } | { ok: false; reason: string };

/**
 * Applies field edits. Changing the customizations of an approved CR sends it back for approval
 * (`backToApproval`), with the editor as its submitter.
 */
export function applyEdit(cr: ChangeRequest, changes: Partial<ChangeRequestFields>, actor: Actor, knownTypes?: readonly string[]): EditOutcome {
  if (!EDITABLE.includes(cr.status)) {
    return { ok: false, reason: `${label(cr)} is ${cr.status} and can no longer be edited; create a new change request for further changes.` };
  }
  const next: ChangeRequest = { ...cr, ...changes };
  const v = validateFields(next, knownTypes);
  if (!v.ok) return v;
  const componentsChanged =
    (changes.customizations !== undefined && !sameComponents(changes.customizations, cr.customizations)) ||
    (changes.proposedCustomizations !== undefined && !sameComponents(changes.proposedCustomizations, cr.proposedCustomizations));
  const backToApproval = cr.status === 'Approved' && componentsChanged;
  if (backToApproval) {
    next.status = 'Pending approval';
    next.submittedBy = actor.userId;
  }
  return { ok: true, cr: next, backToApproval };
}

/**
 * Checks the user-edited fields. `knownTypes` (metadata type names, e.g. from describeMetadata)
 * checks component types when given.
 */
export function validateFields(f: ChangeRequestFields, knownTypes?: readonly string[]): Verdict {
  const name = typeof f.name === 'string' ? f.name.trim() : '';
  if (!name) return no('Give the change request a name.');
  if (name.length > NAME_MAX) return no(`Shorten the name to ${NAME_MAX} characters or fewer (it has ${name.length}).`);
  if (!isChangeType(f.changeType)) return no(`Choose a change type: ${CHANGE_TYPES.join(', ')}.`);
  if (typeof f.overview !== 'string') return no('The overview must be text.');
  if (f.overview.length > OVERVIEW_MAX) return no(`Shorten the overview to ${OVERVIEW_MAX} characters or fewer (it has ${f.overview.length}).`);
  for (const [list, what] of [
    [f.customizations, 'customizations'],
    [f.proposedCustomizations, 'proposed customizations'],
  ] as const) {
    const v = validateComponents(list, what, knownTypes);
    if (!v.ok) return v;
  }
  if (!Array.isArray(f.approvers) || f.approvers.some((a) => typeof a !== 'string' || !/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(a))) {
    return no('Approvers must be user ids of this org (15 or 18 letters and digits); pick them from the org\'s users.');
  }
  return OK;
}

function validateComponents(list: readonly ComponentRef[], what: string, knownTypes?: readonly string[]): Verdict {
  if (!Array.isArray(list)) return no(`The ${what} must be a list of components.`);
  const seen = new Set<string>();
  for (const c of list) {
    if (!c || typeof c.type !== 'string' || !c.type || typeof c.fullName !== 'string' || !c.fullName.trim()) {
      return no(`Each of the ${what} needs a metadata type and a full name (e.g. ApexClass Greeter).`);
    }
    if (knownTypes && !knownTypes.includes(c.type)) {
      return no(`"${c.type}" (for ${c.fullName}) is not a metadata type this org knows; fix the type of that entry in the ${what}.`);
    }
    const key = `${c.type}:${c.fullName}`;
    if (seen.has(key)) return no(`${c.type} ${c.fullName} is listed twice in the ${what}; remove the duplicate.`);
    seen.add(key);
  }
  return OK;
}

function label(cr: ChangeRequest): string {
  return cr.number ?? `"${cr.name}"`;
}
