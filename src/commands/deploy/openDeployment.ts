/**
 * Open Deployment: the deployment panel of a record, from a tree node or `{ environment, id }`.
 * Kept apart from the record commands (records.ts) so each stays one purpose.
 */
import type { Ctx } from '../../ctx';
import type { DeploymentPanel } from '../../webviews/deployment';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** The record a command names: `{ environment, id }` or a tree node carrying both. */
export function deploymentTarget(arg: unknown): { environment: string; id: string } {
  if (isRecord(arg) && typeof arg.environment === 'string' && typeof arg.id === 'string' && arg.environment && arg.id) return { environment: arg.environment, id: arg.id };
  throw new Error('Choose a deployment in the Environments view (right-click it) to open it.');
}

export async function openDeployment(ctx: Ctx, arg?: unknown): Promise<DeploymentPanel> {
  const t = deploymentTarget(arg);
  return ctx.deploymentPanels.open(t.environment, t.id);
}
