/** Testing the connection to one org: who we are there, or why it failed, as a connection state. */
import { isOrgError } from '../../core/orgErrors';
import { connectionStateFor, type ConnectionResult } from '../../core/orgs';
import type { WorkflowDeps } from '../types';

export async function testOrg(deps: Pick<WorkflowDeps, 'salesforce' | 'log'>, org: string, environment?: string): Promise<ConnectionResult> {
  try {
    const sf = await deps.salesforce();
    const info = await sf.testConnection(await sf.connect(org));
    deps.log.info(`Connection to ${org} OK: ${info.username} (${info.orgId}, ${info.orgType}, API ${info.apiVersion}).`);
    return { org, environment, state: 'connected', info };
  } catch (e) {
    deps.log.error(`Connection test of ${org} failed`, e);
    if (isOrgError(e)) return { org, environment, state: connectionStateFor(e.kind), error: { kind: e.kind, message: e.message } };
    return { org, environment, state: 'error', error: { kind: 'unexpected', message: (e as Error)?.message ?? String(e) } };
  }
}
