/**
 * After a queue entry is deployed: the change requests it carries, in the sending environment,
 * follow that environment's role (development → Ready, any later stage → Idle), with the same
 * rules and history entry as after a deployment record's deploy (core change-requests/after-deploy:
 * followRole, afterDeployEntry). The link names the queue entry in the target org. Written with
 * the deployer's session in the sending environment; what cannot be done is reported, the deploy
 * itself stands.
 */
import { afterDeployEntry, followRole, type ChangeRequest, type DeploymentLink } from '../../core/change-requests';
import type { Pipeline } from '../../core/pipeline';
import type { QueueEntry } from '../../core/promotion';
import type { WorkflowDeps } from '../types';
import { findChangeRequest } from '../change-requests/find';

export interface CrFollowUp {
  /** CRs whose status was changed ("CR-00001 → Ready"). */
  updated: string[];
  /** What could not be done, and why. */
  notes: string[];
}

const isConflict = (e: unknown): boolean => (e as { kind?: unknown })?.kind === 'conflict';

export async function afterQueueDeploy(deps: WorkflowDeps, pipeline: Pipeline, entry: QueueEntry): Promise<CrFollowUp> {
  const out: CrFollowUp = { updated: [], notes: [] };
  const source = pipeline.environments.find((e) => e.name === entry.source);
  if (!source || entry.crs.length === 0) return out;
  const sf = await deps.salesforce();
  const target = await deps.sessions.get(entry.target);
  const link: DeploymentLink = {
    orgId: target.orgId,
    recordId: entry.id ?? '',
    ...(entry.number ? { number: entry.number } : {}),
    environment: entry.target,
    ...(entry.deploymentId ? { deployId: entry.deploymentId } : {}),
    ...(entry.finishedAt ? { at: entry.finishedAt } : {}),
  };
  for (const ref of entry.crs) {
    const name = ref.number ?? ref.id ?? 'a change request';
    try {
      const s = await deps.sessions.get(entry.source);
      const read = (): Promise<ChangeRequest> => (ref.id ? sf.getChangeRequest(s.handle, ref.id) : findChangeRequest(deps, entry.source, ref.number!));
      for (let attempt = 0; ; attempt++) {
        const base = await read();
        const step = followRole(base, source.role);
        if (!step.ok) {
          out.notes.push(step.reason);
          break;
        }
        if (!step.changed) break;
        try {
          const stored = await sf.updateChangeRequest(s.handle, step.cr);
          await sf.appendHistory(s.handle, stored.id!, [afterDeployEntry(base, stored, s.userId, new Date().toISOString(), link)]);
          out.updated.push(`${name} → ${stored.status}`);
          deps.log.info(`${name} in ${entry.source} is ${stored.status} after ${entry.number ?? 'the queue entry'} was deployed to ${entry.target}.`);
          break;
        } catch (e) {
          if (!isConflict(e) || attempt > 0) throw e;
        }
      }
    } catch (e) {
      out.notes.push(`${name} in ${entry.source} keeps its status: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  for (const n of out.notes) deps.log.warn(n);
  return out;
}
