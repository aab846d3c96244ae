/**
 * A target org's deployment history from the Tooling API's `DeployRequest` (every deployment, by
 * anyone, through any tool), as the core's plain rows. Quick deploy eligibility reads it.
 */
import { ORG_DEPLOY_STATUSES, type OrgDeployRow, type OrgDeployStatus } from '../../core/deployments/org-deploys';
import type { OrgConnection } from '../connection';
import { SalesforceError } from '../errors';
import { toolingQuery, type SObjectRecord } from '../records';
import type { ReadOptions } from '../transient';

export interface DeployRequestQuery extends ReadOptions {
  /** Only rows created in the last N days (default 30; a validation is quick-deployable for 10). */
  days?: number;
  /** At most this many rows, newest first (default 200). */
  limit?: number;
  /** Only rows created at or after this SOQL dateTime (`2026-12-07T02:00:00Z`): what is new since a kept read. */
  createdFrom?: string;
}

const FIELDS = [
  'Id',
  'Status',
  'StateDetail',
  'CheckOnly',
  'Type',
  'CreatedDate',
  'CreatedBy.Name',
  'StartDate',
  'CompletedDate',
  'NumberComponentsTotal',
  'NumberComponentsDeployed',
  'NumberComponentErrors',
  'NumberTestsTotal',
  'NumberTestsCompleted',
  'NumberTestErrors',
  'ErrorStatusCode',
  'ErrorMessage',
  'CanceledById',
];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (v === null || v === undefined || !Number.isFinite(Number(v)) ? undefined : Number(v));

function toRow(r: SObjectRecord): OrgDeployRow {
  const status = String(r.Status ?? '');
  const createdBy = r.CreatedBy as { Name?: unknown } | null | undefined;
  const row: OrgDeployRow = {
    id: String(r.Id ?? ''),
    status: ((ORG_DEPLOY_STATUSES as readonly string[]).includes(status) ? status : 'Failed') as OrgDeployStatus,
    checkOnly: r.CheckOnly === true || r.CheckOnly === 'true',
  };
  const optional: Partial<OrgDeployRow> = {
    stateDetail: str(r.StateDetail),
    type: str(r.Type),
    createdDate: str(r.CreatedDate),
    createdByName: str(createdBy?.Name) ?? str(r['CreatedBy.Name']),
    startDate: str(r.StartDate),
    completedDate: str(r.CompletedDate),
    numberComponentsTotal: num(r.NumberComponentsTotal),
    numberComponentsDeployed: num(r.NumberComponentsDeployed),
    numberComponentErrors: num(r.NumberComponentErrors),
    numberTestsTotal: num(r.NumberTestsTotal),
    numberTestsCompleted: num(r.NumberTestsCompleted),
    numberTestErrors: num(r.NumberTestErrors),
    errorStatusCode: str(r.ErrorStatusCode),
    errorMessage: str(r.ErrorMessage),
    canceledById: str(r.CanceledById),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (row as unknown as Record<string, unknown>)[k] = v;
  return row;
}

/** Recent deployments to the org, newest first. */
export async function recentDeployRequests(handle: OrgConnection, q: DeployRequestQuery = {}): Promise<OrgDeployRow[]> {
  const days = q.days ?? 30;
  const limit = q.limit ?? 200;
  if (!(Number.isInteger(days) && days > 0) || !(Number.isInteger(limit) && limit > 0)) {
    throw new SalesforceError('invalid-request', 'Days and limit of the deployment history are positive whole numbers.');
  }
  if (q.createdFrom !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(q.createdFrom)) {
    throw new SalesforceError('invalid-request', `The deployment history is read from a date and time like 2026-12-07T02:00:00Z (got "${q.createdFrom}").`);
  }
  const from = q.createdFrom === undefined ? '' : ` AND CreatedDate >= ${q.createdFrom}`;
  const rows = await toolingQuery(
    handle,
    `SELECT ${FIELDS.join(', ')} FROM DeployRequest WHERE CreatedDate = LAST_N_DAYS:${days}${from} ORDER BY CreatedDate DESC LIMIT ${limit}`,
    { signal: q.signal, onRetry: q.onRetry, backoff: q.backoff },
  );
  return rows.map(toRow);
}
