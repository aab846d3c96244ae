/**
 * After a queue entry is deployed: the change requests it carries, in the sending environment,
 * follow that environment's role (development → Ready, staging → Idle, as the seed process says).
 *
 * MINIMAL, pending the CR-status-after-deploy helper of the deploy issue (h14): the CR model on
 * main has no Ready or Idle status yet, so nothing is written; each carried CR gets a note saying
 * what it should become, which the callers show. Replace the body with that helper once it lands.
 */
import type { Pipeline, Role } from '../../core/pipeline';
import type { QueueEntry } from '../../core/promotion';
import type { WorkflowDeps } from '../types';

export interface CrFollowUp {
  /** CRs whose status was changed ("CR-00001 → Ready"). */
  updated: string[];
  /** What could not be done, and why. */
  notes: string[];
}

/** The status a CR of an environment of this role takes once its changes reached the next one. */
export function statusAfterSend(role: Role): string | undefined {
  if (role === 'development') return 'Ready';
  if (role === 'staging') return 'Idle';
  return undefined;
}

export async function afterQueueDeploy(_deps: WorkflowDeps, pipeline: Pipeline, entry: QueueEntry): Promise<CrFollowUp> {
  const source = pipeline.environments.find((e) => e.name === entry.source);
  const to = source ? statusAfterSend(source.role) : undefined;
  if (!to || entry.crs.length === 0) return { updated: [], notes: [] };
  const names = entry.crs.map((c) => c.number ?? c.id).join(', ');
  return { updated: [], notes: [`${names} in ${entry.source} should now be ${to}; Changeline does not set that status yet.`] };
}
