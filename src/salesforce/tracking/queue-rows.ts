/**
 * Mapping between the deployment queue's entries (Changeline_Queue_Entry__c, schema 5) and the
 * core model. The sender writes the entry's own fields; what release managers did (rejection,
 * deploy, failure, result, the snapshot taken before the deploy, its revert) is one JSON long text, Outcome__c, written with Status__c and
 * Deploy_Id__c, fields only the Changeline_Release_Manager permission set may edit. The sender's
 * withdrawal (schema 6) is a field of the sender's, Withdrawn__c ({by, at} as JSON): a waiting
 * entry (Queued, Failed, or Cancelled by a deploy) with it reads as Cancelled, withdrawn.
 */
import { QUEUE_STATUSES, type QueueEntry, type QueueStatus } from '../../core/promotion/queue';
import { isoDate } from './deployment-records';
import { componentList, text, unreadableField, type Row } from './rows';

export const QUEUE_FIELDS = [
  'Id',
  'Name',
  'Source_Environment__c',
  'Target_Environment__c',
  'Message__c',
  'Sender_Name__c',
  'Sender_Username__c',
  'Sent_At__c',
  'Change_Requests__c',
  'Components__c',
  'Digests__c',
  'Package_Document_Id__c',
  'Status__c',
  'Deploy_Id__c',
  'Outcome__c',
  'Withdrawn__c',
  'Version__c',
  'CreatedById',
  'LastModifiedDate',
] as const;

/** What Outcome__c holds. */
type Outcome = Pick<QueueEntry, 'rejection' | 'withdrawn' | 'failure' | 'deployedBy' | 'finishedAt' | 'result' | 'snapshot' | 'revert'>;

/** The keys of Outcome__c (the snapshot before the deploy and the revert are kept there too: no schema change). */
const OUTCOME_KEYS = ['rejection', 'withdrawn', 'failure', 'deployedBy', 'finishedAt', 'result', 'snapshot', 'revert'] as const;

const RECORD = 'queue entry';

function json<T>(row: Row, field: string, what: string, ok: (v: unknown) => boolean, empty: T): T {
  const raw = text(row[field]).trim();
  if (!raw) return empty;
  try {
    const v = JSON.parse(raw) as unknown;
    if (ok(v)) return v as T;
  } catch {
    // fall through
  }
  throw unreadableField(row, field, RECORD, what);
}

const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);

/** A queue entry row as the core model; a blank status is a fresh entry (Queued). */
export function toQueueEntry(row: Row): QueueEntry & { lastModified?: string; createdBy?: string } {
  const status = text(row.Status__c);
  const outcome = json<Outcome>(row, 'Outcome__c', 'a JSON object', isObject, {});
  const crs = json<QueueEntry['crs']>(row, 'Change_Requests__c', 'a change request list', (v) => Array.isArray(v) && v.every(isObject), []);
  const digests = json<Record<string, string>>(row, 'Digests__c', 'a JSON object', isObject, {});
  const e: QueueEntry & { lastModified?: string; createdBy?: string } = {
    id: text(row.Id),
    number: text(row.Name) || undefined,
    source: text(row.Source_Environment__c),
    target: text(row.Target_Environment__c),
    message: text(row.Message__c),
    sender: {
      name: text(row.Sender_Name__c),
      ...(text(row.CreatedById) ? { userId: text(row.CreatedById) } : {}),
      ...(text(row.Sender_Username__c) ? { username: text(row.Sender_Username__c) } : {}),
    },
    sentAt: isoDate(row.Sent_At__c),
    crs: crs.map((c) => ({ ...(c.number ? { number: String(c.number) } : {}), ...(c.id ? { id: String(c.id) } : {}) })),
    components: componentList(row, 'Components__c', RECORD),
    digests,
    status: !status ? 'Queued' : (QUEUE_STATUSES as readonly string[]).includes(status) ? (status as QueueStatus) : 'Cancelled',
    version: Number.isFinite(Number(row.Version__c)) ? Number(row.Version__c) : 0,
    lastModified: text(row.LastModifiedDate) || undefined,
    createdBy: text(row.CreatedById) || undefined,
  };
  if (text(row.Package_Document_Id__c)) e.packageFileId = text(row.Package_Document_Id__c);
  if (text(row.Deploy_Id__c)) e.deploymentId = text(row.Deploy_Id__c);
  for (const k of OUTCOME_KEYS) {
    if (outcome[k] !== undefined) (e as unknown as Record<string, unknown>)[k] = outcome[k];
  }
  const withdrawn = json<{ by?: unknown; at?: unknown }>(row, 'Withdrawn__c', 'a JSON object', isObject, {});
  if (typeof withdrawn.by === 'string' && (e.status === 'Queued' || e.status === 'Failed' || e.status === 'Cancelled')) {
    e.status = 'Cancelled';
    e.withdrawn = { by: withdrawn.by, at: typeof withdrawn.at === 'string' ? withdrawn.at : e.sentAt };
  }
  return e;
}

/** The sender's withdrawal of a waiting entry (Withdrawn__c, schema 6). */
export function withdrawFields(e: Pick<QueueEntry, 'withdrawn'>): Row {
  return { Withdrawn__c: e.withdrawn ? JSON.stringify({ by: e.withdrawn.by, at: e.withdrawn.at }) : null };
}

/** The fields the sender writes when sending. */
export function senderFields(e: QueueEntry): Row {
  return {
    Source_Environment__c: e.source,
    Target_Environment__c: e.target,
    Message__c: e.message,
    Sender_Name__c: e.sender.name,
    Sender_Username__c: e.sender.username ?? null,
    Sent_At__c: e.sentAt,
    Change_Requests__c: JSON.stringify(e.crs),
    Components__c: JSON.stringify(e.components),
    Digests__c: e.digests && Object.keys(e.digests).length ? JSON.stringify(e.digests) : null,
    Package_Document_Id__c: e.packageFileId ?? null,
  };
}

/** The fields only release managers may write: status, deploy id and what happened. */
export function releaseManagerFields(e: QueueEntry): Row {
  const outcome: Outcome = {};
  for (const k of OUTCOME_KEYS) {
    if (e[k] !== undefined) (outcome as Record<string, unknown>)[k] = e[k];
  }
  return {
    Status__c: e.status,
    Deploy_Id__c: e.deploymentId ?? null,
    Outcome__c: Object.keys(outcome).length ? JSON.stringify(outcome) : null,
  };
}
