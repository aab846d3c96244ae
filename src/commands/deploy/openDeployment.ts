/**
 * Open Deployment: the deployment panel of a record, from a tree node or `{ environment, id }`.
 * Kept apart from the record commands (records.ts) so each stays one purpose.
 */
import type { Ctx } from '../../ctx';
import type { DeploymentPanel } from '../../webviews/deployment';
import { deploymentTarget } from './records';

export async function openDeployment(ctx: Ctx, arg?: unknown): Promise<DeploymentPanel> {
  const t = deploymentTarget(arg, 'to open it');
  return ctx.deploymentPanels.open(t.environment, t.id);
}
