/**
 * The net differences of the deployments a lower environment is behind: their components
 * combined into one deployment (a later deployment wins for the same component), each compared
 * with the lower environment's live version — new, changed or deleted; identical ones are left
 * out. Components changed in the lower environment since it last synced are work in progress
 * there: flagged and deselected by default, so nobody's work is overwritten silently.
 */
import {
  chronological,
  componentKey,
  effectiveComponents,
  formatWhen,
  plural,
  type ComponentRef,
  type DeployedComponent,
  type DigestMap,
  type OrgDeployment,
} from '../promotion/history';

export type NetKind = 'new' | 'changed' | 'deleted';

export interface NetItem {
  component: ComponentRef;
  kind: NetKind;
  /** The deployments that touched it, oldest first; the last one's version wins. */
  deploymentIds: string[];
  selected: boolean;
  /** Why it looks like work in progress in the lower environment, when it does. */
  workInProgress?: string;
}

export interface NetDifferences {
  lower: string;
  upper: string;
  /** Sorted by type, then name. */
  items: NetItem[];
  /** Components identical in both environments, left out. */
  identical: number;
  /** Listed by a deployment but no longer in the upper org, and not reported deleted: left out. */
  notInUpper: ComponentRef[];
  /** Deployments whose components are unknown: compare the environments to see what they changed. */
  unknown: OrgDeployment[];
}

/** What the lower org says about a component (listMetadata). */
export interface LowerInfo {
  lastModifiedDate?: string;
  lastModifiedByName?: string;
}

export interface NetInput {
  lower: string;
  upper: string;
  /** The deployments the lower environment is behind (e.g. from `deploymentsBehind`), any order. */
  deployments: readonly OrgDeployment[];
  upperDigests: DigestMap;
  lowerDigests: DigestMap;
  /** Last-modified dates in the lower org, by `componentKey`. */
  lowerInfo?: ReadonlyMap<string, LowerInfo>;
  /** The lower environment's last sync: when, and its digests right after. */
  lastSync?: { at?: string; digests?: DigestMap };
  /**
   * Without a recorded sync: a component changed in the lower org after the upper environment's
   * latest deployment of it counts as work in progress (the lower version is the newer one).
   */
  wipAfterLastDeployment?: boolean;
}

function workInProgress(key: string, input: NetInput, lastDeployed: DeployedComponent & { at?: string }): string | undefined {
  const sync = input.lastSync ?? (input.wipAfterLastDeployment ? undefined : null);
  if (sync === null) return undefined;
  if (sync === undefined || sync.at === undefined) {
    const info = input.lowerInfo?.get(key);
    const modified = Date.parse(info?.lastModifiedDate ?? '');
    const deployed = Date.parse(lastDeployed.at ?? '');
    if (Number.isNaN(modified) || Number.isNaN(deployed) || modified <= deployed) return undefined;
    const by = info?.lastModifiedByName ? ` by ${info.lastModifiedByName}` : '';
    return `Changed in ${input.lower}${by} on ${formatWhen(info!.lastModifiedDate)}, after ${input.upper} last got it (${formatWhen(lastDeployed.at)}): probably work in progress there.`;
  }
  const since = () => (sync.at ? ` (${formatWhen(sync.at)})` : '');
  if (sync.digests?.has(key)) {
    if (sync.digests.get(key) === input.lowerDigests.get(key)) return undefined;
    const what = input.lowerDigests.get(key) === undefined ? 'Deleted' : 'Changed';
    return `${what} in ${input.lower} since its last sync${since()}: probably work in progress there.`;
  }
  const info = input.lowerInfo?.get(key);
  const modified = Date.parse(info?.lastModifiedDate ?? '');
  if (sync.at && !Number.isNaN(modified) && modified > Date.parse(sync.at)) {
    const by = info?.lastModifiedByName ? ` by ${info.lastModifiedByName}` : '';
    return `Changed in ${input.lower}${by} on ${formatWhen(info!.lastModifiedDate)}, after its last sync${since()}: probably work in progress there.`;
  }
  return undefined;
}

