/**
 * The audit history of a deployment record: entries sealed into the hash chain of
 * ../audit/chain.ts, as for change requests, so an entry edited, removed or reordered outside
 * Changeline breaks the chain at a known index.
 */
import { append as appendChain, sameValue, type ChainDraft, type ChainEntry } from '../audit/chain';
import type { ComponentRef } from '../metadata-types';
import { TRACKED_DEPLOYMENT_FIELDS, type DeploymentRecord, type TrackedDeploymentField } from './model';

export const DEPLOYMENT_HISTORY_ACTIONS = ['created', 'edited', 'status', 'approved', 'rejected', 'package', 'dependencies', 'validation', 'deploy', 'snapshot', 'revert'] as const;
export type DeploymentHistoryAction = (typeof DEPLOYMENT_HISTORY_ACTIONS)[number];

export interface DeploymentFieldChange {
  field: TrackedDeploymentField;
  label: string;
  old: unknown;
  new: unknown;
  /** A long component list's change (old and new are then counts): the first added and removed. */
  added?: ComponentRef[];
  removed?: ComponentRef[];
  addedCount?: number;
  removedCount?: number;
}

/** Component lists longer than this are recorded in the history as what was added and removed, not whole. */
export const HISTORY_LIST_LIMIT = 100;

const key = (c: ComponentRef) => `${c.type}\u0000${c.fullName}`;

function listChange(field: TrackedDeploymentField, label: string, before: ComponentRef[], after: ComponentRef[]): DeploymentFieldChange {
  if (before.length <= HISTORY_LIST_LIMIT && after.length <= HISTORY_LIST_LIMIT) return { field, label, old: before, new: after };
  // 10,000 components do not fit a history entry (and the record keeps the whole list): the delta does.
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  const added = after.filter((c) => !had.has(key(c)));
  const removed = before.filter((c) => !has.has(key(c)));
  return {
    field,
    label,
    old: `${before.length} components`,
    new: `${after.length} components`,
    added: added.slice(0, HISTORY_LIST_LIMIT),
    removed: removed.slice(0, HISTORY_LIST_LIMIT),
    addedCount: added.length,
    removedCount: removed.length,
  };
}

export type DeploymentHistoryDetails = { changes?: DeploymentFieldChange[]; comment?: string; [k: string]: unknown };
export type DeploymentHistoryDraft = ChainDraft<DeploymentHistoryAction, DeploymentHistoryDetails>;
export type DeploymentHistoryEntry = ChainEntry<DeploymentHistoryAction, DeploymentHistoryDetails>;

/** Appends sealed drafts to a chain, returning the new entries only. */
export const appendDeploymentHistory: (chain: readonly DeploymentHistoryEntry[], drafts: readonly DeploymentHistoryDraft[]) => DeploymentHistoryEntry[] = appendChain;

/** The tracked fields that differ between two versions of a record, with old and new values. */
export function diffDeploymentFields(before: DeploymentRecord, after: DeploymentRecord): DeploymentFieldChange[] {
  const out: DeploymentFieldChange[] = [];
  for (const field of Object.keys(TRACKED_DEPLOYMENT_FIELDS) as TrackedDeploymentField[]) {
    if (sameValue(before[field], after[field])) continue;
    if (field === 'components') out.push(listChange(field, TRACKED_DEPLOYMENT_FIELDS[field], before.components, after.components));
    else out.push({ field, label: TRACKED_DEPLOYMENT_FIELDS[field], old: before[field], new: after[field] });
  }
  return out;
}

/**
 * The history drafts for going from `before` to `after`: one `edited` entry for field changes and
 * one `status` (or `approved`/`rejected`, with the comment) for a status change.
 */
export function deploymentEntriesForChange(before: DeploymentRecord, after: DeploymentRecord, actorId: string, at: string, comment?: string): DeploymentHistoryDraft[] {
  const changes = diffDeploymentFields(before, after);
  const edits = changes.filter((c) => c.field !== 'status');
  const status = changes.find((c) => c.field === 'status');
  const out: DeploymentHistoryDraft[] = [];
  if (edits.length) out.push({ action: 'edited', actorId, at, details: { changes: edits } });
  if (status) {
    const action: DeploymentHistoryAction = after.status === 'Approved' ? 'approved' : after.status === 'Rejected' ? 'rejected' : 'status';
    out.push({ action, actorId, at, details: { changes: [status], ...(comment?.trim() ? { comment: comment.trim() } : {}) } });
  }
  return out;
}
