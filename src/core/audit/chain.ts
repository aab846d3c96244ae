/**
 * A hash-chained audit trail, shared by the histories of change requests and deployment records:
 * each entry is sealed with a sha256 hash over its content and the previous entry's hash, so an
 * entry edited, removed or reordered outside Changeline breaks the chain at a known index.
 */
import { createHash } from 'node:crypto';

/** What an entry says, before it is sealed. */
export interface ChainDraft<A extends string = string, D = Record<string, unknown>> {
  action: A;
  /** User id of who did it. */
  actorId: string;
  /** ISO date-time. */
  at: string;
  details: D;
}

export type ChainEntry<A extends string = string, D = Record<string, unknown>> = ChainDraft<A, D> & {
  /** 1-based position in the chain. */
  seq: number;
  prevHash: string;
  hash: string;
};

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

export function hashEntry(e: Omit<ChainEntry<string, unknown>, 'hash'>): string {
  const content = canonicalJson({ seq: e.seq, action: e.action, actorId: e.actorId, at: e.at, details: e.details, prevHash: e.prevHash });
  return createHash('sha256').update(content).digest('hex');
}

/** Seals a draft as the entry following `prev` (undefined for the first entry). */
export function seal<A extends string, D>(draft: ChainDraft<A, D>, prev: ChainEntry<A, D> | undefined): ChainEntry<A, D> {
  const base = { ...draft, seq: prev ? prev.seq + 1 : 1, prevHash: prev ? prev.hash : GENESIS };
  return { ...base, hash: hashEntry(base) };
}

/** Appends sealed drafts to a chain, returning the new entries only. */
export function append<A extends string, D>(chain: readonly ChainEntry<A, D>[], drafts: readonly ChainDraft<A, D>[]): ChainEntry<A, D>[] {
  const out: ChainEntry<A, D>[] = [];
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
export function verifyChain(entries: readonly ChainEntry<string, unknown>[]): number | undefined {
  let prevHash = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!e || e.seq !== i + 1 || e.prevHash !== prevHash || e.hash !== hashEntry(e)) return i;
    prevHash = e.hash;
  }
  return undefined;
}

/** Same value, compared as canonical JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  // The same object (a record's 10,000-component list carried over unchanged) needs no serializing.
  if (a === b) return true;
  return canonicalJson(a) === canonicalJson(b);
}
