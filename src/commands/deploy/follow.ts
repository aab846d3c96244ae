/**
 * Running a deploy of local source under a cancellable progress notification, and following one
 * started before a reload: the id is kept from the moment the org gives it; the result goes to the
 * Problems panel and a message; an expired session asks to log in again and polling resumes; an
 * unreachable org keeps the id and offers Retry.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { DeployProblem } from '../../core/deployments/problems';
import type { DeployResult } from '../../core/metadata-types';
import type { Ctx } from '../../ctx';
import { DeployError, resumeDeploy, type DeployOutcome, type DeployRunOptions } from '../../workflows/deploy/run';
import { logInAgain } from '../environments/environments';
import { withCancellableProgress } from '../progress';
import { outcomeText } from './outcome';
import { deployFinished, VIEW_LOG } from '../promotion/log';
import type { RunningDeploy } from './running';

export const LOG_IN_AGAIN = 'Log In Again';
export const RETRY = 'Retry';
export const SHOW_PROBLEMS = 'Show Problems';

/** What a deploy command resolves with (read by the tests). */
export interface DeploySummary {
  result: DeployResult;
  problems: DeployProblem[];
  /** The message shown. */
  message: string;
  kind: 'succeeded' | 'failed' | 'canceled';
  /** Files with Problems entries. */
  files: string[];
}

/** The files the paths hold that the problems can be placed on (absolute). */
async function deployedFiles(ctx: Ctx, paths: readonly string[]): Promise<string[]> {
  const here = paths.filter((p) => fs.existsSync(p));
  if (here.length === 0) return [];
  const sf = await ctx.salesforce();
  return sf.componentsAt(here).flatMap((c) => c.files);
}

/** Asks to log in again when the session expired while following; true once logged in. */
export function sessionExpiredHandler(ctx: Ctx, env: string, what: string): () => Promise<boolean> {
  return async () => {
    const pick = await ctx.prompts.warn(
      `The session to ${env} expired while following the ${what}. The ${what} goes on in the org; log in again to keep following it.`,
      LOG_IN_AGAIN,
    );
    if (pick !== LOG_IN_AGAIN) return false;
    try {
      return await logInAgain(ctx, env);
    } catch (e) {
      ctx.log.error(`Logging in to ${env} again failed`, e);
      void ctx.prompts.error(`Logging in to ${env} again failed: ${(e as Error).message}`);
      return false;
    }
  };
}

/** Shows the outcome: Problems entries on the files, and the message with its buttons. */
async function show(ctx: Ctx, outcome: DeployOutcome, env: string, sourcePaths: readonly string[]): Promise<DeploySummary> {
  const files = await deployedFiles(ctx, sourcePaths);
  ctx.deploy.problems.clearFor(sourcePaths);
  const shown = await ctx.deploy.problems.show(outcome.problems, files);
  const text = outcomeText(outcome.result, env);
  let message = text.message;
  if (shown.unplaced.length) {
    const first = shown.unplaced.slice(0, 3).map((p) => `${p.component.type} ${p.component.fullName}: ${p.message}`);
    message += ` ${first.join('; ')}${shown.unplaced.length > 3 ? `; and ${shown.unplaced.length - 3} more (see the log)` : ''}.`;
  }
  ctx.log.info(message);
  for (const p of outcome.problems) ctx.log.info(`  ${p.path ?? `${p.component.type} ${p.component.fullName}`}:${p.range.start.line + 1}:${p.range.start.character + 1} ${p.message}`);
  const viewLog = deployFinished(ctx, env, outcome.result.id);
  if (text.kind === 'failed') {
    const actions = shown.placed > 0 ? [SHOW_PROBLEMS] : [];
    void ctx.prompts.error(message, ...actions, VIEW_LOG).then((pick) => {
      if (pick === SHOW_PROBLEMS) void vscode.commands.executeCommand('workbench.actions.view.problems');
      viewLog(pick);
    });
  } else {
    void ctx.prompts.info(message, VIEW_LOG).then(viewLog);
  }
  return { result: outcome.result, problems: outcome.problems, message, kind: text.kind, files: shown.files };
}

