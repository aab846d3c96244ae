/**
 * Who may deploy or reject what was sent to an org's deployment queue: the holders of the
 * Changeline_Release_Manager permission set (schema 5). The set is the only grant of edit on the
 * queue entry's release-manager fields, so the org itself refuses a status written by anyone else;
 * these reads say who can act before anything is tried.
 */
import { RELEASE_MANAGER_PERMISSION_SET } from '../../core/promotion/queue';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { checkRecordId, createRecords, query } from '../records';
import type { OrgUser } from '../orgs/users';

export interface ReleaseManagers {
  /** False when the org has no such permission set (tracking older than schema 5, or not installed). */
  permissionSetExists: boolean;
  /** Active holders, sorted by name. */
  holders: OrgUser[];
}

async function permissionSetId(handle: OrgConnection): Promise<string | undefined> {
  const rows = await query<{ Id: string }>(handle, `SELECT Id FROM PermissionSet WHERE Name = '${RELEASE_MANAGER_PERMISSION_SET.name}'`);
  return rows[0]?.Id;
}

/** The org's release managers (holders of the permission set). */
export async function releaseManagers(handle: OrgConnection): Promise<ReleaseManagers> {
  const ps = await permissionSetId(handle);
  if (!ps) return { permissionSetExists: false, holders: [] };
  const assigned = await query<{ AssigneeId: string }>(handle, `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = '${ps}'`);
  const ids = [...new Set(assigned.map((r) => r.AssigneeId))];
  if (ids.length === 0) return { permissionSetExists: true, holders: [] };
  const users = await query<{ Id: string; Name: string; Username: string; IsActive: boolean }>(
    handle,
    `SELECT Id, Name, Username, IsActive FROM User WHERE Id IN (${ids.map((i) => `'${i}'`).join(', ')})`,
  );
  const holders = users
    .filter((u) => u.IsActive !== false)
    .map((u) => ({ id: String(u.Id), name: String(u.Name ?? ''), username: String(u.Username ?? '') }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { permissionSetExists: true, holders };
}

/** Makes users release managers of the org (those who hold the set already are left as they are). */
export async function grantReleaseManager(handle: OrgConnection, userIds: readonly string[]): Promise<void> {
  for (const id of userIds) checkRecordId(id, 'a user id');
  const ps = await permissionSetId(handle);
  if (!ps) {
    throw new SalesforceError(
      'invalid-request',
      `"${handle.label}" has no ${RELEASE_MANAGER_PERMISSION_SET.label} permission set: install change tracking there again (schema 5 brings it).`,
      undefined,
      handle.label,
    );
  }
  const held = new Set((await query<{ AssigneeId: string }>(handle, `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = '${ps}'`)).map((r) => r.AssigneeId));
  const missing = [...new Set(userIds)].filter((id) => !held.has(id));
  if (missing.length === 0) return;
  const results = await createRecords(handle, 'PermissionSetAssignment', missing.map((id) => ({ AssigneeId: id, PermissionSetId: ps })), { allOrNone: false });
  const failed = results.map((r, i) => ({ r, id: missing[i] })).filter(({ r }) => !r.success && !r.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE'));
  if (failed.length) {
    throw new SalesforceError(
      'invalid-request',
      `Could not give ${failed.map((f) => `${f.id} (${f.r.errors.map((e) => e.message).join('; ')})`).join(', ')} the ${RELEASE_MANAGER_PERMISSION_SET.label} permission set in "${handle.label}".`,
      undefined,
      handle.label,
    );
  }
}
