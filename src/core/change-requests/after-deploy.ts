/**
 * What happens to change requests once a deployment record deployed one to the next environment:
 * the CR in the TARGET is marked Deployed with a link to the record; the CR in the SOURCE follows
 * the source environment's role (development → Ready, any later stage → Idle, as the seed process
 * states); Complete then closes the target's CR once the user checked the result. Pure rules.
 */
import type { Role } from '../pipeline/types';
import { diffFields, type HistoryEntryDraft } from './history';
import type { ChangeRequest, CrStatus, DeploymentLink } from './model';

export type AfterDeployStatus = Extract<CrStatus, 'Ready' | 'Idle'>;

/**
 * The status of the source environment's CR after its deployment succeeded. Development keeps
 * working on it: Ready (for the next changes and the next promotion). Integration, staging and
 * production only pass changes on: Idle.
 */
export function sourceStatusAfterDeploy(role: Role): AfterDeployStatus {
  return role === 'development' ? 'Ready' : 'Idle';
}

/** Statuses the source's CR may be in when its deployment succeeds (a re-deploy finds it Ready or Idle already). */
const DEPLOYABLE: readonly CrStatus[] = ['Approved', 'Deploying', 'Ready', 'Idle'];

const label = (cr: ChangeRequest): string => cr.number ?? `"${cr.name}"`;

export type AfterDeployOutcome = { ok: true; cr: ChangeRequest; changed: boolean } | { ok: false; reason: string };

/** The source's CR moved to its role's status (unchanged when it is there already). */
export function followRole(cr: ChangeRequest, role: Role): AfterDeployOutcome {
  const to = sourceStatusAfterDeploy(role);
  if (cr.status === to) return { ok: true, cr, changed: false };
  if (!DEPLOYABLE.includes(cr.status)) {
    return { ok: false, reason: `${label(cr)} is ${cr.status}, so it was left as it is (a deployed change request goes to ${to} from Approved).` };
  }
  return { ok: true, cr: { ...cr, status: to }, changed: true };
}

/**
 * The target's CR marked Deployed with the link to the record. A fact, not a user's transition:
 * any status but Cancelled takes it (a CR completed earlier and deployed again is Deployed again).
 */
export function markDeployed(cr: ChangeRequest, link: DeploymentLink): AfterDeployOutcome {
  if (cr.status === 'Cancelled') return { ok: false, reason: `${label(cr)} was cancelled in this environment, so it was not marked deployed; reopen the work in a new change request.` };
  const same = cr.status === 'Deployed' && cr.deployment?.recordId === link.recordId && cr.deployment.deployId === link.deployId;
  if (same) return { ok: true, cr, changed: false };
  return { ok: true, cr: { ...cr, status: 'Deployed', deployment: { ...link } }, changed: true };
}

/**
 * Complete: the CR closed once the user checked the deployed result. The target's copy goes from
 * Deployed, the source's from Ready or Idle.
 */
export function completeAfterDeploy(cr: ChangeRequest): AfterDeployOutcome {
  if (cr.status === 'Completed') return { ok: true, cr, changed: false };
  if (cr.status !== 'Deployed' && cr.status !== 'Ready' && cr.status !== 'Idle') {
    return { ok: false, reason: `${label(cr)} is ${cr.status}; only a deployed change request is completed (deploy it first, then check the result).` };
  }
  return { ok: true, cr: { ...cr, status: 'Completed' }, changed: true };
}

/** The history entry of an after-deploy status change, naming the deployment. */
export function afterDeployEntry(before: ChangeRequest, after: ChangeRequest, actorId: string, at: string, link: DeploymentLink): HistoryEntryDraft {
  const changes = diffFields(before, after).filter((c) => c.field === 'status');
  return { action: 'status', actorId, at, details: { changes, deployment: { ...link } } };
}
