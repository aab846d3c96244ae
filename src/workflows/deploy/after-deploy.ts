/**
 * After a deployment record's deploy succeeded, and when the user completes it: the change
 * requests on both sides follow.
 *
 * - In the TARGET org, the CR is created or updated as a push does (the sync of
 *   ../change-requests/sync.ts: a copy linked to its origin), then marked Deployed with a link to
 *   the record (org, record id, number, environment, deploy id).
 * - In the SOURCE org, the CR follows its environment's role: development → Ready, any later
 *   stage → Idle (core after-deploy.ts).
 * - Complete (once the user checked the result): the record, the target's CR and the source's CR
 *   become Completed.
 *
 * A deploy that reached the target stays a success when a CR cannot be marked (e.g. the target has
 * no change tracking): each such step comes back as a problem saying what to do, and the deploy's
 * record keeps its Deployed status.
 */
import {
  afterDeployEntry,
  completeAfterDeploy,
  followRole,
  markDeployed,
  type AfterDeployOutcome,
  type ChangeRequest,
  type DeploymentLink,
} from '../../core/change-requests';
import { deploymentLabel, type DeploymentRecord } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import type { OrgConnection } from '../../salesforce/connection';
import type { RunOptions, WorkflowDeps } from '../types';
import { syncUntilDone, type SyncQuestions } from '../change-requests/sync';
import { completeDeploymentRecord, type DeploymentRef } from './records';

export interface AfterDeployReport {
  /** The CR in the target, marked Deployed (absent when it could not be). */
  target?: ChangeRequest;
  /** The CR in the source, in its role's status (absent when it could not be moved). */
  source?: ChangeRequest;
  /** What could not be done, with what to do; the deploy itself succeeded. */
  problems: string[];
}

const label = (cr: ChangeRequest): string => cr.number ?? `"${cr.name}"`;
const isConflict = (e: unknown): boolean => !!e && typeof e === 'object' && (e as { kind?: unknown }).kind === 'conflict';

/** A push without a person to ask: the deployed CR's fields win a conflict, and missing tracking is not installed. */
const UNATTENDED: SyncQuestions = {
  resolve: async (conflicts) => Object.fromEntries(conflicts.map((c) => [c.field, 'mine'])),
  offerInstall: async () => false,
};

/**
 * Writes `step(cr)` over the CR read from the org with its history entry; a concurrent save is
 * read again and the step applied once more.
 */
async function applyStep(
  deps: WorkflowDeps,
  handle: OrgConnection,
  actorId: string,
  read: () => Promise<ChangeRequest>,
  step: (cr: ChangeRequest) => AfterDeployOutcome,
  link: DeploymentLink,
): Promise<ChangeRequest> {
  const sf = await deps.salesforce();
  for (let attempt = 0; ; attempt++) {
    const base = await read();
    const out = step(base);
    if (!out.ok) throw new Error(out.reason);
    if (!out.changed) return base;
    try {
      const stored = await sf.updateChangeRequest(handle, out.cr);
      await sf.appendHistory(handle, stored.id!, [afterDeployEntry(base, stored, actorId, new Date().toISOString(), link)]);
      return stored;
    } catch (e) {
      if (!isConflict(e) || attempt > 0) throw e;
    }
  }
}

export function linkOf(record: DeploymentRecord, orgId: string, env: string): DeploymentLink {
  return {
    orgId,
    recordId: record.id ?? '',
    ...(record.number ? { number: record.number } : {}),
    environment: env,
    ...(record.deploy?.id ? { deployId: record.deploy.id } : {}),
    ...(record.deploy?.completedAt ? { at: record.deploy.completedAt } : {}),
  };
}

/** The target's CR for the record: a copy a sync made, else the source CR's own origin when that lives in the target. */
async function targetCopy(deps: WorkflowDeps, target: OrgConnection, sourceOrgId: string, source: ChangeRequest): Promise<ChangeRequest | undefined> {
  const sf = await deps.salesforce();
  const copy = await sf.findCopy(target, sourceOrgId, source.id!);
  if (copy) return copy;
  if (source.origin?.recordId && source.origin.orgId.slice(0, 15) === target.orgId.slice(0, 15)) return sf.getChangeRequest(target, source.origin.recordId);
  return undefined;
}

export interface SettleRequest {
  /** The environment whose org holds the record (its source). */
  env: string;
  record: DeploymentRecord;
  pipeline: Pipeline;
}

/**
 * After the record's successful deploy: the target's CR created or updated by a push and marked
 * Deployed with the link to the record; the source's CR moved to its role's status.
 */
