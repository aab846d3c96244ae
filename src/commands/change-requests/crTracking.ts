/** Installing (or upgrading) Changeline's change tracking in an environment's org, and offering it when missing. */
import * as vscode from 'vscode';
import type { DeployResult } from '../../core/metadata-types';
import type { InstallResult } from '../../salesforce';
import type { Ctx } from '../../ctx';
import { installTracking as runInstall, trackingReady } from '../../workflows/change-requests/install-tracking';
import { resolveEnvironment } from './crArgs';
import { withCancellableProgress } from '../progress';

/** installTracking(node | envName?): confirm, deploy under cancellable progress, refresh the environment. */
export async function installTracking(ctx: Ctx, arg?: unknown): Promise<InstallResult | undefined> {
  const env = await resolveEnvironment(ctx, arg, 'Environment to install change tracking in');
  if (!env) return undefined;
  const session = await ctx.sessions.get(env);
  const ok = await ctx.prompts.confirm(
    `Install Changeline's change tracking objects in ${env} (${session.username})? This deploys 3 custom objects and a permission set, and gives you the permission set.`,
    'Install',
    'Change requests and their history are stored in these objects. An older version is upgraded in place; nothing stored is removed.',
  );
  if (!ok) return undefined;
  const result = await withCancellableProgress(`Installing change tracking in ${env}`, (opts) => runInstall(ctx, env, opts));
  ctx.changeRequests.refresh(env);
  if ('problem' in result.access) {
    void ctx.prompts.warn(
      `Change tracking is installed in ${env}, but you were not given its ${result.access.permissionSet} permission set (${result.access.problem}). Without it the change requests' fields cannot be read: assign it in Setup → Permission Sets, or run "Grant Change Tracking Access…".`,
    );
  } else {
    void ctx.prompts.info(`Change tracking is installed in ${env}, and you hold its ${result.access.permissionSet} permission set. Give it to your approvers with "Grant Change Tracking Access…".`);
  }
  return result;
}

/**
 * Tells the user tracking is missing (or out of date) in `env` and offers to install it.
 * Resolves true when it was installed (the caller retries), false otherwise.
 */
export async function offerInstall(ctx: Ctx, env: string, upgrade = false): Promise<boolean> {
  const pick = await ctx.prompts.warn(
    upgrade ? `Change tracking in ${env} is older than this Changeline needs; upgrade it first.` : `Change tracking is not installed in ${env}.`,
    upgrade ? 'Upgrade…' : 'Install…',
  );
  if (!pick) return false;
  const result = await vscode.commands.executeCommand<DeployResult | undefined>('changeline.installTracking', env);
  return !!result?.success;
}

/** True when tracking is ready in `env`; otherwise offers the install and says whether it happened. */
export async function ensureTracking(ctx: Ctx, env: string): Promise<boolean> {
  const status = await trackingReady(ctx, env);
  if (status.ready) return true;
  return offerInstall(ctx, env, status.installed);
}
