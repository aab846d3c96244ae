/**
 * Picking up a deployment record's validation or deploy that was still running when the window
 * reloaded (or the editor, or the CLI, stopped): the record keeps the run's id from the moment the
 * org gave it; this follows that id to its end, writes the result to the record and, after a
 * successful deploy, settles the change requests as a deploy followed from the start does.
 */
import { deploymentLabel, type DeploymentRecord } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import type { WorkflowDeps } from '../types';
import { settleChangeRequests } from './after-deploy';
import { loadPackage, recordResult, type DeploymentRef } from './records';
import type { ReleaseOptions, ReleaseResult } from './release';
import { resumeDeploy } from './run';

/** The run of the record that has not ended: its id and whether it is a validation; undefined when none runs. */
export function runningRunOf(record: DeploymentRecord): { id: string; kind: 'validate' | 'deploy' } | undefined {
  if (record.status === 'Deploying' && record.deploy && !record.deploy.completedAt) return { id: record.deploy.id, kind: 'deploy' };
  if (record.validation && !record.validation.completedAt) return { id: record.validation.id, kind: 'validate' };
  return undefined;
}

export interface ResumeRecordRequest {
  /** The environment whose org holds the record. */
  env: string;
  ref: DeploymentRef;
  pipeline: Pipeline;
  /** The run expected (from the editor's memory): when the record follows another one now, nothing is followed. */
  runId?: string;
}

/**
 * Follows the record's running validation or deploy to its end and records the result. Resolves
 * undefined when nothing of the record runs any more (another window or machine recorded its end,
 * or it follows another run than `runId`).
 */
export async function resumeRecordRun(deps: WorkflowDeps, req: ResumeRecordRequest, opts: Omit<ReleaseOptions, 'confirmOverwrites'> = {}): Promise<ReleaseResult | undefined> {
  const sf = await deps.salesforce();
  const record = typeof req.ref === 'string' ? await sf.getDeployment((await deps.sessions.get(req.env)).handle, req.ref) : req.ref;
  const run = runningRunOf(record);
  if (!run || (req.runId && run.id !== req.runId)) {
    deps.log.info(`${deploymentLabel(record)}: ${req.runId ?? 'its run'} is no longer running on the record (${record.status}); nothing to follow.`);
    return undefined;
  }
  // The package's files place the problems; without them the result is still recorded.
  const zip = record.package
    ? await loadPackage(deps, req.env, record).then(
        (p) => p.zip,
        (e: Error) => {
          deps.log.warn(`${deploymentLabel(record)}: its package could not be read (${e.message}); problems are listed without their files.`);
          return undefined;
        },
      )
    : undefined;
  deps.log.info(`Picking up the ${run.kind === 'validate' ? 'validation' : 'deploy'} ${run.id} of ${deploymentLabel(record)} in ${record.targetEnvironment}.`);
  const outcome = await resumeDeploy(deps, record.targetEnvironment, run.id, { ...opts, ...(zip ? { zip } : {}) });
  const finished = await recordResult(deps, req.env, record.id!, run.kind === 'validate' ? { kind: 'validation-finished', result: outcome.result } : { kind: 'deploy-finished', result: outcome.result });
  if (!finished.ok) {
    // Another window (or machine) following the same run recorded it first: read what it recorded.
    deps.log.info(`${deploymentLabel(record)}: ${finished.reason}`);
    const now = await sf.getDeployment((await deps.sessions.get(req.env)).handle, record.id!);
    return { record: now, outcome };
  }
  if (run.kind === 'validate' || finished.record.status !== 'Deployed') return { record: finished.record, outcome };
  const afterDeploy = await settleChangeRequests(deps, { env: req.env, record: finished.record, pipeline: req.pipeline }, { questions: opts.syncQuestions, onProgress: opts.onProgress });
  return { record: finished.record, outcome, afterDeploy };
}
