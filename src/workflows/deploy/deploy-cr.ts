/**
 * Deploying a change request by its number toward an environment (the CLI's `deploy --cr`): finds
 * the deployment record to release, or makes one, as a person would.
 *
 * - The CR's environment is the one the pipeline promotes to the target (named with `fromEnv` when
 *   several do).
 * - Among the CR's records toward the target, the newest one still in play is taken:
 *   ready (Approved, Failed, Cancelled) → it is released (its package retrieved first if it has
 *   none); Deploying → its running deploy is followed to its end (picked up by id);
 *   Draft/Rejected → submitted; Pending approval → waits. A record that was Deployed, Completed,
 *   Reverted or Abandoned is history: a new one is made.
 * - A new record is created from the approved CR (with the test level asked for) and submitted for
 *   approval: nobody approves their own deployment, so the run stops there and says who approves.
 * - A test level asked for that differs from an approved record's is refused (changing it sends
 *   the record back for approval); nothing is changed silently.
 */
import { deploymentLabel, type DeploymentRecord, type DeploymentStatus } from '../../core/deployments';
import type { TestLevel } from '../../core/metadata-types';
import type { Pipeline } from '../../core/pipeline';
import type { RunOptions, WorkflowDeps } from '../types';
import { findChangeRequest } from '../change-requests/find';
import { createDeployment, editDeployment, listDeploymentRecords, retrievePackage, submitDeployment } from './records';
import { resumeRecordRun, runningRunOf } from './resume-record';
import { deployRecord, validateRecord, type ReleaseOptions, type ReleaseResult } from './release';

export interface DeployCrRequest {
  crRef: string;
  targetEnv: string;
  /** The CR's environment, when the pipeline promotes several to the target. */
  fromEnv?: string;
  pipeline: Pipeline;
  validate?: boolean;
  testLevel?: TestLevel;
  runTests?: string[];
}

export type DeployCrOutcome =
  /** Released (or a running deploy followed): the run's result. */
  | { kind: 'ran'; env: string; record: DeploymentRecord; release: ReleaseResult; created: boolean; retrieved: boolean; resumed: boolean }
  /** Stopped before anything was sent: the record waits for a person (approval), or the request does not fit it. */
  | { kind: 'waiting'; env: string; record?: DeploymentRecord; created: boolean; reason: string };

const HISTORY: readonly DeploymentStatus[] = ['Deployed', 'Completed', 'Reverted', 'Abandoned'];

/** The environment holding the CR: the one the pipeline promotes to the target (or `fromEnv`). */
export function sourceEnvironmentFor(pipeline: Pipeline, targetEnv: string, fromEnv?: string): { ok: true; env: string } | { ok: false; reason: string } {
  const sources = [...new Set(pipeline.connections.filter((c) => c.to === targetEnv && c.kind === 'promotion').map((c) => c.from))];
  if (fromEnv) {
    if (!sources.includes(fromEnv)) {
      return { ok: false, reason: `The pipeline does not promote ${fromEnv} to ${targetEnv}${sources.length ? `; ${targetEnv} receives changes from ${sources.join(', ')}` : ''}.` };
    }
    return { ok: true, env: fromEnv };
  }
  if (sources.length === 0) return { ok: false, reason: `No environment of the pipeline promotes to ${targetEnv}: changes do not reach it through a deployment record.` };
  if (sources.length > 1) return { ok: false, reason: `${targetEnv} receives changes from ${sources.join(' and ')}; name the change request's environment with --from.` };
  return { ok: true, env: sources[0] };
}

/** The newest record of the CR toward the target that is still in play; undefined when there is none. */
async function currentRecord(deps: WorkflowDeps, env: string, crId: string, targetEnv: string, signal?: AbortSignal): Promise<DeploymentRecord | undefined> {
  let next: string | undefined;
  do {
    const page = await listDeploymentRecords(deps, env, { next, pageSize: 2000, signal });
    const hit = page.items.find((d) => d.crId.slice(0, 15) === crId.slice(0, 15) && d.targetEnvironment === targetEnv && !HISTORY.includes(d.status));
    if (hit) return hit;
    next = page.next;
  } while (next);
  return undefined;
}

