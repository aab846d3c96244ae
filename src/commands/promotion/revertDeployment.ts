/**
 * Revert Latest Deployment… on a deployed record (tree row, deployment panel), and on an
 * environment (tree row, its deployment log, its queue panel): the latest Changeline deployment
 * to it, a record's or a queue entry's, found and reverted. The plan read under
 * a cancellable progress — each component to restore (Override) or delete (the deploy created it),
 * a component changed in the target since the deploy asked about one by one (revert it anyway or
 * skip it: an explicit choice), a confirmation listing everything — then the revert deployed with
 * progress and Cancel, and recorded on the record or queue entry. Thin over src/workflows/promotion/revert.ts.
 */
import { deploymentLabel } from '../../core/deployments';
import { componentKey } from '../../core/metadata-types';
import type { RevertChoice } from '../../core/promotion';
import type { Ctx } from '../../ctx';
import { EnvironmentNode } from '../../views/nodes';
import { QueueEntryNode, QueueNode } from '../../views/queueNodes';
import { findLatestDeployment, revertDeploymentOf, revertRequestOf, RevertRefused, type AnyRevertRequest, type RevertPreview, type RevertResult } from '../../workflows/promotion/revert';
import { DeployError } from '../../workflows/deploy/run';
import { sessionExpiredHandler } from '../deploy/follow';
import { deploymentTarget, pipelineOf, refreshViews } from '../deploy/records';
import { withCancellableProgress } from '../progress';
import { deployFinished, VIEW_LOG } from './log';

const REVERT_ANYWAY = 'Revert Anyway';
const SKIP = 'Skip';

