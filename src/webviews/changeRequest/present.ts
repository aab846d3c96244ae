/**
 * Pure functions turning change requests, their history and conflicts into the plain-text views
 * the editor webview shows (no vscode import; unit-tested).
 */
import {
  canTransition,
  nextStatuses,
  TRACKED_FIELDS,
  type Actor,
  type ApprovalPolicy,
  type ChangeRequest,
  type CrStatus,
  type HistoryEntry,
  type MergeResult,
} from '../../core/change-requests';
import type { ActionView, ConflictView, DraftFields, HistoryView, PanelState, UserView } from '../../shared/changeRequestProtocol';

/** How many list items a value summary names before "and N more". */
const LIST_SHOWN = 5;
const TEXT_SHOWN = 300;

export function userName(users: readonly UserView[], id: string | undefined): string {
  if (!id) return '';
  const u = users.find((x) => x.id === id || x.id.slice(0, 15) === id.slice(0, 15));
  return u ? u.name : id;
}

/** A field value as one line of text: components as "Type Name", approvers by name, long text cut. */
export function valueText(value: unknown, users: readonly UserView[], field?: string): string {
  if (value === undefined || value === null || value === '') return '(empty)';
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    const items = value.map((v) => {
      if (v && typeof v === 'object' && 'type' in v && 'fullName' in v) return `${String(v.type)} ${String(v.fullName)}`;
      if (field === 'approvers' && typeof v === 'string') return userName(users, v);
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
    const shown = items.slice(0, LIST_SHOWN).join(', ');
    return items.length > LIST_SHOWN ? `${shown} and ${items.length - LIST_SHOWN} more` : shown;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > TEXT_SHOWN ? `${text.slice(0, TEXT_SHOWN)}…` : text;
}

export function draftOf(cr: ChangeRequest): DraftFields {
  return {
    name: cr.name,
    changeType: cr.changeType,
    overview: cr.overview,
    customizations: cr.customizations.map((c) => ({ type: c.type, fullName: c.fullName })),
    proposedCustomizations: cr.proposedCustomizations.map((c) => ({ type: c.type, fullName: c.fullName })),
    approvers: [...cr.approvers],
  };
}

/**
 * "Pushed from CR-00012 in Dev" / "Pulled from CR-00012 in UAT" from the CR's origin (number and
 * environment when known); how the copy arrived is the first entry of its history that received
 * it ("Copied from" when the history does not say).
 */
export function originLine(cr: ChangeRequest, history: readonly HistoryEntry[] = []): string | undefined {
  const o = cr.origin;
  if (!o) return undefined;
  const arrival = history.find((e) => (e.action === 'pushed' || e.action === 'pulled') && e.details?.role === 'received');
  const verb = arrival?.action === 'pushed' ? 'Pushed' : arrival?.action === 'pulled' ? 'Pulled' : 'Copied';
  return `${verb} from ${o.number || o.recordId} in ${o.environment || `org ${o.orgId}`}`;
}

/**
 * "Deployed by DEP-00042 (kept in Dev), deploy 0Af…" from the CR's link to the deployment record
 * that deployed it; openable when the environment holding the record is known.
 */
export function deployedByView(cr: ChangeRequest): { text: string; openable: boolean } | undefined {
  const d = cr.deployment;
  if (!d?.recordId) return undefined;
  const text = `Deployed by ${d.number || d.recordId}${d.environment ? ` (kept in ${d.environment})` : ` (kept in org ${d.orgId})`}${d.deployId ? `, deploy ${d.deployId}` : ''}${d.at ? ` on ${d.at.slice(0, 10)}` : ''}`;
  return { text, openable: Boolean(d.environment) };
}

export function historyView(entries: readonly HistoryEntry[], users: readonly UserView[], tamperedIndex: number | undefined): HistoryView[] {
  return entries.map((e, i) => {
    const d = e.details ?? {};
    return {
      seq: e.seq,
      at: e.at,
      who: userName(users, e.actorId),
      action: e.action,
      changes: Array.isArray(d.changes)
        ? d.changes.map((c) => ({ label: String(c.label ?? c.field), old: valueText(c.old, users, c.field), new: valueText(c.new, users, c.field) }))
        : [],
      ...(typeof d.comment === 'string' ? { comment: d.comment } : {}),
      ...(typeof d.org === 'string' ? { org: d.org } : {}),
      tampered: i === tamperedIndex,
    };
  });
}

export function conflictView(reason: string, m: MergeResult, users: readonly UserView[]): ConflictView {
  return {
    reason,
    fields: m.conflicts.map((c) => ({
      field: c.field,
      label: c.label,
      base: valueText(c.base, users, c.field),
      mine: valueText(c.mine, users, c.field),
      theirs: valueText(c.theirs, users, c.field),
    })),
    fromTheirs: m.fromTheirs.map((f) => TRACKED_FIELDS[f]),
    fromMine: m.fromMine.map((f) => TRACKED_FIELDS[f]),
  };
}

const ACTIONS: Array<{ to: CrStatus; from?: CrStatus[]; label: string; testId: string; needsComment?: boolean }> = [
  { to: 'Pending approval', from: ['Draft', 'Rejected'], label: 'Submit for Approval', testId: 'cr-submit' },
  { to: 'Pending approval', from: ['Approved'], label: 'Send Back for Approval', testId: 'cr-submit' },
  { to: 'Approved', label: 'Approve', testId: 'cr-approve', needsComment: true },
  { to: 'Rejected', label: 'Reject', testId: 'cr-reject', needsComment: true },
  { to: 'Draft', from: ['Pending approval'], label: 'Withdraw', testId: 'cr-withdraw' },
  { to: 'Draft', from: ['Rejected'], label: 'Back to Draft', testId: 'cr-withdraw' },
  { to: 'Completed', from: ['Deployed', 'Ready', 'Idle'], label: 'Complete…', testId: 'cr-complete' },
  { to: 'Cancelled', label: 'Cancel Change Request', testId: 'cr-cancel' },
];

/**
 * The status changes this user may make now. Approve/reject are checked as if a comment were
 * given (the panel asks for it); a submit that is not possible yet comes back as `hint`.
 */
export function allowedActions(cr: ChangeRequest, actor: Actor, approval?: ApprovalPolicy): { actions: ActionView[]; hint?: string } {
  const actions: ActionView[] = [];
  let hint: string | undefined;
  const next = nextStatuses(cr.status);
  for (const a of ACTIONS) {
    if (!next.includes(a.to) || (a.from && !a.from.includes(cr.status))) continue;
    const v = canTransition(cr, a.to, { actor, comment: a.needsComment ? 'comment' : undefined, approval });
    if (v.ok) actions.push({ to: a.to, label: a.label, testId: a.testId, needsComment: !!a.needsComment });
    else if (a.to === 'Pending approval') hint = v.reason;
  }
  return { actions, ...(hint ? { hint } : {}) };
}

const EDITABLE: readonly CrStatus[] = ['Draft', 'Pending approval', 'Approved', 'Rejected'];

export interface StateInput {
  environment: string;
  cr: ChangeRequest;
  users: UserView[];
  me: { userId: string; name: string };
  history: HistoryEntry[];
  tamperedIndex?: number;
  conflict?: ConflictView;
  banner?: PanelState['banner'];
  remoteChanged: boolean;
  replaceDraft: boolean;
  /** The environment's rule on self-approval (Approve is not offered to a submitter it refuses). */
  approval?: ApprovalPolicy;
}

export function panelState(i: StateInput): PanelState {
  const { actions, hint } = allowedActions(i.cr, { userId: i.me.userId }, i.approval);
  return {
    environment: i.environment,
    id: i.cr.id ?? '',
    cr: {
      ...draftOf(i.cr),
      number: i.cr.number ?? '',
      status: i.cr.status,
      createdBy: userName(i.users, i.cr.createdBy),
      ...(originLine(i.cr, i.history) ? { originLine: originLine(i.cr, i.history) } : {}),
      ...(deployedByView(i.cr) ? { deployedBy: deployedByView(i.cr) } : {}),
    },
    users: i.users,
    me: i.me,
    actions,
    ...(hint ? { actionHint: hint } : {}),
    history: historyView(i.history, i.users, i.tamperedIndex),
    ...(i.tamperedIndex !== undefined ? { tamperedEntry: i.tamperedIndex + 1 } : {}),
    ...(i.conflict ? { conflict: i.conflict } : {}),
    ...(i.banner ? { banner: i.banner } : {}),
    remoteChanged: i.remoteChanged,
    replaceDraft: i.replaceDraft,
    editable: EDITABLE.includes(i.cr.status),
  };
}

/** Panel title: `CR-00003 · Add discount field`, with `● ` in front while there are unsaved edits. */
export function panelTitle(cr: Pick<ChangeRequest, 'number' | 'name'> | undefined, dirty: boolean, fallback = 'Change Request'): string {
  const base = cr ? [cr.number, cr.name].filter(Boolean).join(' · ') || fallback : fallback;
  return `${dirty ? '● ' : ''}${base}`;
}
