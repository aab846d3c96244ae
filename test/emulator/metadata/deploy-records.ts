/**
 * Every deployment, whoever made it, as a Tooling `DeployRequest` row (Salesforce's field
 * names), so the deployment history can be queried; and the full result by id for the REST
 * `metadata/deployRequest/{id}` resource.
 */
import type { OrgContext } from '../context';
import type { SRecord } from '../store';
import { DONE_STATUSES, type DeployJob, type DeployResultJson, type DeployStatus } from './deploy-job';

/** `2024-01-15T10:20:30.000+0000`, as Salesforce writes datetime fields. */
function sfDateTime(d: Date | undefined): string | null {
  return d ? d.toISOString().replace('Z', '+0000') : null;
}

/**
 * Where the result details of finished deployments are kept (not an sObject: no query reaches it),
 * so `checkDeployStatus` with includeDetails answers for them after a restart as Salesforce does
 * for the deployments it keeps (30 days).
 */
export const DEPLOY_DETAILS_TABLE = '__DeployResultDetails';

export function writeDeployRequest(org: OrgContext, job: DeployJob): void {
  const r = job.result(job.done);
  if (job.done && r.details) org.store.table(DEPLOY_DETAILS_TABLE).set(job.id, { Id: job.id, details: r.details } as unknown as SRecord);
  const table = org.store.table('DeployRequest');
  const record: SRecord = {
    Id: job.id,
    Status: r.status,
    StateDetail: r.stateDetail ?? null,
    // Every deployment the emulator sees comes through the Metadata API (no change sets or
    // package installs); validations and quick deploys are told apart by CheckOnly.
    Type: 'Deploy',
    StartDate: sfDateTime(job.startDate),
    CompletedDate: sfDateTime(job.completedDate),
    CreatedDate: sfDateTime(job.createdDate),
    CreatedById: job.userId,
    LastModifiedDate: sfDateTime(job.lastModifiedDate),
    LastModifiedById: job.canceledById ?? job.userId,
    CheckOnly: job.options.checkOnly,
    TestLevel: job.testLevel ?? job.options.testLevel ?? null,
    NumberComponentsTotal: r.numberComponentsTotal,
    NumberComponentsDeployed: r.numberComponentsDeployed,
    NumberComponentErrors: r.numberComponentErrors,
    NumberTestsTotal: r.numberTestsTotal,
    NumberTestsCompleted: r.numberTestsCompleted,
    NumberTestErrors: r.numberTestErrors,
    RunTestsEnabled: r.runTestsEnabled,
    RollbackOnError: job.options.rollbackOnError,
    IgnoreWarnings: job.options.ignoreWarnings,
    ErrorMessage: r.errorMessage ?? null,
    ErrorStatusCode: r.errorStatusCode ?? null,
    CanceledById: job.canceledById ?? null,
  };
  table.set(job.id, record);
  org.store.recordsChanged();
}

/** A DeployResult rebuilt from a stored DeployRequest row and, with includeDetails, its kept details. */
export function resultFromRecord(org: OrgContext, rec: SRecord, includeDetails = false): DeployResultJson {
  const kept = includeDetails ? (org.store.table(DEPLOY_DETAILS_TABLE).get(String(rec.Id)) as unknown as { details?: DeployResultJson['details'] } | undefined) : undefined;
  const iso = (v: unknown) => (typeof v === 'string' ? v.replace('+0000', 'Z') : undefined);
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const status = rec.Status as DeployStatus;
  const createdBy = String(rec.CreatedById ?? '');
  const canceledBy = rec.CanceledById ? String(rec.CanceledById) : undefined;
  return {
    id: rec.Id,
    ...(canceledBy ? { canceledBy, canceledByName: org.userById(canceledBy)?.name ?? '' } : {}),
    checkOnly: rec.CheckOnly === true,
    ...(iso(rec.CompletedDate) ? { completedDate: iso(rec.CompletedDate) } : {}),
    createdBy,
    createdByName: org.userById(createdBy)?.name ?? '',
    createdDate: iso(rec.CreatedDate) ?? '',
    done: DONE_STATUSES.includes(status),
    ...(rec.ErrorMessage ? { errorMessage: String(rec.ErrorMessage) } : {}),
    ...(rec.ErrorStatusCode ? { errorStatusCode: String(rec.ErrorStatusCode) } : {}),
    ignoreWarnings: rec.IgnoreWarnings === true,
    lastModifiedDate: iso(rec.LastModifiedDate) ?? '',
    numberComponentErrors: n(rec.NumberComponentErrors),
    numberComponentsDeployed: n(rec.NumberComponentsDeployed),
    numberComponentsTotal: n(rec.NumberComponentsTotal),
    numberTestErrors: n(rec.NumberTestErrors),
    numberTestsCompleted: n(rec.NumberTestsCompleted),
    numberTestsTotal: n(rec.NumberTestsTotal),
    rollbackOnError: rec.RollbackOnError === true,
    runTestsEnabled: rec.RunTestsEnabled === true,
    ...(iso(rec.StartDate) ? { startDate: iso(rec.StartDate) } : {}),
    ...(rec.StateDetail ? { stateDetail: String(rec.StateDetail) } : {}),
    status,
    success: status === 'Succeeded' || status === 'SucceededPartial',
    ...(includeDetails ? { details: kept?.details ?? { componentSuccesses: [], componentFailures: [] } } : {}),
  };
}
