/** The org's users as Changeline needs them: the active ones by name, and the one a connection acts as. */
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { query, soqlString } from '../records';

export interface OrgUser {
  id: string;
  name: string;
  username: string;
}

/** Active users, sorted by name (approver pickers, access grants). */
export async function activeUsers(handle: OrgConnection): Promise<OrgUser[]> {
  const rows = await query<{ Id: string; Name: string; Username: string }>(handle, 'SELECT Id, Name, Username FROM User WHERE IsActive = true ORDER BY Name');
  return rows.map((r) => ({ id: String(r.Id), name: String(r.Name ?? ''), username: String(r.Username ?? '') }));
}

/** The id of the user the connection acts as. */
export async function currentUserId(handle: OrgConnection): Promise<string> {
  const rows = await query<{ Id: string }>(handle, `SELECT Id FROM User WHERE Username = ${soqlString(handle.username)}`);
  if (!rows[0]) throw new SalesforceError('not-found', `Your user ${handle.username} was not found in "${handle.label}".`, undefined, handle.label);
  return rows[0].Id;
}
