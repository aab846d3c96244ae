/**
 * The tracking schema Changeline installs in an org: object names, the version this release
 * ships, and where its source-format metadata lies on disk.
 *
 * The installed version is carried by the default value of `Schema_Version__c` on the change
 * request object: describe returns it in any org (real or emulated) without querying records,
 * and a new release raises it in the same deploy that changes the schema. (A custom metadata
 * record would be the textbook carrier, but reading it needs the org to serve `__mdt` rows,
 * which the emulator does not, and it would be one more component to keep in step.)
 *
 * A CR's customizations and proposed customizations are JSON lists in long text fields on the CR
 * record, not child records: one conditional update then covers the whole CR, so a concurrent
 * edit of its components is caught like any other field (child rows would take several writes
 * that another user's edit could interleave). The history is a child object (master-detail), as
 * it only grows and each entry is sealed on its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The schema version this release ships; must equal Schema_Version__c's default in resources/tracking. */
export const TRACKING_SCHEMA_VERSION = 6;
// Version history: 1 = CRs, history chain, deployments; 2 = sync between environments
// (Origin_Number__c, Origin_Environment__c, Sync_Base__c on the change request); 3 = Version__c
// on the change request and the validation rule Version_Must_Advance (optimistic locking); 4 =
// deployment records (the deployment object's fields for the CR, environments, components, tests,
// approvals, package and facts; its Version__c and Version_Must_Advance; DEP-{00000} numbers) and
// their hash-chained history (Changeline_Deployment_History__c, master-detail).
// 5 = Ready and Idle change request statuses and Deployment__c (the link to the deployment record
// that deployed it); the deployment queue: Changeline_Queue_Entry__c (Q-{00000}; sender's fields, the release
// managers' Status__c / Deploy_Id__c / Outcome__c, Version__c and Version_Must_Advance) and the
// Changeline_Release_Manager permission set, the only grant of edit on the release managers' fields.
// 6 = Withdrawn__c on the queue entry: the sender's withdrawal of a waiting entry (a sender's field;
// Status__c stays the release managers').

export const CR_OBJECT = 'Changeline_Change_Request__c';
export const HISTORY_OBJECT = 'Changeline_CR_History__c';
export const DEPLOYMENT_OBJECT = 'Changeline_Deployment__c';
export const DEPLOYMENT_HISTORY_OBJECT = 'Changeline_Deployment_History__c';
export const VERSION_FIELD = 'Schema_Version__c';
/** The deployment queue (schema 5): entries written into the target org by the sender. */
export const QUEUE_OBJECT = 'Changeline_Queue_Entry__c';
/** The first schema version that has the deployment queue. */
export const QUEUE_SCHEMA_VERSION = 5;

/**
 * Optimistic locking of change requests. Every save writes `Version__c` one above the version it
 * read, and the validation rule `Version_Must_Advance` shipped with the schema refuses any other
 * value (FIELD_CUSTOM_VALIDATION_EXCEPTION), in the org, atomically with the write: of two saves
 * based on the same read, the second is refused even within the same second, which
 * If-Unmodified-Since (an HTTP date, one-second resolution) cannot tell apart.
 */
export const RECORD_VERSION_FIELD = 'Version__c';
export const VERSION_RULE = 'Version_Must_Advance';
/** Text of the rule's error message by which its refusal is recognized (see the rule's XML). */
export const VERSION_RULE_MARK = 'Changeline: this change request was changed by someone else since it was read.';
/** The same rule's message on the deployment object. */
export const DEPLOYMENT_VERSION_RULE_MARK = 'Changeline: this deployment record was changed by someone else since it was read.';
/** The same rule's message on the queue entry object. */
export const QUEUE_VERSION_RULE_MARK = 'Changeline: this queue entry was changed by someone else since it was read.';

const REL = path.join('resources', 'tracking');

/**
 * The resources/tracking folder next to the running code: found by walking up from this module's
 * folder (out/src/salesforce/tracking when compiled, dist/ when bundled).
 */
export function defaultTrackingFolder(start: string = __dirname): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, REL);
    if (fs.existsSync(path.join(candidate, 'objects', CR_OBJECT))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`The tracking schema (${REL}) was not found above ${start}; the extension package is incomplete.`);
}
