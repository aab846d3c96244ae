/**
 * Deployment records' validations and deploys running in the org, remembered in the workspace's
 * state from the moment the org gave the run its id (the record keeps the id too), so a window
 * reload or a restart picks each up again and follows it to its end, writing the result to the
 * record. Ids and names only: no session, no token.
 */
import type * as vscode from 'vscode';
import { deploymentLabel } from '../../core/deployments';
import type { Pipeline } from '../../core/pipeline';
import type { Ctx } from '../../ctx';
import { RUNNING_RECORD_RUNS_KEY } from '../../shared/ids';
import type { ReleaseResult } from '../../workflows/deploy/release';
import { resumeRecordRun } from '../../workflows/deploy/resume-record';
import { DeployError } from '../../workflows/deploy/run';
import { withCancellableProgress } from '../progress';
import { sessionExpiredHandler } from './follow';
import { showRecordProblems } from './recordProblems';

export interface RecordRun {
  /** The environment whose org holds the record. */
  env: string;
  recordId: string;
  /** The validation or deploy id in the target. */
  runId: string;
  kind: 'validate' | 'deploy';
  /** Where it runs, when known at its start ('' otherwise: the record says). */
  targetEnv: string;
  startedAt: string;
}

const valid = (r: unknown): r is RecordRun => {
  const x = r as Partial<RecordRun> | undefined;
  return ['env', 'recordId', 'runId', 'targetEnv'].every((k) => typeof (x as Record<string, unknown> | undefined)?.[k] === 'string') && (x?.kind === 'validate' || x?.kind === 'deploy');
};

export class RunningRecordRuns {
  constructor(private readonly state: vscode.Memento) {}

  all(): RecordRun[] {
    const v = this.state.get<unknown>(RUNNING_RECORD_RUNS_KEY);
    return Array.isArray(v) ? v.filter(valid) : [];
  }

  add(r: RecordRun): Thenable<void> {
    return this.state.update(RUNNING_RECORD_RUNS_KEY, [...this.all().filter((x) => x.runId !== r.runId), r]);
  }

  async remove(runId: string): Promise<void> {
    const left = this.all().filter((x) => x.runId !== runId);
    await this.state.update(RUNNING_RECORD_RUNS_KEY, left.length ? left : undefined);
  }
}

function pipelineOf(ctx: Ctx): Pipeline | undefined {
  const s = ctx.model.status;
  return s.kind === 'ok' ? s.pipeline : undefined;
}

/**
 * Follows each remembered run of a deployment record to its end (after a reload or a restart) and
 * records its result; resolves with what each came to (undefined for a run another window or
 * machine finished, or that could not be followed: it stays remembered, the user is told).
 */
export async function resumeRecordRuns(ctx: Ctx, onEach?: (r: RecordRun, result: ReleaseResult | undefined) => Promise<void> | void): Promise<Array<ReleaseResult | undefined>> {
  const out: Array<ReleaseResult | undefined> = [];
  for (const run of ctx.deploy.records.all()) {
    const pipeline = pipelineOf(ctx);
    if (!pipeline || !ctx.model.environment(run.env) || (run.targetEnv && !ctx.model.environment(run.targetEnv))) {
      await ctx.deploy.records.remove(run.runId);
      void ctx.prompts.warn(`The ${run.kind === 'validate' ? 'validation' : 'deploy'} ${run.runId} started before the reload cannot be followed: ${[run.env, run.targetEnv].filter(Boolean).join(' or ')} is not in the pipeline file now. Its record shows it once the pipeline names them again.`);
      out.push(undefined);
      continue;
    }
    const what = run.kind === 'validate' ? 'validation' : 'deploy';
    ctx.log.info(`Picking up the ${what} ${run.runId} of deployment ${run.recordId} to ${run.targetEnv}, started ${run.startedAt}.`);
    let result: ReleaseResult | undefined;
    try {
      result = await withCancellableProgress(
        `Following the ${what}${run.targetEnv ? ` to ${run.targetEnv}` : ''} started before the reload…`,
        (opts) => resumeRecordRun(ctx, { env: run.env, ref: run.recordId, pipeline, runId: run.runId }, { ...opts, onSessionExpired: sessionExpiredHandler(ctx, run.targetEnv || run.env, what) }),
        { cancelledAs: `The ${what}` },
      );
    } catch (e) {
      ctx.deployments.refresh(run.env);
      ctx.deploymentPanels.refresh(run.env);
      if (e instanceof DeployError && (e.kind === 'unreachable' || e.kind === 'expired-session')) {
        // Kept: the next reload (or Refresh of the record) picks it up again.
        void ctx.prompts.warn(`${e.message} It is picked up again when the window reloads.`);
        out.push(undefined);
        continue;
      }
      await ctx.deploy.records.remove(run.runId);
      throw e;
    }
    await ctx.deploy.records.remove(run.runId);
    ctx.deployments.refresh(run.env);
    ctx.deploymentPanels.refresh(run.env);
    if (result) {
      const done = result;
      await showRecordProblems(ctx, run.env, done.record, done.outcome).catch((e: unknown) => ctx.log.warn(`The problems of ${deploymentLabel(done.record)} could not be placed on its package's files: ${(e as Error).message}`));
      for (const p of done.afterDeploy?.problems ?? []) void ctx.prompts.warn(p);
      const r = result.outcome.result;
      const head = `The ${what} ${r.id} of ${deploymentLabel(result.record)} to ${result.record.targetEnvironment} (started before the reload)`;
      if (r.canceled) void ctx.prompts.info(`${head} was canceled in the org.`);
      else if (r.success) void ctx.prompts.info(`${head} succeeded. The record is ${result.record.status}.`);
      else void ctx.prompts.warn(`${head} failed: ${r.componentErrors} component error${r.componentErrors === 1 ? '' : 's'}, ${r.tests.failures.length} failed test${r.tests.failures.length === 1 ? '' : 's'}. The record is ${result.record.status}.`);
    }
    await onEach?.(run, result);
    out.push(result);
  }
  return out;
}
