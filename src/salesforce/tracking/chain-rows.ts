/**
 * The rows of a hash-chained history object (change request history, deployment history): the
 * same columns under one parent lookup, whichever record the chain belongs to.
 */
import type { ChainEntry } from '../../core/audit/chain';
import { text, type Row } from './rows';

/** The columns of every history object. */
export const CHAIN_FIELDS = ['Id', 'Seq__c', 'Action__c', 'Details__c', 'Actor_Id__c', 'At__c', 'Hash__c', 'Prev_Hash__c'] as const;

export function toChainEntry<E extends ChainEntry<string, Record<string, unknown>>>(row: Row): E {
  let details: Record<string, unknown> = {};
  try {
    const d = JSON.parse(text(row.Details__c) || '{}') as unknown;
    if (d && typeof d === 'object' && !Array.isArray(d)) details = d as Record<string, unknown>;
  } catch {
    // An unreadable entry keeps empty details: its hash no longer matches, so verifyChain flags it.
  }
  return {
    seq: Number(row.Seq__c),
    action: text(row.Action__c),
    details,
    actorId: text(row.Actor_Id__c),
    at: text(row.At__c),
    hash: text(row.Hash__c),
    prevHash: text(row.Prev_Hash__c),
  } as E;
}

/** The row of entry `e` under its parent record (`parentField` is the lookup to it). */
export function fromChainEntry(parentField: string, parentId: string, e: ChainEntry<string, Record<string, unknown>>): Row {
  return {
    [parentField]: parentId,
    Chain_Key__c: `${parentId}:${e.seq}`,
    Seq__c: e.seq,
    Action__c: e.action,
    Details__c: JSON.stringify(e.details),
    Actor_Id__c: e.actorId,
    At__c: e.at,
    Hash__c: e.hash,
    Prev_Hash__c: e.prevHash,
  };
}
