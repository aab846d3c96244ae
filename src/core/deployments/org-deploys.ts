/**
 * A target org's deployment history as plain rows, mirroring the Tooling API `DeployRequest`
 * (every deployment to the org, by anyone and any tool: Changeline, the sf CLI, change sets).
 */

/** DeployRequest.Status values. */
export const ORG_DEPLOY_STATUSES = [
  'Pending',
  'InProgress',
  'FinalizingDeploy',
  'FinalizingDeployFailed',
  'Succeeded',
  'SucceededPartial',
  'Failed',
  'Canceling',
  'Canceled',
] as const;
export type OrgDeployStatus = (typeof ORG_DEPLOY_STATUSES)[number];

/** One Tooling `DeployRequest` row (field names camel-cased; dates ISO). */
export interface OrgDeployRow {
  id: string;
  status: OrgDeployStatus;
  stateDetail?: string;
  /** True for a validation (check-only deploy), which changes nothing in the org. */
  checkOnly: boolean;
  /** DeployRequest.Type, e.g. `Deploy`, `Validate`, `QuickDeploy`, `ChangeSet` when the org says. */
  type?: string;
  createdDate?: string;
  /** CreatedBy.Name. */
  createdByName?: string;
  startDate?: string;
  completedDate?: string;
  numberComponentsTotal?: number;
  numberComponentsDeployed?: number;
  numberComponentErrors?: number;
  numberTestsTotal?: number;
  numberTestsCompleted?: number;
  numberTestErrors?: number;
  errorStatusCode?: string;
  errorMessage?: string;
  canceledById?: string;
}

/** True when the row changed the org: a regular (not check-only) deploy that succeeded, fully or partly. */
export function reachedOrg(row: OrgDeployRow): boolean {
  return !row.checkOnly && (row.status === 'Succeeded' || row.status === 'SucceededPartial');
}

/** True while the org still works on it (queued, running, finalizing or canceling). */
export function isRunning(row: OrgDeployRow): boolean {
  return row.status === 'Pending' || row.status === 'InProgress' || row.status === 'FinalizingDeploy' || row.status === 'Canceling';
}

/** When the row finished (completed, else started, else created), as epoch ms; undefined when unknown. */
export function finishedAt(row: OrgDeployRow): number | undefined {
  for (const d of [row.completedDate, row.startDate, row.createdDate]) {
    const t = d ? Date.parse(d) : NaN;
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

/** Rows that changed the org after `afterMs` (exclusive), earliest first. */
export function deploysAfter(rows: readonly OrgDeployRow[], afterMs: number): OrgDeployRow[] {
  return rows
    .filter((r) => reachedOrg(r) && (finishedAt(r) ?? -Infinity) > afterMs)
    .sort((a, b) => (finishedAt(a) ?? 0) - (finishedAt(b) ?? 0));
}

/** A date-time as users read it in messages: `2026-01-05 14:30 UTC`. */
export function formatWhen(iso: string | number | undefined): string {
  if (iso === undefined) return 'an unknown time';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