/** Combines the deployments into one set of net differences against the lower environment. */
export function netDifferences(input: NetInput): NetDifferences {
  const touched = new Map<string, { last: DeployedComponent & { at?: string }; ids: string[] }>();
  const unknown: OrgDeployment[] = [];
  for (const d of chronological(input.deployments)) {
    const components = effectiveComponents(d);
    if (components === undefined) {
      unknown.push(d);
      continue;
    }
    const at = d.completedDate ?? d.startDate;
    for (const c of components) {
      const key = componentKey(c);
      const seen = touched.get(key);
      if (seen) {
        seen.last = { ...c, at };
        if (seen.ids[seen.ids.length - 1] !== d.id) seen.ids.push(d.id);
      } else touched.set(key, { last: { ...c, at }, ids: [d.id] });
    }
  }
  const items: NetItem[] = [];
  const notInUpper: ComponentRef[] = [];
  let identical = 0;
  for (const [key, { last, ids }] of touched) {
    const component = { type: last.type, fullName: last.fullName };
    const up = input.upperDigests.get(key);
    const down = input.lowerDigests.get(key);
    if (up === down) {
      identical++;
      continue;
    }
    if (up === undefined && last.state !== 'Deleted') {
      notInUpper.push(component);
      continue;
    }
    const kind: NetKind = up === undefined ? 'deleted' : down === undefined ? 'new' : 'changed';
    const wip = workInProgress(key, input, last);
    items.push({ component, kind, deploymentIds: ids, selected: wip === undefined, ...(wip ? { workInProgress: wip } : {}) });
  }
  const order = (i: NetItem) => `${i.component.type.toLowerCase()}\u0000${i.component.fullName.toLowerCase()}`;
  const keyed = items.map((i) => ({ i, k: order(i) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return { lower: input.lower, upper: input.upper, items: keyed.map((x) => x.i), identical, notInUpper, unknown };
}

/** Selects or deselects components (by `componentKey`, or all of them). */
export function setSelected(net: NetDifferences, keys: Iterable<string> | 'all', selected: boolean): NetDifferences {
  const wanted = keys === 'all' ? undefined : new Set(keys);
  return {
    ...net,
    items: net.items.map((i) => (wanted === undefined || wanted.has(componentKey(i.component)) ? { ...i, selected } : i)),
  };
}

export type NetSelection = { ok: true; deploy: ComponentRef[]; delete: ComponentRef[] } | { ok: false; reason: string };

/** The one deployment to make: what to retrieve from the upper org and deploy, and what to delete. */
export function netSelection(net: NetDifferences): NetSelection {
  const chosen = net.items.filter((i) => i.selected);
  if (chosen.length === 0) {
    return { ok: false, reason: net.items.length === 0 ? `${net.lower} already has everything ${net.upper} deployed: nothing to bring down.` : `Select at least one component to bring from ${net.upper} to ${net.lower}.` };
  }
  return {
    ok: true,
    deploy: chosen.filter((i) => i.kind !== 'deleted').map((i) => i.component),
    delete: chosen.filter((i) => i.kind === 'deleted').map((i) => i.component),
  };
}

/** "3 components from UAT to Dev: 1 new, 1 changed, 1 deleted; 2 identical left out; 1 in progress in Dev not selected." */
export function netSummary(net: NetDifferences): string {
  const count = (k: NetKind) => net.items.filter((i) => i.kind === k).length;
  const kinds = (['new', 'changed', 'deleted'] as const).filter((k) => count(k) > 0).map((k) => `${count(k)} ${k}`);
  const parts = [`${plural(net.items.length, 'component')} from ${net.upper} to ${net.lower}${kinds.length ? `: ${kinds.join(', ')}` : ''}`];
  if (net.identical > 0) parts.push(`${net.identical} identical left out`);
  const wipOff = net.items.filter((i) => i.workInProgress && !i.selected).length;
  if (wipOff > 0) parts.push(`${wipOff} in progress in ${net.lower} not selected`);
  if (net.unknown.length > 0) parts.push(`${plural(net.unknown.length, 'deployment')} with unknown components: compare the environments to see what they changed`);
  return `${parts.join('; ')}.`;
}