const sameTests = (d: DeploymentRecord, level?: TestLevel, runTests?: string[]): boolean =>
  (level === undefined || level === d.testLevel) && (runTests === undefined || [...runTests].sort().join(',') === [...d.runTests].sort().join(','));

export async function deployChangeRequest(deps: WorkflowDeps, req: DeployCrRequest, opts: ReleaseOptions = {}): Promise<DeployCrOutcome> {
  const from = sourceEnvironmentFor(req.pipeline, req.targetEnv, req.fromEnv);
  if (!from.ok) return { kind: 'waiting', env: req.fromEnv ?? '', created: false, reason: from.reason };
  const env = from.env;
  const run: RunOptions = { signal: opts.signal, onProgress: opts.onProgress };
  opts.onProgress?.({ message: `Reading ${req.crRef} in ${env}…` });
  const cr = await findChangeRequest(deps, env, req.crRef, opts.signal);
  let record = await currentRecord(deps, env, cr.id!, req.targetEnv, opts.signal);
  let created = false;

  if (!record) {
    const made = await createDeployment(deps, { crEnv: env, crRef: cr.id!, targetEnv: req.targetEnv, pipeline: req.pipeline }, run);
    if (!made.ok) return { kind: 'waiting', env, created: false, reason: made.reason };
    record = made.record;
    created = true;
    if (req.testLevel !== undefined || req.runTests !== undefined) {
      const edited = await editDeployment(deps, env, record, { testLevel: req.testLevel ?? record.testLevel, runTests: req.runTests ?? [] });
      if (!edited.ok) return { kind: 'waiting', env, record, created, reason: edited.reason };
      record = edited.record;
    }
  }
  const label = deploymentLabel(record);

  switch (record.status) {
    case 'Draft':
    case 'Rejected': {
      const submitted = await submitDeployment(deps, env, record, req.pipeline);
      if (!submitted.ok) return { kind: 'waiting', env, record, created, reason: submitted.reason };
      const who = submitted.record.approvers.length ? ` by one of its approvers (${submitted.record.approvers.join(', ')})` : ' by someone other than you';
      return {
        kind: 'waiting',
        env,
        record: submitted.record,
        created,
        reason: `${created ? `Created ${label} for ${cr.number ?? cr.id} and submitted it` : `Submitted ${label}`} for approval; it is deployed once approved${who} (changeline deployment approve --env ${env} ${submitted.record.number ?? submitted.record.id}). Run this again then.`,
      };
    }
    case 'Pending approval':
      return { kind: 'waiting', env, record, created, reason: `${label} waits for approval; it is deployed once approved (changeline deployment approve --env ${env} ${record.number ?? record.id}). Run this again then.` };
    case 'Deploying': {
      if (!runningRunOf(record)) return { kind: 'waiting', env, record, created, reason: `${label} is Deploying but names no running deploy; refresh it in the editor.` };
      const followed = await resumeRecordRun(deps, { env, ref: record, pipeline: req.pipeline }, opts);
      if (!followed) return { kind: 'waiting', env, record, created, reason: `${label}'s deploy ended meanwhile; run this again to see the record.` };
      return { kind: 'ran', env, record: followed.record, release: followed, created, retrieved: false, resumed: true };
    }
    default:
      break;
  }
  // Ready: Approved, or a deploy that failed or was cancelled.
  if (!sameTests(record, req.testLevel, req.runTests)) {
    return {
      kind: 'waiting',
      env,
      record,
      created,
      reason: `${label} was approved with test level ${record.testLevel ?? "the target's default"}${record.runTests.length ? ` (${record.runTests.join(', ')})` : ''}; changing it sends it back for approval. Run without --test-level/--tests, or change the record and have it approved again.`,
    };
  }
  let retrieved = false;
  if (!record.package) {
    const got = await retrievePackage(deps, env, record, run);
    if (!got.ok) return { kind: 'waiting', env, record, created, reason: got.reason };
    record = got.result.record;
    retrieved = true;
  }
  const release = await (req.validate ? validateRecord : deployRecord)(deps, { env, ref: record, pipeline: req.pipeline }, opts);
  return { kind: 'ran', env, record: release.record, release, created, retrieved, resumed: false };
}