/** The org could not be followed: the id stays recorded; say what to do (Retry follows it again). */
function showLost(ctx: Ctx, e: DeployError): void {
  ctx.log.warn(e.message);
  if (e.kind === 'unreachable') {
    void ctx.prompts.error(e.message, RETRY).then((pick) => {
      if (pick === RETRY) void resumeRecordedDeploy(ctx).catch((err: unknown) => void ctx.prompts.error((err as Error).message));
    });
  } else {
    void ctx.prompts.warn(`${e.message} It is picked up again when the window reloads.`);
  }
}

export interface FollowRequest {
  title: string;
  targetEnv: string;
  sourcePaths: string[];
  checkOnly: boolean;
  /** Starts (or resumes) the deploy with these options. */
  run(opts: DeployRunOptions): Promise<DeployOutcome>;
  /** Set when resuming a recorded deploy. */
  deployId?: string;
}

/**
 * Runs the deploy under progress with Cancel (the workflow cancels it in the org), keeping its id
 * from the start; resolves with what was shown, or undefined when the deploy could not be followed
 * to its end (its id is kept, and the user told what to do).
 */
export async function followUnderProgress(ctx: Ctx, req: FollowRequest): Promise<DeploySummary | undefined> {
  const what = req.checkOnly ? 'validation' : 'deploy';
  let deployId = req.deployId;
  try {
    const outcome = await withCancellableProgress(req.title, ({ signal, onProgress }) =>
      req.run({
        signal,
        onProgress,
        onStarted: (id) => {
          deployId = id;
          const rec: RunningDeploy = { deployId: id, targetEnv: req.targetEnv, sourcePaths: req.sourcePaths, checkOnly: req.checkOnly, startedAt: new Date().toISOString() };
          void ctx.deploy.running.save(rec);
        },
        onSessionExpired: sessionExpiredHandler(ctx, req.targetEnv, what),
      }),
    );
    await ctx.deploy.running.clear(outcome.result.id);
    return await show(ctx, outcome, req.targetEnv, req.sourcePaths);
  } catch (e) {
    if (e instanceof DeployError && (e.kind === 'unreachable' || e.kind === 'expired-session') && (e.deployId ?? deployId)) {
      showLost(ctx, e);
      return undefined;
    }
    // Anything else ends following it: a deploy that was started stays in the org's history.
    if (deployId) await ctx.deploy.running.clear(deployId);
    throw e;
  }
}

/**
 * Picks up the deploy recorded as running (after a reload or a restart) and follows it to its end;
 * resolves undefined when none was recorded. Activation calls this.
 */
export async function resumeRecordedDeploy(ctx: Ctx): Promise<DeploySummary | undefined> {
  const rec = ctx.deploy.running.get();
  if (!rec) return undefined;
  if (!ctx.model.environment(rec.targetEnv)) {
    await ctx.deploy.running.clear(rec.deployId);
    void ctx.prompts.warn(`The ${rec.checkOnly ? 'validation' : 'deploy'} ${rec.deployId} to ${rec.targetEnv} started before the reload cannot be followed: ${rec.targetEnv} is no longer in the pipeline. See it in the org's Deployment Status.`);
    return undefined;
  }
  ctx.log.info(`Picking up ${rec.checkOnly ? 'validation' : 'deploy'} ${rec.deployId} to ${rec.targetEnv}, started ${rec.startedAt}.`);
  const sourcePaths = rec.sourcePaths.filter((p) => fs.existsSync(p));
  return followUnderProgress(ctx, {
    title: `Following the ${rec.checkOnly ? 'validation' : 'deploy'} to ${rec.targetEnv} started before the reload…`,
    targetEnv: rec.targetEnv,
    sourcePaths: rec.sourcePaths,
    checkOnly: rec.checkOnly,
    deployId: rec.deployId,
    run: (opts) => resumeDeploy(ctx, rec.targetEnv, rec.deployId, { ...opts, ...(sourcePaths.length ? { sourcePaths } : {}) }),
  });
}
