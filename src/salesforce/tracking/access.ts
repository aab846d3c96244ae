/**
 * Who may use the tracking objects. Fields deployed through the Metadata API are readable in no
 * profile (no field-level security is granted with them), so a user needs the Changeline_Tracking
 * permission set to read or write change requests. Installing tracking assigns it to the
 * installing user; `grantTrackingAccess` assigns it to others (approvers, the team).
 */
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { checkRecordId, createRecords, query } from '../records';
import { currentUserId } from '../orgs/users';

export const TRACKING_PERMISSION_SET = 'Changeline_Tracking';

export interface AccessGrant {
  userId: string;
  /** `assigned` now, or the user `already` held the permission set. */
  outcome: 'assigned' | 'already';
}

async function permissionSetId(handle: OrgConnection): Promise<string> {
  const rows = await query<{ Id: string }>(handle, `SELECT Id FROM PermissionSet WHERE Name = '${TRACKING_PERMISSION_SET}'`);
  if (!rows[0]) {
    throw new SalesforceError('invalid-request', `"${handle.label}" has no ${TRACKING_PERMISSION_SET} permission set: install change tracking there first.`, undefined, handle.label);
  }
  return rows[0].Id;
}

async function holdersOf(handle: OrgConnection, permissionSet: string): Promise<Set<string>> {
  const rows = await query<{ AssigneeId: string }>(handle, `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = '${permissionSet}'`);
  return new Set(rows.map((r) => r.AssigneeId));
}

/** The ids of the users who hold the tracking permission set. */
export async function usersWithTrackingAccess(handle: OrgConnection): Promise<Set<string>> {
  return holdersOf(handle, await permissionSetId(handle));
}

/**
 * Whether the connection's user holds the tracking permission set; undefined when the org has
 * no such permission set (tracking not installed, or installed before it shipped one).
 */
export async function holdsTrackingAccess(handle: OrgConnection): Promise<boolean | undefined> {
  const rows = await query<{ Id: string }>(handle, `SELECT Id FROM PermissionSet WHERE Name = '${TRACKING_PERMISSION_SET}'`);
  if (!rows[0]) return undefined;
  return (await holdersOf(handle, rows[0].Id)).has(await currentUserId(handle));
}

/** Assigns the tracking permission set to each user who does not hold it yet. */
export async function grantTrackingAccess(handle: OrgConnection, userIds: readonly string[]): Promise<AccessGrant[]> {
  for (const id of userIds) checkRecordId(id, 'a user id');
  if (userIds.length === 0) return [];
  const ps = await permissionSetId(handle);
  const held = await holdersOf(handle, ps);
  const missing = [...new Set(userIds)].filter((id) => !held.has(id));
  const results = missing.length ? await createRecords(handle, 'PermissionSetAssignment', missing.map((id) => ({ AssigneeId: id, PermissionSetId: ps })), { allOrNone: false }) : [];
  const failed: string[] = [];
  const grants: AccessGrant[] = [];
  results.forEach((r, i) => {
    // Assigned meanwhile by someone else: the user holds it, which is what was asked.
    if (r.success || r.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE')) grants.push({ userId: missing[i], outcome: 'assigned' });
    else failed.push(`${missing[i]}: ${r.errors.map((e) => e.message).join('; ')}`);
  });
  if (failed.length) {
    throw new SalesforceError('invalid-request', `Could not give ${failed.length} user(s) the ${TRACKING_PERMISSION_SET} permission set in "${handle.label}": ${failed.join(' · ')}`, undefined, handle.label);
  }
  return [...new Set(userIds)].map((id) => grants.find((g) => g.userId === id) ?? { userId: id, outcome: 'already' });
}
