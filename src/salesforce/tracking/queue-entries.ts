/**
 * The deployment queue of an org (schema 5): entries written by senders with their own login into
 * the target org, read by everyone holding the tracking permission set, and updated by release
 * managers only if nobody changed the entry since it was read (Version__c and its validation rule,
 * as for change requests). A write of a release manager's field by anyone else is refused by the
 * org (field-level security): it comes back as a SalesforceError with code RELEASE_MANAGER_ONLY.
 */
import type { QueueEntry } from '../../core/promotion/queue';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { checkRecordId, createRecord, query, updateIfUnmodifiedSince, type RecordFields } from '../records';
import { TrackingError } from './errors';
import { trackingStatus } from './install';
import { QUEUE_FIELDS, releaseManagerFields, senderFields, toQueueEntry, withdrawFields } from './queue-rows';
import { guard } from './repository';
import { QUEUE_OBJECT, QUEUE_SCHEMA_VERSION, QUEUE_VERSION_RULE_MARK, RECORD_VERSION_FIELD } from './schema';

/** The `code` of the org's refusal of a release manager's field to someone else. */
export const RELEASE_MANAGER_ONLY = 'release-manager-only';

export type StoredQueueEntry = QueueEntry & { lastModified?: string; createdBy?: string };

const SELECT = `SELECT ${QUEUE_FIELDS.join(', ')} FROM ${QUEUE_OBJECT}`;
const checkId = (id: string) => checkRecordId(id, 'a queue entry id');
const label = (e: Pick<QueueEntry, 'number' | 'id'>) => e.number || e.id || 'the queue entry';

/**
 * `guard`, and an org whose tracking predates the queue (no queue object yet, schema below 5)
 * is told to upgrade rather than to install.
 */
async function queueGuard<T>(handle: OrgConnection, work: () => Promise<T>): Promise<T> {
  try {
    return await guard(handle, work);
  } catch (e) {
    if (e instanceof TrackingError && e.code === 'tracking-missing') {
      const status = await trackingStatus(handle).catch(() => undefined);
      if (status?.installed) {
        throw new TrackingError(
          'tracking-outdated',
          `The change tracking in "${handle.label}" is version ${status.version ?? 'unknown'}; the deployment queue needs version ${QUEUE_SCHEMA_VERSION}: install change tracking again there (it upgrades the objects and keeps every record).`,
          e.detail,
          handle.label,
        );
      }
    }
    throw e;
  }
}

/** Saves a new entry (the sender's fields only; its status reads Queued); resolves with it as stored. */
export async function createQueueEntry(handle: OrgConnection, e: QueueEntry): Promise<StoredQueueEntry> {
  const id = await queueGuard(handle, () => createRecord(handle, QUEUE_OBJECT, { ...senderFields(e), [RECORD_VERSION_FIELD]: 1 }));
  return getQueueEntry(handle, id);
}

export async function getQueueEntry(handle: OrgConnection, id: string): Promise<StoredQueueEntry> {
  checkId(id);
  const rows = await queueGuard(handle, () => query<RecordFields>(handle, `${SELECT} WHERE Id = '${id}'`));
  if (!rows[0]) throw new SalesforceError('not-found', `Queue entry ${id} is not in "${handle.label}" (deleted, or never there).`, undefined, handle.label);
  return toQueueEntry(rows[0]);
}

/** Every entry of the org's queue, in the order they were sent. */
export async function listQueueEntries(handle: OrgConnection, opts: { signal?: AbortSignal } = {}): Promise<StoredQueueEntry[]> {
  const rows = await queueGuard(handle, () => query<RecordFields>(handle, `${SELECT} ORDER BY Sent_At__c ASC, Name ASC`, { signal: opts.signal }));
  return rows.map(toQueueEntry);
}

/**
 * Sets the package file of an entry just created by its sender (version 1 → 2, checked as every
 * write is).
 */
export async function attachQueuePackage(handle: OrgConnection, e: StoredQueueEntry, packageFileId: string): Promise<StoredQueueEntry> {
  checkRecordId(packageFileId, 'a file (ContentDocument) id');
  return write(handle, e, { Package_Document_Id__c: packageFileId });
}

/**
 * Writes what a release manager did (status, deploy id, outcome) if the entry is unchanged since
 * it was read (`e.version` as read; the model's action already counted one more). Throws
 * SalesforceError kind `conflict` when someone changed it in between; code RELEASE_MANAGER_ONLY
 * when the org refuses the user the release manager's fields.
 */
export async function updateQueueEntry(handle: OrgConnection, e: StoredQueueEntry, readVersion: number): Promise<StoredQueueEntry> {
  return write(handle, { ...e, version: readVersion }, releaseManagerFields(e));
}

/**
 * Writes the withdrawal of an entry (`e.withdrawn`, set by the model's action) if it is unchanged
 * since it was read: a field of the sender's (Withdrawn__c), so a sender without the release-manager
 * permission set may take back what they sent. Throws `conflict` as `updateQueueEntry` does.
 */
export async function withdrawQueueEntry(handle: OrgConnection, e: StoredQueueEntry, readVersion: number): Promise<StoredQueueEntry> {
  if (!e.withdrawn) throw new SalesforceError('invalid-request', `Say who withdraws ${label(e)}.`);
  return write(handle, { ...e, version: readVersion }, withdrawFields(e));
}

async function write(handle: OrgConnection, e: StoredQueueEntry, fields: RecordFields): Promise<StoredQueueEntry> {
  if (!e.id) throw new SalesforceError('invalid-request', 'Save the queue entry before updating it.');
  checkId(e.id);
  if (!e.lastModified) throw new SalesforceError('invalid-request', `Read queue entry ${label(e)} from the org before updating it.`);
  try {
    await updateIfUnmodifiedSince(handle, QUEUE_OBJECT, e.id!, { ...fields, [RECORD_VERSION_FIELD]: (e.version ?? 0) + 1 }, e.lastModified!, QUEUE_VERSION_RULE_MARK);
  } catch (err) {
    if (err instanceof SalesforceError && err.kind === 'conflict') {
      throw new SalesforceError('conflict', `${label(e)} was changed by someone else meanwhile; refresh the queue and try again.`, err.detail, handle.label);
    }
    const said = err instanceof Error ? `${err.message}\n${(err as SalesforceError).detail ?? ''}` : '';
    // Field-level security: the fields exist (the entry was read) but are not writable for this user.
    if (/INVALID_FIELD_FOR_INSERT_UPDATE/i.test(said)) {
      throw Object.assign(
        new SalesforceError('invalid-request', `"${handle.label}" refused your change to ${label(e)}: only holders of the Changeline Release Manager permission set may deploy or reject queued changes there.`, said, handle.label),
        { code: RELEASE_MANAGER_ONLY },
      );
    }
    return queueGuard(handle, () => Promise.reject(err));
  }
  return getQueueEntry(handle, e.id);
}
