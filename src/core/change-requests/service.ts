/**
 * The change request operations a user performs: each applies the rules, writes the CR through a
 * store (the org, behind a port), and appends the matching history entries. A write that meets a
 * newer copy in the store does not overwrite it: it comes back as a conflict with the three-way
 * comparison for the user to choose from.
 */
import { threeWay, type MergeResult } from './conflicts';
import { entriesForChange, type HistoryEntry, type HistoryEntryDraft } from './history';
import { newDraft, type ChangeRequest, type ChangeRequestFields, type CrStatus } from './model';
import { applyEdit, transition, validateFields, type Actor, type ApprovalPolicy } from './rules';

/** Where CRs live (implemented by the Salesforce layer over an org's tracking schema). */
export interface ChangeRequestStore {
  create(cr: ChangeRequest): Promise<ChangeRequest>;
  get(id: string): Promise<ChangeRequest>;
  /** Writes only if the stored copy is unchanged since `cr.lastModified`; else throws an error `isConflict` recognizes. */
  update(cr: ChangeRequest): Promise<ChangeRequest>;
  readHistory(id: string): Promise<HistoryEntry[]>;
  appendHistory(id: string, drafts: readonly HistoryEntryDraft[]): Promise<HistoryEntry[]>;
  isConflict(e: unknown): boolean;
}

export type Outcome =
  | { ok: true; cr: ChangeRequest; history: HistoryEntry[] }
  | { ok: false; reason: string }
  /** Someone changed the CR since `base` was read: nothing was written. */
  | { ok: false; reason: string; conflict: MergeResult; theirs: ChangeRequest };

export interface OpContext {
  store: ChangeRequestStore;
  actor: Actor;
  /** Clock, for history dates (default: now). */
  now?: () => Date;
  /** Metadata type names the org knows, to check component types. */
  knownTypes?: readonly string[];
  /** The environment's rule on self-approval (refused when not given). */
  approval?: ApprovalPolicy;
  /** Users' names, for refusals that say who can approve. */
  userName?: (userId: string) => string;
}

const at = (ctx: OpContext): string => (ctx.now?.() ?? new Date()).toISOString();

export async function createRequest(ctx: OpContext, fields: Partial<ChangeRequestFields> & { name: string }): Promise<Outcome> {
  const draft = newDraft(fields);
  const v = validateFields(draft, ctx.knownTypes);
  if (!v.ok) return v;
  const cr = await ctx.store.create(draft);
  const history = await ctx.store.appendHistory(cr.id!, [{ action: 'created', actorId: ctx.actor.userId, at: at(ctx), details: {} }]);
  return { ok: true, cr, history };
}

export async function editRequest(ctx: OpContext, base: ChangeRequest, changes: Partial<ChangeRequestFields>): Promise<Outcome> {
  const edit = applyEdit(base, changes, ctx.actor, ctx.knownTypes);
  if (!edit.ok) return edit;
  return write(ctx, base, edit.cr);
}

export async function changeStatus(ctx: OpContext, base: ChangeRequest, to: CrStatus, comment?: string): Promise<Outcome> {
  const t = transition(base, to, { actor: ctx.actor, comment, approval: ctx.approval, userName: ctx.userName });
  if (!t.ok) return t;
  return write(ctx, base, t.cr, comment);
}

/**
 * Saves the user's resolution of a conflict over `theirs` (the current stored copy): the edits
 * go through the edit rules and a different status through the transition rules.
 */
export async function saveResolution(ctx: OpContext, theirs: ChangeRequest, resolved: ChangeRequest, comment?: string): Promise<Outcome> {
  const { name, changeType, overview, customizations, proposedCustomizations, approvers } = resolved;
  const edit = applyEdit(theirs, { name, changeType, overview, customizations, proposedCustomizations, approvers }, ctx.actor, ctx.knownTypes);
  if (!edit.ok) return edit;
  let next = edit.cr;
  if (resolved.status !== next.status) {
    const t = transition(next, resolved.status, { actor: ctx.actor, comment, approval: ctx.approval, userName: ctx.userName });
    if (!t.ok) return t;
    next = t.cr;
  }
  return write(ctx, theirs, next, comment);
}

/** Records a push to, or a pull from, another environment. */
export async function recordTransfer(ctx: OpContext, cr: ChangeRequest, action: 'pushed' | 'pulled', org: string): Promise<HistoryEntry[]> {
  return ctx.store.appendHistory(cr.id!, [{ action, actorId: ctx.actor.userId, at: at(ctx), details: { org } }]);
}

async function write(ctx: OpContext, base: ChangeRequest, next: ChangeRequest, comment?: string): Promise<Outcome> {
  const drafts = entriesForChange(base, next, ctx.actor.userId, at(ctx), comment);
  if (drafts.length === 0) return { ok: true, cr: base, history: [] };
  let stored: ChangeRequest;
  try {
    stored = await ctx.store.update(next);
  } catch (e) {
    if (!ctx.store.isConflict(e)) throw e;
    const theirs = await ctx.store.get(base.id!);
    const conflict = threeWay(base, next, theirs);
    const fields = conflict.conflicts.map((c) => c.label);
    return {
      ok: false,
      reason: fields.length
        ? `${base.number ?? base.name} was changed by someone else meanwhile; choose your version or theirs for: ${fields.join(', ')}.`
        : `${base.number ?? base.name} was changed by someone else meanwhile; review the merged version and save again.`,
      conflict,
      theirs,
    };
  }
  const history = await ctx.store.appendHistory(stored.id!, drafts);
  return { ok: true, cr: stored, history };
}
