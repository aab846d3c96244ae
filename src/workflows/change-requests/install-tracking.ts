/** Installing (or upgrading) Changeline's change tracking in an environment's org. */
import type { InstallResult } from '../../salesforce';
import type { RunOptions, WorkflowDeps } from '../types';

export async function installTracking(deps: WorkflowDeps, env: string, opts: RunOptions = {}): Promise<InstallResult> {
  const session = await deps.sessions.get(env);
  const sf = await deps.salesforce();
  const result = await sf.installTracking(session.handle, {
    signal: opts.signal,
    onProgress: (p) =>
      opts.onProgress?.({
        message: `${p.status}: ${p.componentsDone} of ${p.componentsTotal} components`,
        percent: p.componentsTotal > 0 ? Math.floor((100 * p.componentsDone) / p.componentsTotal) : undefined,
      }),
  });
  deps.log.info(`Change tracking installed in ${env} (${session.username}): deploy ${result.id}, ${result.componentsDone} component(s).`);
  if ('problem' in result.access) {
    deps.log.warn(`Change tracking installed in ${env}, but the ${result.access.permissionSet} permission set was not assigned: ${result.access.problem}`);
  }
  return result;
}

/** Whether tracking is ready in `env`: installed, and not older than this Changeline needs. */
export async function trackingReady(deps: WorkflowDeps, env: string): Promise<{ ready: boolean; installed: boolean }> {
  const session = await deps.sessions.get(env);
  const status = await (await deps.salesforce()).trackingStatus(session.handle);
  return { ready: status.installed && !status.upgradeAvailable, installed: status.installed };
}