/** The user's choices for the plan: one question per drifted component, then a confirmation; undefined when they stop. */
async function askChoices(ctx: Ctx, p: RevertPreview): Promise<Map<string, RevertChoice> | undefined> {
  const choices = new Map<string, RevertChoice>();
  for (const item of p.plan.items) {
    if (!item.drift || item.alreadyRestored) continue;
    const k = componentKey(item.component);
    const d = p.drift.get(k);
    const who = d?.by ? ` by ${d.by}` : '';
    const when = d?.at ? ` at ${d.at.slice(0, 16).replace('T', ' ')} UTC` : '';
    const pick = await ctx.prompts.pick(
      [
        { label: REVERT_ANYWAY, description: item.action === 'Delete' ? `delete it from ${p.targetEnv}` : 'restore the version from before the deploy' },
        { label: SKIP, description: `keep ${p.targetEnv}'s current version` },
      ],
      { title: `${item.component.type} ${item.component.fullName} changed in ${p.targetEnv}${who}${when}, after the deploy`, placeHolder: item.note, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    choices.set(k, pick.label === SKIP ? 'skip' : 'revert');
  }
  const lines = p.plan.items.map((i) => {
    const c = choices.get(componentKey(i.component)) ?? (i.alreadyRestored ? 'skip' : 'revert');
    const what = c === 'skip' ? 'Skip' : i.action;
    const drift = i.drift ? ' (changed since the deploy)' : '';
    return `${what} ${i.component.type} ${i.component.fullName}${drift}`;
  });
  const count = (a: string) => lines.filter((l) => l.startsWith(a)).length;
  const ok = await ctx.prompts.confirm(
    `Revert ${p.deployment.label} in ${p.targetEnv}? ${count('Override')} to restore, ${count('Delete')} to delete, ${count('Skip')} skipped. The revert is a deployment to ${p.targetEnv}; afterwards this package cannot be deployed again as is.`,
    'Revert',
    [...lines, ...p.plan.warnings].join('\n'),
  );
  return ok ? choices : undefined;
}

/** revertDeployment(record row | { environment, id }): the record's deploy reverted in its target. */
export async function revertDeployment(ctx: Ctx, arg?: unknown): Promise<RevertResult | undefined> {
  const t = deploymentTarget(arg, 'to revert its deployment');
  const known = ctx.deployments.find(t.environment, t.id);
  const title = `Revert of ${known ? `${deploymentLabel(known)} in ${known.targetEnvironment}` : 'the deployment'}`;
  return runRevert(ctx, { env: t.environment, ref: t.id, pipeline: pipelineOf(ctx) }, title, known?.targetEnvironment);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The environment of the row or argument (environment row, queue row or entry, `{ environment }`), and a queue entry when one is named. */
function latestTarget(arg: unknown): { environment: string; entry?: string } {
  if (arg instanceof QueueEntryNode) return { environment: arg.environment, entry: arg.id };
  if (arg instanceof QueueNode) return { environment: arg.environment };
  if (arg instanceof EnvironmentNode) return { environment: arg.name };
  if (typeof arg === 'string' && arg) return { environment: arg };
  if (isObject(arg) && typeof arg.environment === 'string' && arg.environment) return { environment: arg.environment, ...(typeof arg.entry === 'string' && arg.entry ? { entry: arg.entry } : {}) };
  throw new Error('Choose an environment in the Environments view to revert its latest deployment.');
}

/**
 * revertLatestDeployment(environment row | queue entry row | { environment, entry? }): the latest
 * Changeline deployment to the environment — a deployment record's deploy or a deploy from its
 * queue — found and reverted (a queue entry named: that one, refused unless it is the latest).
 */
export async function revertLatestDeployment(ctx: Ctx, arg?: unknown): Promise<RevertResult | undefined> {
  const t = latestTarget(arg);
  if (!ctx.model.environment(t.environment)) throw new Error(`There is no environment named "${t.environment}" in the pipeline.`);
  const pipeline = pipelineOf(ctx);
  let req: AnyRevertRequest;
  if (t.entry) req = { env: t.environment, entry: t.entry, pipeline };
  else {
    try {
      const found = await withCancellableProgress(`Finding the latest deployment to ${t.environment}`, (opts) => {
        opts.onProgress?.({ message: `Reading the deployments to ${t.environment}…` });
        return findLatestDeployment(ctx, t.environment, pipeline);
      });
      req = revertRequestOf(found, pipeline);
    } catch (e) {
      if (e instanceof RevertRefused) {
        void ctx.prompts.warn(e.message);
        return undefined;
      }
      throw e;
    }
  }
  return runRevert(ctx, req, `Revert of the latest deployment to ${t.environment}`, t.environment);
}

/** The revert under a cancellable progress, the user's choices asked, the outcome said (View Log). */
async function runRevert(ctx: Ctx, req: AnyRevertRequest, title: string, targetEnv: string | undefined): Promise<RevertResult | undefined> {
  // Only release managers of the target may revert: the workflow refuses others (before any question) with who can.
  let result: RevertResult;
  try {
    result = await withCancellableProgress(
      title,
      (opts) =>
        revertDeploymentOf(ctx, req, {
          ...opts,
          ...(targetEnv ? { onSessionExpired: sessionExpiredHandler(ctx, targetEnv, 'revert') } : {}),
          choose: (p) => askChoices(ctx, p),
        }),
      { cancelledAs: 'Revert' },
    );
  } catch (e) {
    if (e instanceof RevertRefused || (e instanceof DeployError && e.kind === 'refused')) {
      void ctx.prompts.warn(e.message);
      return undefined;
    }
    throw e;
  } finally {
    refreshAfter(ctx, req, targetEnv);
  }
  const r = result.outcome.result;
  const { override, delete: removed, skipped } = result.selection;
  const d = result.deployment;
  const what = d.kind === 'record' ? 'The record' : 'The queue entry';
  const head = `Revert ${r.id} of ${d.label} in ${d.targetEnv}`;
  for (const p of result.outcome.problems) ctx.log.warn(`${head}: ${p.component.type} ${p.component.fullName}: ${p.message}`);
  const viewLog = deployFinished(ctx, d.targetEnv, r.id);
  if (r.canceled) void ctx.prompts.info(`${head} was canceled in the org; nothing changed. ${what} is ${d.status}.`, VIEW_LOG).then(viewLog);
  else if (r.success) void ctx.prompts.info(`${head} succeeded: ${override.length} restored, ${removed.length} deleted, ${skipped.length} skipped. ${what} is ${d.status}.`, VIEW_LOG).then(viewLog);
  else {
    void ctx.prompts
      .warn(`${head} failed: ${r.componentErrors} component error${r.componentErrors === 1 ? '' : 's'}${r.errorMessage ? ` ${r.errorMessage}` : ''}. Salesforce rolled it back; ${what.toLowerCase()} stays ${d.status}.`, 'Show Log', VIEW_LOG)
      .then((pick) => {
        if (pick === 'Show Log') ctx.log.show();
        viewLog(pick);
      });
  }
  return result;
}

function refreshAfter(ctx: Ctx, req: AnyRevertRequest, targetEnv: string | undefined): void {
  refreshViews(ctx, req.env);
  const env = 'entry' in req ? req.env : targetEnv;
  if (!env) return;
  void ctx.queues.refresh(env);
  ctx.queuePanels.refresh(env);
  void ctx.deploymentLogPanels.get(env)?.reload();
}

