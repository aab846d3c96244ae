/**
 * The audit history of a change request: entries appended with who and when, sealed into the
 * hash chain of ../audit/chain.ts, so an entry edited, removed or reordered outside Changeline
 * breaks the chain at a known index.
 */
import { append as appendChain, sameValue as same, seal as sealChain, type ChainDraft, type ChainEntry } from '../audit/chain';
import { TRACKED_FIELDS, type ChangeRequest, type TrackedField } from './model';

export const HISTORY_ACTIONS = ['created', 'edited', 'status', 'approved', 'rejected', 'pushed', 'pulled'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface FieldChange {
  field: TrackedField;
  label: string;
  old: unknown;
  new: unknown;
}

export type HistoryDetails = { changes?: FieldChange[]; comment?: string; org?: string; [k: string]: unknown };

/**
 * What an entry says, before it is sealed: field changes for edits and status changes; comment
 * for decisions; org for push/pull.
 */
export type HistoryEntryDraft = ChainDraft<HistoryAction, HistoryDetails>;

/** A sealed entry: its 1-based `seq`, the previous entry's hash and its own. */
export type HistoryEntry = ChainEntry<HistoryAction, HistoryDetails>;

export { GENESIS, canonicalJson, hashEntry, verifyChain } from '../audit/chain';

/** Seals a draft as the entry following `prev` (undefined for the first entry). */
export const seal: (draft: HistoryEntryDraft, prev: HistoryEntry | undefined) => HistoryEntry = sealChain;

/** Appends sealed drafts to a chain, returning the new entries only. */
export const append: (chain: readonly HistoryEntry[], drafts: readonly HistoryEntryDraft[]) => HistoryEntry[] = appendChain;

/** The tracked fields that differ between two versions of a CR, with old and new values. */
export function diffFields(before: ChangeRequest, after: ChangeRequest): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of Object.keys(TRACKED_FIELDS) as TrackedField[]) {
    if (!same(before[field], after[field])) out.push({ field, label: TRACKED_FIELDS[field], old: before[field], new: after[field] });
  }
  return out;
}

/**
 * The history drafts for going from `before` to `after`: one `edited` entry for field changes
 * and one `status` (or `approved`/`rejected`, carrying the comment) for a status change.
 */
export function entriesForChange(before: ChangeRequest, after: ChangeRequest, actorId: string, at: string, comment?: string): HistoryEntryDraft[] {
  const changes = diffFields(before, after);
  const edits = changes.filter((c) => c.field !== 'status');
  const status = changes.find((c) => c.field === 'status');
  const out: HistoryEntryDraft[] = [];
  if (edits.length) out.push({ action: 'edited', actorId, at, details: { changes: edits } });
  if (status) {
    const action: HistoryAction = after.status === 'Approved' ? 'approved' : after.status === 'Rejected' ? 'rejected' : 'status';
    out.push({ action, actorId, at, details: { changes: [status], ...(comment?.trim() ? { comment: comment.trim() } : {}) } });
  }
  return out;
}
