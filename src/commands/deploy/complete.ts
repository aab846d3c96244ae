/**
 * Complete (on a deployment record, or on a change request it deployed: the target's Deployed
 * copy or the source's Ready/Idle CR; from the tree, the CR panel or the deployment panel): once
 * the user checked the result, closes the record and the CRs on both sides. Before closing it
 * offers the compare of the CR's components between source and target (the Compare Across
 * Environments command).
 */
import * as vscode from 'vscode';
import { deploymentLabel } from '../../core/deployments';
import type { Ctx } from '../../ctx';
import { COMMANDS } from '../../shared/ids';
import { ChangeRequestNode } from '../../views/crNodes';
import { DeploymentNode } from '../../views/deploymentNodes';
import { completeDeployment as complete, deployedRecordOf, type CompleteResult } from '../../workflows/deploy/after-deploy';
import { withCancellableProgress } from '../progress';

export const COMPLETE = 'Complete';
export const COMPARE_FIRST = 'Compare First';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The record to complete: a record row or `{ environment, id }`; a CR row or `{ environment, crId }` finds the record that deployed it. */
async function recordOf(ctx: Ctx, arg: unknown): Promise<{ environment: string; id: string }> {
  if (arg instanceof DeploymentNode) return { environment: arg.environment, id: arg.id };
  let env: string | undefined;
  let crId: string | undefined;
  if (arg instanceof ChangeRequestNode) ({ environment: env, id: crId } = arg);
  else if (isObject(arg) && typeof arg.environment === 'string' && typeof arg.crId === 'string') ({ environment: env, crId } = arg as { environment: string; crId: string });
  else if (isObject(arg) && typeof arg.environment === 'string' && typeof arg.id === 'string' && arg.id) return { environment: arg.environment, id: arg.id };
  if (!env || !crId) throw new Error('Choose a deployed change request or deployment record in the Environments view to complete it.');
  const sf = await ctx.salesforce();
  const cr = await sf.getChangeRequest((await ctx.sessions.get(env)).handle, crId);
  // The target's copy names its record (which lives in the source's org).
  if (cr.deployment?.recordId && cr.deployment.environment) return { environment: cr.deployment.environment, id: cr.deployment.recordId };
  const record = await deployedRecordOf(ctx, env, crId);
  if (!record?.id) throw new Error(`${cr.number ?? cr.name} in ${env} has no deployment waiting to be completed (it is ${cr.status}). Deploy it first; Complete closes it once the deploy succeeded.`);
  return { environment: env, id: record.id };
}

/** Resolves with what was completed; undefined when the user compared first or stopped. */
export async function completeDeployment(ctx: Ctx, arg?: unknown): Promise<CompleteResult | undefined> {
  const t = await recordOf(ctx, arg);
  const sf = await ctx.salesforce();
  const record = await sf.getDeployment((await ctx.sessions.get(t.environment)).handle, t.id);
  if (record.status !== 'Deployed') {
    void ctx.prompts.warn(record.status === 'Completed' ? `${deploymentLabel(record)} is completed already.` : `${deploymentLabel(record)} is ${record.status}; complete it once its deploy succeeded and you checked the result.`);
    return undefined;
  }
  const n = record.components.length;
  const pick = await ctx.prompts.pick(
    [
      { label: COMPARE_FIRST, description: `Compare the ${n} component${n === 1 ? '' : 's'} of ${record.crNumber ?? 'the change request'} between ${record.sourceEnvironment} and ${record.targetEnvironment}` },
      { label: COMPLETE, description: `Close ${deploymentLabel(record)} and ${record.crNumber ?? 'its change request'} in both environments` },
    ],
    { title: `Complete ${deploymentLabel(record)}: have you checked the result in ${record.targetEnvironment}?`, ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  if (pick.label === COMPARE_FIRST) {
    await vscode.commands.executeCommand(COMMANDS.compareChangeRequest.id, { environment: record.sourceEnvironment, id: record.crId, target: record.targetEnvironment });
    void ctx.prompts.info(`Once the result in ${record.targetEnvironment} looks right, run Complete on ${deploymentLabel(record)} again.`);
    return undefined;
  }
  const done = await withCancellableProgress(`Completing ${deploymentLabel(record)}`, (opts) => complete(ctx, { env: t.environment, ref: record }, opts), { cancelledAs: 'Complete' });
  for (const env of [record.sourceEnvironment, record.targetEnvironment]) {
    ctx.deployments.refresh(env);
    ctx.deploymentPanels.refresh(env);
    ctx.changeRequests.refresh(env);
  }
  if (!done.ok) {
    void ctx.prompts.warn(done.conflict ? `${done.reason} Nothing was saved; try again.` : done.reason);
    return undefined;
  }
  const r = done.result;
  const closed = [r.source && `${r.source.number} in ${record.sourceEnvironment}`, r.target && `${r.target.number} in ${record.targetEnvironment}`].filter(Boolean).join(' and ');
  const message = `${deploymentLabel(r.record)} is Completed${closed ? `, and so is ${closed}` : ''}.`;
  ctx.log.info(message);
  void ctx.prompts.info(message);
  for (const p of r.problems) void ctx.prompts.warn(p);
  return r;
}
