/**
 * The minimal shapes promotion and back-deploy read from an org's deployment history: one row
 * per deployment (Changeline's and out-of-band ones, e.g. the Tooling `DeployRequest`), and
 * component fingerprints per org. Structural types, so the deployment records and the
 * Salesforce adapters can hand their own objects over as they are.
 */
import { componentKey, type ComponentRef, type ComponentOutcome } from '../metadata-types';

export { componentKey };
export type { ComponentRef };

/**
 * Digests of components in one org, keyed by `componentKey` (`${type}:${fullName}`); a missing
 * key or `undefined` means the org does not have the component.
 */
export type DigestMap = ReadonlyMap<string, string | undefined>;

/** A component of a deployment, with what the deploy reported for it when known. */
export interface DeployedComponent extends ComponentRef {
  state?: ComponentOutcome['state'];
  /** Digest of the version this deployment delivered, when known (Changeline's packages). */
  digest?: string;
}

/** One deployment in an org's history. */
export interface OrgDeployment {
  id: string;
  /** Metadata API status: Pending, InProgress, Succeeded, SucceededPartial, Failed, Canceled, … */
  status: string;
  checkOnly: boolean;
  startDate?: string;
  completedDate?: string;
  createdByName?: string;
  /** Absent when the components are not known (e.g. an out-of-band deploy whose details could not be read). */
  components?: DeployedComponent[];
  source: 'changeline' | 'out-of-band';
  message?: string;
  crNumbers?: string[];
}

/** True for a deployment that changed the org: not a validation, and (partly) succeeded. */
export function landed(d: Pick<OrgDeployment, 'status' | 'checkOnly'>): boolean {
  return !d.checkOnly && (d.status === 'Succeeded' || d.status === 'SucceededPartial');
}

/** When the deployment took effect, in ms since the epoch (NaN when unknown). */
export function deploymentTime(d: Pick<OrgDeployment, 'completedDate' | 'startDate'>): number {
  return Date.parse(d.completedDate ?? d.startDate ?? '');
}

/** Oldest first; deployments with no date keep their relative order, after the dated ones. */
export function chronological<T extends Pick<OrgDeployment, 'completedDate' | 'startDate'>>(list: readonly T[]): T[] {
  const at = (d: T) => {
    const t = deploymentTime(d);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return list
    .map((d, i) => ({ d, i, t: at(d) }))
    .sort((a, b) => (a.t === b.t ? a.i - b.i : a.t < b.t ? -1 : 1))
    .map((x) => x.d);
}

/** The components a deployment put into (or removed from) the org: failed ones are left out. */
export function effectiveComponents(d: Pick<OrgDeployment, 'components'>): DeployedComponent[] | undefined {
  return d.components?.filter((c) => c.state !== 'Failed');
}

/** "2024-05-02 14:03 UTC", or "an unknown date". */
export function formatWhen(iso: string | undefined): string {
  const t = Date.parse(iso ?? '');
  if (Number.isNaN(t)) return 'an unknown date';
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "the deployment of 2024-05-02 14:03 UTC by Carol Diaz (out of band)" — for messages. */
export function describeDeployment(d: Pick<OrgDeployment, 'id' | 'completedDate' | 'startDate' | 'createdByName' | 'source'>): string {
  const who = d.createdByName ? ` by ${d.createdByName}` : '';
  const how = d.source === 'out-of-band' ? ' (out of band)' : '';
  return `the deployment of ${formatWhen(d.completedDate ?? d.startDate)}${who}${how}`;
}

/** "ApexClass Greeter", "ApexClass Greeter and CustomField Account.Tier__c", "… and 3 more". */
export function listComponents(list: readonly ComponentRef[], max = 3): string {
  const names = list.slice(0, max).map((c) => `${c.type} ${c.fullName}`);
  const rest = list.length - names.length;
  if (rest > 0) return `${names.join(', ')} and ${rest} more`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "1 deployment", "3 deployments". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
