/**
 * The audit history of a change request: entries appended with who and when, each sealed with a
 * sha256 hash over its content and the previous entry's hash, so an entry edited, removed or
 * reordered outside Changeline breaks the chain at a known index.
 */
import { createHash } from 'node:crypto';
import { TRACKED_FIELDS, type ChangeRequest, type TrackedField } from './model';

export const HISTORY_ACTIONS = ['created', 'edited', 'status', 'approved', 'rejected', 'pushed', 'pulled'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface FieldChange {
  field: TrackedField;
  label: string;
  old: unknown;
  new: unknown;
}

/** What an entry says, before it is sealed. */
export interface HistoryEntryDraft {
  action: HistoryAction;
  /** User id of who did it. */
  actorId: string;
  /** ISO date-time. */
  at: string;
  /** Field changes for edits and status changes; comment for decisions; org for push/pull. */
  details: { changes?: FieldChange[]; comment?: string; org?: string; [k: string]: unknown };
}

export interface HistoryEntry extends HistoryEntryDraft {
  /** 1-based position in the chain. */
  seq: number;
  prevHash: string;
  hash: string;
}

/** The previous hash of the first entry. */
export const GENESIS = '';

/** JSON with object keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function hashEntry(e: Omit<HistoryEntry, 'hash'>): string {
  const content = canonicalJson({ seq: e.seq, action: e.action, actorId: e.actorId, at: e.at, details: e.details, prevHash: e.prevHash });
  return createHash('sha256').update(content).digest('hex');
}

/** Seals a draft as the entry following `prev` (undefined for the first entry). */
export function seal(draft: HistoryEntryDraft, prev: HistoryEntry | undefined): HistoryEntry {
  const base = { ...draft, seq: prev ? prev.seq + 1 : 1, prevHash: prev ? prev.hash : GENESIS };
  return { ...base, hash: hashEntry(base) };
}

/** Appends sealed drafts to a chain, returning the new entries only. */
export function append(chain: readonly HistoryEntry[], drafts: readonly HistoryEntryDraft[]): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  let prev = chain[chain.length - 1];
  for (const d of drafts) {
    prev = seal(d, prev);
    out.push(prev);
  }
  return out;
}

/**
 * Index (0-based) of the first entry that does not hold: its hash does not match its content,
 * it does not follow the previous entry's hash, or its position is wrong (an entry removed or
 * inserted). `undefined` when the whole chain holds.
 */
export function verifyChain(entries: readonly HistoryEntry[]): number | undefined {
  let prevHash = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!e || e.seq !== i + 1 || e.prevHash !== prevHash || e.hash !== hashEntry(e)) return i;
    prevHash = e.hash;
  }
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

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