export async function settleChangeRequests(deps: WorkflowDeps, req: SettleRequest, opts: RunOptions & { questions?: SyncQuestions } = {}): Promise<AfterDeployReport> {
  const sf = await deps.salesforce();
  const { record } = req;
  const problems: string[] = [];
  const report: AfterDeployReport = { problems };
  const name = deploymentLabel(record);
  const source = await deps.sessions.get(req.env);
  const link = linkOf(record, source.handle.orgId, req.env);
  const sourceCr = await sf.getChangeRequest(source.handle, record.crId).catch((e: Error) => {
    problems.push(`${record.crNumber ?? record.crId} could not be read in ${req.env} (${e.message}); mark it by hand.`);
    return undefined;
  });
  if (!sourceCr) return report;

  // The target: the CR as a push makes it, then Deployed with the link.
  try {
    opts.onProgress?.({ message: `Marking ${label(sourceCr)} deployed in ${record.targetEnvironment}…` });
    const target = await deps.sessions.get(record.targetEnvironment);
    const existing = await targetCopy(deps, target.handle, source.handle.orgId, sourceCr);
    // A copy closed by an earlier deployment takes no sync (its fields are frozen); it is marked again.
    const editable = !existing || ['Draft', 'Pending approval', 'Approved', 'Rejected'].includes(existing.status);
    let copyId = existing?.id;
    if (editable) {
      const synced = await syncUntilDone(deps, { fromEnv: req.env, toEnv: record.targetEnvironment, crId: sourceCr.id!, direction: 'push' }, opts.questions ?? UNATTENDED, { signal: opts.signal });
      if (!synced) throw new Error(`the push of ${label(sourceCr)} was stopped (change tracking missing or a conflict left open); push it to ${record.targetEnvironment} and mark it there`);
      copyId = synced.copy.id;
    }
    report.target = await applyStep(deps, target.handle, target.userId, () => sf.getChangeRequest(target.handle, copyId!), (cr) => markDeployed(cr, link), link);
    deps.log.info(`${label(report.target)} in ${record.targetEnvironment} is Deployed by ${name}.`);
  } catch (e) {
    problems.push(`${label(sourceCr)} could not be marked deployed in ${record.targetEnvironment}: ${(e as Error).message.replace(/\.$/, '')}.`);
  }

  // The source: the environment's role says where the CR goes.
  try {
    const role = req.pipeline.environments.find((e) => e.name === req.env)?.role ?? 'development';
    report.source = await applyStep(deps, source.handle, source.userId, () => sf.getChangeRequest(source.handle, sourceCr.id!), (cr) => followRole(cr, role), link);
    deps.log.info(`${label(report.source)} in ${req.env} is ${report.source.status} after ${name}.`);
  } catch (e) {
    problems.push(`${label(sourceCr)} in ${req.env} stayed ${sourceCr.status}: ${(e as Error).message.replace(/\.$/, '')}.`);
  }
  for (const p of problems) deps.log.warn(p);
  return report;
}

export interface CompleteResult {
  record: DeploymentRecord;
  target?: ChangeRequest;
  source?: ChangeRequest;
  problems: string[];
}

/**
 * Complete: once the user checked the deployed result, the record, the target's CR and the
 * source's CR are Completed. Refused (nothing written) unless the record is Deployed; a CR that
 * cannot be closed is reported and the rest is still completed.
 */
export async function completeDeployment(
  deps: WorkflowDeps,
  req: { env: string; ref: DeploymentRef },
  opts: RunOptions = {},
): Promise<{ ok: true; result: CompleteResult } | { ok: false; reason: string; conflict?: true }> {
  const sf = await deps.salesforce();
  opts.onProgress?.({ message: 'Completing the deployment…' });
  const done = await completeDeploymentRecord(deps, req.env, req.ref);
  if (!done.ok) return done;
  const record = done.record;
  const problems: string[] = [];
  const result: CompleteResult = { record, problems };
  const source = await deps.sessions.get(req.env);
  const link = linkOf(record, source.handle.orgId, req.env);
  try {
    const target = await deps.sessions.get(record.targetEnvironment);
    const sourceCr = await sf.getChangeRequest(source.handle, record.crId);
    const copy = await targetCopy(deps, target.handle, source.handle.orgId, sourceCr);
    if (!copy) throw new Error(`it has no copy there (it was not marked deployed)`);
    result.target = await applyStep(deps, target.handle, target.userId, () => sf.getChangeRequest(target.handle, copy.id!), completeAfterDeploy, link);
  } catch (e) {
    problems.push(`${record.crNumber ?? record.crId} in ${record.targetEnvironment} was not completed: ${(e as Error).message.replace(/\.$/, '')}.`);
  }
  try {
    result.source = await applyStep(deps, source.handle, source.userId, () => sf.getChangeRequest(source.handle, record.crId), completeAfterDeploy, link);
  } catch (e) {
    problems.push(`${record.crNumber ?? record.crId} in ${req.env} was not completed: ${(e as Error).message.replace(/\.$/, '')}.`);
  }
  for (const p of problems) deps.log.warn(p);
  deps.log.info(`${deploymentLabel(record)} completed.`);
  return { ok: true, result };
}

/** The Deployed record that took this CR (by id) out of `env`, newest first; undefined when none. */
export async function deployedRecordOf(deps: WorkflowDeps, env: string, crId: string): Promise<DeploymentRecord | undefined> {
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(env);
  let next: string | undefined;
  do {
    const page = await sf.listDeployments(handle, { statuses: ['Deployed'], next, pageSize: 2000 });
    const hit = page.items.find((d) => d.crId.slice(0, 15) === crId.slice(0, 15));
    if (hit) return hit;
    next = page.next;
  } while (next);
  return undefined;
}
