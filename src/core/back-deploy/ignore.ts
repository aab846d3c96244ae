/**
 * "Ignore All" on a behind notice: dismissed until a newer deployment reaches the upper
 * environment. The mark is the newest deployment at the time of ignoring (its id and date).
 */
import { chronological, deploymentTime, landed, type OrgDeployment } from '../promotion/history';

export interface IgnoreMark {
  deploymentId?: string;
  at?: string;
}

function newest(deployments: readonly OrgDeployment[]): OrgDeployment | undefined {
  const list = chronological(deployments.filter(landed));
  return list[list.length - 1];
}

/** The mark to keep when the user picks Ignore All over these deployments. */
export function ignoreMark(deployments: readonly OrgDeployment[]): IgnoreMark {
  const last = newest(deployments);
  return last ? { deploymentId: last.id, at: last.completedDate ?? last.startDate } : {};
}

/**
 * Whether the notice stays dismissed: no deployment newer than the mark among `deployments`
 * (pass the ones the lower environment is behind to reappear only for what it lacks, or the
 * upper environment's whole history).
 */
export function isIgnored(mark: IgnoreMark | undefined, deployments: readonly OrgDeployment[]): boolean {
  if (!mark) return false;
  const last = newest(deployments);
  if (!last) return true;
  if (mark.deploymentId !== undefined && last.id === mark.deploymentId) return true;
  const at = Date.parse(mark.at ?? '');
  if (Number.isNaN(at)) return false;
  return deploymentTime(last) <= at;
}
