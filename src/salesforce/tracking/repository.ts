/**
 * Change requests stored in an org's tracking schema: create, read, list by pages, update only if
 * nobody changed the record since it was read (SalesforceError kind `conflict` otherwise), and the
 * hash-chained history.
 */
import { append, type ChangeRequest, type HistoryEntry, type HistoryEntryDraft } from '../../core/change-requests';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { TrackingError } from './errors';
import { checkRecordId, createRecord, createRecords, queryPage, query, updateIfUnmodifiedSince, type RecordFields } from '../records';
import { CR_FIELDS, fromChangeRequest, fromHistoryEntry, HISTORY_FIELDS, toChangeRequest, toHistoryEntry } from './records';
import { holdsTrackingAccess, TRACKING_PERMISSION_SET } from './access';
import { CR_OBJECT, HISTORY_OBJECT, RECORD_VERSION_FIELD, VERSION_RULE_MARK } from './schema';

const checkId = (id: string) => checkRecordId(id, 'a change request id');

/**
 * Turns "no such object / field" answers into what to do: install the tracking schema, or
 * upgrade it when this Changeline uses fields the org's older schema lacks.
 */
export async function guard<T>(handle: OrgConnection, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof SalesforceError) || (e.kind !== 'invalid-request' && e.kind !== 'not-found')) throw e;
    const text = `${e.message}\n${e.detail ?? ''}`;
    if (/INVALID_TYPE|sObject type '?Changeline_[A-Za-z_]+__c'? is not supported|NOT_FOUND[^\n]*requested resource does not exist/i.test(text)) {
      throw new TrackingError('tracking-missing', `Change requests are not set up in "${handle.label}": install Changeline's change tracking there first.`, e.detail, handle.label);
    }
    if (/INVALID_FIELD|No such column/i.test(text)) {
      // Fields an org hides from a user without the permission set read as missing: tell which it is.
      const holds = await holdsTrackingAccess(handle).catch(() => undefined);
      if (holds === false) {
        throw new TrackingError(
          'tracking-access',
          `Your user ${handle.username} lacks the ${TRACKING_PERMISSION_SET} permission set in "${handle.label}", so the org hides change requests from you: ask someone who holds it to run "Grant Change Tracking Access…" for you.`,
          e.detail,
          handle.label,
        );
      }
      throw new TrackingError(
        'tracking-outdated',
        `The change tracking in "${handle.label}" is older than this Changeline, or your user lacks its ${TRACKING_PERMISSION_SET} permission set: install change tracking again (it upgrades the objects and gives you the permission set).`,
        e.detail,
        handle.label,
      );
    }
    throw e;
  }
}

const SELECT = `SELECT ${CR_FIELDS.join(', ')} FROM ${CR_OBJECT}`;

/**
 * Refuses approvers that are not active users of this org (ids from another org, deactivated
 * users), naming them.
 */
export async function checkApprovers(handle: OrgConnection, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const id of ids) checkId(id);
  const rows = await query<{ Id: string; IsActive: boolean }>(handle, `SELECT Id, IsActive FROM User WHERE Id IN (${ids.map((i) => `'${i}'`).join(', ')})`);
  const active = new Set(rows.filter((r) => r.IsActive).map((r) => r.Id.slice(0, 15)));
  const unknown = ids.filter((i) => !active.has(i.slice(0, 15)));
  if (unknown.length) {
    throw new SalesforceError(
      'invalid-request',
      `${unknown.join(', ')} ${unknown.length === 1 ? 'is not an active user' : 'are not active users'} of "${handle.label}"; choose approvers among its users.`,
      undefined,
      handle.label,
    );
  }
}

/** Saves a new CR (its approvers must be active users of the org); resolves with it as stored. */
export async function createChangeRequest(handle: OrgConnection, cr: ChangeRequest): Promise<ChangeRequest> {
  await checkApprovers(handle, cr.approvers);
  const id = await guard(handle, () => createRecord(handle, CR_OBJECT, { ...fromChangeRequest(cr), [RECORD_VERSION_FIELD]: 1 }));
  return getChangeRequest(handle, id);
}

