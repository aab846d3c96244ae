/**
 * "Deployments behind": the deployments made to an upper environment (Changeline's and
 * out-of-band ones) that a lower environment lacks, judged by the components' fingerprints in
 * both orgs. One pass over the deployments' components with map lookups: linear in their number.
 */
import type { Pipeline } from '../pipeline/types';
import {
  chronological,
  componentKey,
  deploymentTime,
  landed,
  plural,
  type ComponentRef,
  type DeployedComponent,
  type DigestMap,
  type OrgDeployment,
} from './history';
import { promotionTargets } from './send';

export interface BehindInput {
  lower: string;
  upper: string;
  /** The upper environment's deployment history, any order. */
  history: readonly OrgDeployment[];
  /** Current digests in the upper org, for every component of the history. */
  upperDigests: DigestMap;
  /** Current digests in the lower org, for the same components. */
  lowerDigests: DigestMap;
  /** Only deployments completed after this (e.g. the last back-deploy or sync), when given. */
  since?: string;
}

export interface BehindEntry {
  deployment: OrgDeployment;
  /** The deployment's components that differ in the lower org (empty when unknown). */
  differing: ComponentRef[];
  /** The deployment's components could not be read: counted to be safe. */
  componentsUnknown: boolean;
}

export interface BehindResult {
  lower: string;
  upper: string;
  count: number;
  /** Oldest first, the order they were deployed in. */
  deployments: BehindEntry[];
}

/**
 * True when the lower org lacks what the deployment brought for this component: its version
 * differs from the upper org's current one and from the version the deployment delivered
 * (when known; absent for a deletion).
 */
function lacks(c: DeployedComponent, key: string, upper: DigestMap, lower: DigestMap): boolean {
  const have = lower.get(key);
  if (have === upper.get(key)) return false;
  if (c.state === 'Deleted') return have !== undefined;
  return c.digest === undefined || have !== c.digest;
}

/**
 * The keys of a deployment's components, worked out once per list: a finished deployment's list is
 * kept by deploy id between counts, so a count again builds no key strings.
 */
const keyLists = new WeakMap<readonly DeployedComponent[], string[]>();
function keysOf(list: readonly DeployedComponent[]): string[] {
  let keys = keyLists.get(list);
  if (!keys) keyLists.set(list, (keys = list.map(componentKey)));
  return keys;
}

/** The deployments to `upper` whose components differ in `lower`. */
export function deploymentsBehind(input: BehindInput): BehindResult {
  const since = input.since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(input.since);
  const deployments: BehindEntry[] = [];
  for (const d of chronological(input.history)) {
    if (!landed(d)) continue;
    const at = deploymentTime(d);
    if (!Number.isNaN(since) && at <= since) continue; // undated deployments stay: counted to be safe
    const components = d.components;
    if (components === undefined) {
      deployments.push({ deployment: d, differing: [], componentsUnknown: true });
      continue;
    }
    const keys = keysOf(components);
    const differing: ComponentRef[] = [];
    for (let i = 0; i < components.length; i++) {
      const c = components[i];
      // Failed ones are left out (effectiveComponents): they changed nothing.
      if (c.state !== 'Failed' && lacks(c, keys[i], input.upperDigests, input.lowerDigests)) differing.push({ type: c.type, fullName: c.fullName });
    }
    if (differing.length > 0) deployments.push({ deployment: d, differing, componentsUnknown: false });
  }
  return { lower: input.lower, upper: input.upper, count: deployments.length, deployments };
}

/** "Dev is 3 deployments behind UAT" / "Dev is level with UAT", with unknown ones said. */
export function behindText(r: BehindResult): string {
  if (r.count === 0) return `${r.lower} is level with ${r.upper}`;
  const unknown = r.deployments.filter((e) => e.componentsUnknown).length;
  const note = unknown === 0 ? '' : ` (${unknown} with components unknown)`;
  return `${r.lower} is ${plural(r.count, 'deployment')} behind ${r.upper}${note}`;
}

/** Each environment and the one(s) above it, for the behind counts shown in the tree. */
export function behindPairs(pipeline: Pipeline): Array<{ lower: string; upper: string }> {
  const pairs: Array<{ lower: string; upper: string }> = [];
  for (const e of pipeline.environments) for (const t of promotionTargets(pipeline, e.name)) pairs.push({ lower: e.name, upper: t.name });
  return pairs;
}
