/**
 * The org-side pieces of a sync: finding the copy an earlier sync made, deleting a draft CR with
 * its history, and asking an org which of some components it holds.
 */
import { componentKey, type ChangeRequest, type ComponentRef } from '../../core/change-requests';
import type { ComponentInfo } from '../../core/metadata-types';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { listComponents } from '../metadata/metadata-list';
import { checkRecordId, deleteRecord, query, type RecordFields } from '../records';
import { CR_FIELDS, toChangeRequest } from './records';
import { getChangeRequest, guard } from './repository';
import { CR_OBJECT } from './schema';


/** Same Salesforce id, whether written with 15 or 18 characters. */
export function sameId(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && a.slice(0, 15) === b.slice(0, 15);
}

const forms = (id: string): string => [...new Set([id, id.slice(0, 15)])].map((i) => `'${i}'`).join(', ');

/**
 * The copy of CR `crId` of org `fromOrgId` that a sync made in `to`, if any (the oldest, should
 * two syncs have raced). Throws the tracking-missing error when `to` has no change tracking.
 */
export async function findCopy(to: OrgConnection, fromOrgId: string, crId: string): Promise<ChangeRequest | undefined> {
  checkRecordId(fromOrgId, 'an org id');
  checkRecordId(crId, 'a change request id');
  const rows = await guard(to, () =>
    query<RecordFields>(to, `SELECT ${CR_FIELDS.join(', ')} FROM ${CR_OBJECT} WHERE Origin_Org_Id__c IN (${forms(fromOrgId)}) AND Origin_Record_Id__c IN (${forms(crId)}) ORDER BY CreatedDate ASC`),
  );
  return rows[0] ? toChangeRequest(rows[0]) : undefined;
}

/**
 * Deletes a CR record, without the draft check (for undoing a half-made copy). Its history goes
 * with it: the history is a master-detail child, which the org deletes with its master (the
 * permission set allows no one to delete history rows one by one).
 */
export async function removeWithHistory(handle: OrgConnection, id: string): Promise<void> {
  await deleteRecord(handle, CR_OBJECT, id);
}

/** Deletes a draft CR and its history; refuses any other status, saying what to do instead. */
export async function deleteChangeRequest(handle: OrgConnection, id: string): Promise<void> {
  const cr = await getChangeRequest(handle, id);
  if (cr.status !== 'Draft') {
    throw new SalesforceError(
      'invalid-request',
      `${cr.number ?? cr.name} is ${cr.status}: only drafts can be deleted, so its history is kept. Cancel it instead.`,
      undefined,
      handle.label,
    );
  }
  await removeWithHistory(handle, cr.id!);
}

/**
 * Which of `refs` the org holds, as keys `${type}:${fullName}` spelled as in `refs` (names
 * compare without case, as Salesforce's do). Lists only the types of `refs`; a type the org does
 * not know holds none of them.
 */
export async function componentsExisting(handle: OrgConnection, refs: readonly ComponentRef[], signal?: AbortSignal): Promise<Set<string>> {
  const types = [...new Set(refs.map((r) => r.type))];
  if (types.length === 0) return new Set();
  let listed: ComponentInfo[];
  try {
    listed = await listComponents(handle, types, { signal });
  } catch (e) {
    if (!(e instanceof SalesforceError) || e.kind !== 'invalid-request' || types.length === 1) {
      if (e instanceof SalesforceError && e.kind === 'invalid-request') return new Set();
      throw e;
    }
    // An unknown type fails the whole listMetadata call it is in: list the types one by one.
    listed = [];
    for (const t of types) {
      try {
        listed.push(...(await listComponents(handle, [t], { signal })));
      } catch (e2) {
        if (!(e2 instanceof SalesforceError) || e2.kind !== 'invalid-request') throw e2;
      }
    }
  }
  const have = new Set(listed.map((c) => componentKey(c).toLowerCase()));
  return new Set(refs.filter((r) => have.has(componentKey(r).toLowerCase())).map(componentKey));
}