export async function getChangeRequest(handle: OrgConnection, id: string): Promise<ChangeRequest> {
  checkId(id);
  const rows = await guard(handle, () => query<RecordFields>(handle, `${SELECT} WHERE Id = '${id}'`));
  if (!rows[0]) throw new SalesforceError('not-found', `Change request ${id} is not in "${handle.label}" (deleted, or never there).`, undefined, handle.label);
  return toChangeRequest(rows[0]);
}

export interface CrPage {
  items: ChangeRequest[];
  totalSize: number;
  /** Pass back as `next` for the following page; absent on the last one. */
  next?: string;
}

/** One page of CRs, newest first. */
export async function listChangeRequests(handle: OrgConnection, opts: { next?: string; pageSize?: number; signal?: AbortSignal } = {}): Promise<CrPage> {
  const page = await guard(handle, () => queryPage<RecordFields>(handle, opts.next ?? `${SELECT} ORDER BY CreatedDate DESC, Name DESC`, { batchSize: opts.pageSize, signal: opts.signal }));
  return { items: page.records.map(toChangeRequest), totalSize: page.totalSize, next: page.nextRecordsUrl };
}

/**
 * Writes the CR's fields if the record is unchanged since it was read; resolves with the CR as
 * stored. Throws SalesforceError kind `conflict` when someone changed it in between: read it
 * again, compare (core threeWay) and let the user choose. Two checks, both in the org: the
 * version (`cr.version` + 1, enforced by the schema's validation rule, exact even for two saves
 * in one second) and If-Unmodified-Since on `cr.lastModified` (still there should an admin
 * deactivate the rule).
 */
export async function updateChangeRequest(handle: OrgConnection, cr: ChangeRequest): Promise<ChangeRequest> {
  if (!cr.id) throw new SalesforceError('invalid-request', 'Save the change request before updating it.');
  checkId(cr.id);
  if (!cr.lastModified) throw new SalesforceError('invalid-request', `Read change request ${cr.number ?? cr.id} from the org before updating it.`);
  await checkApprovers(handle, cr.approvers);
  await updateIfUnmodifiedSince(handle, CR_OBJECT, cr.id, { ...fromChangeRequest(cr), [RECORD_VERSION_FIELD]: (cr.version ?? 0) + 1 }, cr.lastModified, VERSION_RULE_MARK);
  return getChangeRequest(handle, cr.id);
}

/** The CR's history, in chain order. */
export async function readHistory(handle: OrgConnection, crId: string): Promise<HistoryEntry[]> {
  checkId(crId);
  const rows = await guard(handle, () => query<RecordFields>(handle, `SELECT ${HISTORY_FIELDS.join(', ')} FROM ${HISTORY_OBJECT} WHERE Change_Request__c = '${crId}' ORDER BY Seq__c ASC`));
  return rows.map(toHistoryEntry);
}

/**
 * Seals the drafts onto the end of the CR's stored chain and saves them; resolves with the new
 * entries. `chain` is the history already read, to spare a query.
 */
export async function appendHistory(handle: OrgConnection, crId: string, drafts: readonly HistoryEntryDraft[], chain?: readonly HistoryEntry[]): Promise<HistoryEntry[]> {
  checkId(crId);
  if (drafts.length === 0) return [];
  const entries = append(chain ?? (await readHistory(handle, crId)), drafts);
  const results = await createRecords(handle, HISTORY_OBJECT, entries.map((e) => fromHistoryEntry(crId, e)), { allOrNone: true });
  const failed = results.find((r) => !r.success);
  if (failed?.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE')) {
    throw new SalesforceError('conflict', `Someone else added to the history of change request ${crId} at the same time; reload it and try again.`, undefined, handle.label);
  }
  if (failed) {
    throw new SalesforceError('invalid-request', `Saving the history of change request ${crId} failed: ${failed.errors.map((e) => e.message).join('; ')}`, undefined, handle.label);
  }
  return entries;
}
