/**
 * The deployment log and the deployments behind, from the editor: Open Deployment Log… (from the
 * tree's row, an environment's menu, the palette, or View Log after a deploy) and Refresh
 * Deployments Behind. Arguments: `{ environment, select? }` or an environment node (`name`).
 */
import { CancelledError, type Ctx } from '../../ctx';
import type { DeploymentLogPanel } from '../../webviews/deploymentLog/panel';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The button offered when a deploy or validation finishes. */
export const VIEW_LOG = 'View Log';

function envOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (!isRecord(arg)) return undefined;
  if (typeof arg.environment === 'string') return arg.environment;
  if (typeof arg.name === 'string') return arg.name;
  return undefined;
}

async function environment(ctx: Ctx, arg: unknown, title: string): Promise<string> {
  const given = envOf(arg);
  if (given !== undefined) {
    if (!ctx.model.environment(given)) throw new Error(`There is no environment named "${given}" in the pipeline.`);
    return given;
  }
  const envs = ctx.model.environments();
  if (envs.length === 0) throw new Error('The pipeline has no environments yet. Create the pipeline file ("Create Pipeline File from Authorized Orgs") or add environments first.');
  const pick = await ctx.prompts.pick(envs.map((e) => ({ label: e.name, description: `${e.org} · ${e.role}` })), { title, placeHolder: 'Environment' });
  if (!pick) throw new CancelledError('Open Deployment Log');
  return pick.label;
}

export async function openDeploymentLog(ctx: Ctx, arg?: unknown): Promise<DeploymentLogPanel> {
  const env = await environment(ctx, arg, 'Deployment log of which environment?');
  const select = isRecord(arg) && typeof arg.select === 'string' ? arg.select : undefined;
  return ctx.deploymentLogPanels.open(env, select);
}

export async function refreshBehind(ctx: Ctx, arg?: unknown): Promise<void> {
  const env = envOf(arg);
  ctx.behind.invalidate(env);
}

/**
 * After a deploy or validation to `env` finished: the counts behind involving `env` are computed
 * again; returns what to do with the answer to the completion message (View Log opens the log with
 * the deployment selected).
 */
export function deployFinished(ctx: Ctx, env: string, deployId: string | undefined): (pick: string | undefined) => void {
  ctx.behind.invalidate(env);
  return (pick) => {
    if (pick !== VIEW_LOG) return;
    void openDeploymentLog(ctx, { environment: env, select: deployId }).catch((e: unknown) => ctx.log.warn(`Opening the deployment log of ${env} failed: ${(e as Error).message}`));
  };
}
