/** Testing a connection: who we are in which org, its type, and the API version in use. */
import type { ConnectionInfo } from '../../core/orgs';
import { connectionOf, type OrgConnection } from '../connection';
import { toSalesforceError } from '../errors';
import { soqlString } from '../records';

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

/** Makes real calls to the org; throws a SalesforceError saying why the org cannot be used. */
export async function testConnection(handle: OrgConnection): Promise<ConnectionInfo> {
  const conn = connectionOf(handle);
  // A connection test answers fast: one retry (a passing 5xx), not jsforce's default five with backoff.
  const soql = async <T>(q: string): Promise<T | undefined> => {
    const url = `/services/data/v${conn.getApiVersion()}/query?q=${encodeURIComponent(q)}`;
    const res = await conn.request<{ records: T[] }>({ method: 'GET', url }, { retry: { maxRetries: 1, minTimeout: 300 } } as never);
    return res.records[0];
  };
  try {
    const org = await soql<OrgRow>('SELECT Id, Name, OrganizationType, IsSandbox, TrialExpirationDate FROM Organization');
    const user = await soql<UserRow>(`SELECT Id, Name, Username FROM User WHERE Username = ${soqlString(handle.username)}`);
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
