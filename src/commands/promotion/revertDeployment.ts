/**
 * Revert Latest Deployment… on a deployed record (tree row, deployment panel): the plan read under
 * a cancellable progress — each component to restore (Override) or delete (the deploy created it),
 * a component changed in the target since the deploy asked about one by one (revert it anyway or
 * skip it: an explicit choice), a confirmation listing everything — then the revert deployed with
 * progress and Cancel, and recorded on the record. Thin over src/workflows/promotion/revert.ts.
 */
import { deploymentLabel } from '../../core/deployments';
import { componentKey } from '../../core/metadata-types';
import type { RevertChoice } from '../../core/promotion';
import type { Ctx } from '../../ctx';
import { revertRecord, RevertRefused, type RevertPreview, type RevertResult } from '../../workflows/promotion/revert';
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
    `Revert ${deploymentLabel(p.record)} in ${p.targetEnv}? ${count('Override')} to restore, ${count('Delete')} to delete, ${count('Skip')} skipped. The revert is a deployment to ${p.targetEnv}; afterwards this package cannot be deployed again as is.`,
    'Revert',
    [...lines, ...p.plan.warnings].join('\n'),
  );
  return ok ? choices : undefined;
}

/** revertDeployment(record row | { environment, id }): the record's deploy reverted in its target. */
export async function revertDeployment(ctx: Ctx, arg?: unknown): Promise<RevertResult | undefined> {
  const t = deploymentTarget(arg, 'to revert its deployment');
  const pipeline = pipelineOf(ctx);
  const known = ctx.deployments.find(t.environment, t.id);
  // Only release managers of the target may revert: the workflow refuses others (before any question) with who can.
  let result: RevertResult;
  try {
    result = await withCancellableProgress(
      `Revert of ${known ? `${deploymentLabel(known)} in ${known.targetEnvironment}` : 'the deployment'}`,
      (opts) =>
        revertRecord(ctx, { env: t.environment, ref: t.id, pipeline }, {
          ...opts,
          ...(known ? { onSessionExpired: sessionExpiredHandler(ctx, known.targetEnvironment, 'revert') } : {}),
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
    refreshViews(ctx, t.environment);
  }
  const r = result.outcome.result;
  const { override, delete: removed, skipped } = result.selection;
  const head = `Revert ${r.id} of ${deploymentLabel(result.record)} in ${result.record.targetEnvironment}`;
  for (const p of result.outcome.problems) ctx.log.warn(`${head}: ${p.component.type} ${p.component.fullName}: ${p.message}`);
  const viewLog = deployFinished(ctx, result.record.targetEnvironment, r.id);
  if (r.canceled) void ctx.prompts.info(`${head} was canceled in the org; nothing changed. The record is ${result.record.status}.`, VIEW_LOG).then(viewLog);
  else if (r.success) void ctx.prompts.info(`${head} succeeded: ${override.length} restored, ${removed.length} deleted, ${skipped.length} skipped. The record is ${result.record.status}.`, VIEW_LOG).then(viewLog);
  else {
    void ctx.prompts
      .warn(`${head} failed: ${r.componentErrors} component error${r.componentErrors === 1 ? '' : 's'}${r.errorMessage ? ` ${r.errorMessage}` : ''}. Salesforce rolled it back; the record stays ${result.record.status}.`, 'Show Log', VIEW_LOG)
      .then((pick) => {
        if (pick === 'Show Log') ctx.log.show();
        viewLog(pick);
      });
  }
  return result;
}
