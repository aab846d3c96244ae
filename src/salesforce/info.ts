/** Testing a connection: who we are in which org, its type, and the API version in use. */
import type { ConnectionInfo } from '../core/orgs';
import { connectionOf, type OrgConnection } from './connection';
import { toSalesforceError } from './errors';

interface OrgRow {
  Id: string;
  Name: string;
  OrganizationType?: string;
  IsSandbox?: boolean;
  TrialExpirationDate?: string | null;
}

interface UserRow {
  Id: string;
  Name: string;
  Username: string;
}

function soqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Makes real calls to the org; throws a SalesforceError saying why the org cannot be used. */
export async function testConnection(handle: OrgConnection): Promise<ConnectionInfo> {
  const conn = connectionOf(handle);
  try {
    const org = (await conn.query<OrgRow>('SELECT Id, Name, OrganizationType, IsSandbox, TrialExpirationDate FROM Organization')).records[0];
    const user = (await conn.query<UserRow>(`SELECT Id, Name, Username FROM User WHERE Username = ${soqlString(handle.username)}`)).records[0];
    const isSandbox = Boolean(org?.IsSandbox) && !org?.TrialExpirationDate;
    const orgType = org?.IsSandbox
      ? org.TrialExpirationDate
        ? 'Scratch Org'
        : 'Sandbox'
      : org?.OrganizationType === 'Developer Edition'
        ? 'Developer Edition'
        : 'Production';
    return {
      username: user?.Username ?? handle.username,
      userId: user?.Id ?? '',
      userFullName: user?.Name ?? '',
      orgId: org?.Id ?? handle.orgId,
      orgName: org?.Name ?? '',
      orgType,
      isSandbox,
      instanceUrl: conn.instanceUrl,
      apiVersion: conn.getApiVersion(),
    };
  } catch (e) {
    throw toSalesforceError(e, { org: handle.label });
  }
}
