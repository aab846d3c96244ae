/** Installing (or upgrading) Changeline's change tracking in an environment's org, and offering it when missing. */
import * as vscode from 'vscode';
import type { DeployResult } from '../core/metadata-types';
import type { InstallResult } from '../salesforce';
import type { CommandContext } from './context';
import { resolveEnvironment } from './crArgs';
import { prompts } from './prompts';

/** installTracking(node | envName?): confirm, deploy under cancellable progress, refresh the environment. */
export async function installTracking(ctx: CommandContext, arg?: unknown): Promise<InstallResult | undefined> {
  const env = await resolveEnvironment(ctx, arg, 'Environment to install change tracking in');
  if (!env) return undefined;
  const session = await ctx.sessions.get(env);
  const ok = await prompts.confirm(
    `Install Changeline's change tracking objects in ${env} (${session.username})? This deploys 3 custom objects and a permission set, and gives you the permission set.`,
    'Install',
    'Change requests and their history are stored in these objects. An older version is upgraded in place; nothing stored is removed.',
  );
  if (!ok) return undefined;
  const sf = await ctx.sessions.api();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Installing change tracking in ${env}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await sf.installTracking(session.handle, {
          signal: abort.signal,
          onProgress: (p) => progress.report({ message: `${p.status}: ${p.componentsDone} of ${p.componentsTotal} components` }),
        });
      } finally {
        sub.dispose();
      }
    },
  );
  ctx.log.info(`Change tracking installed in ${env} (${session.username}): deploy ${result.id}, ${result.componentsDone} component(s).`);
  ctx.changeRequests.refresh(env);
  if ('problem' in result.access) {
    ctx.log.warn(`Change tracking installed in ${env}, but the ${result.access.permissionSet} permission set was not assigned: ${result.access.problem}`);
    void prompts.warn(
      `Change tracking is installed in ${env}, but you were not given its ${result.access.permissionSet} permission set (${result.access.problem}). Without it the change requests' fields cannot be read: assign it in Setup → Permission Sets, or run "Grant Change Tracking Access…".`,
    );
  } else {
    void prompts.info(`Change tracking is installed in ${env}, and you hold its ${result.access.permissionSet} permission set. Give it to your approvers with "Grant Change Tracking Access…".`);
  }
  return result;
}

/**
 * Tells the user tracking is missing (or out of date) in `env` and offers to install it.
 * Resolves true when it was installed (the caller retries), false otherwise.
 */
export async function offerInstall(ctx: CommandContext, env: string, upgrade = false): Promise<boolean> {
  const pick = await prompts.warn(
    upgrade ? `Change tracking in ${env} is older than this Changeline needs; upgrade it first.` : `Change tracking is not installed in ${env}.`,
    upgrade ? 'Upgrade…' : 'Install…',
  );
  if (!pick) return false;
  const result = await vscode.commands.executeCommand<DeployResult | undefined>('changeline.installTracking', env);
  return !!result?.success;
}

/** True when tracking is ready in `env`; otherwise offers the install and says whether it happened. */
export async function ensureTracking(ctx: CommandContext, env: string): Promise<boolean> {
  const session = await ctx.sessions.get(env);
  const status = await (await ctx.sessions.api()).trackingStatus(session.handle);
  if (status.installed && !status.upgradeAvailable) return true;
  return offerInstall(ctx, env, status.installed);
}
