/**
 * Planning a back-deploy from an upper environment to a lower one: the deployments the lower
 * environment is behind (given by the caller: the deployments-behind reader finds them) combined
 * into one set of components, each compared by the compare engine (upper as source, lower as
 * target): new, changed, deleted, or identical (left out). Components changed in the lower
 * environment since it last synced are flagged as work in progress there and deselected.
 *
 * "Last synced": the newest back-deploy from the same upper environment recorded in the lower
 * environment's org (Deployed or Completed). Before the first one, a lower component changed after
 * the upper environment's latest deployment of it is the newer version: work in progress.
 */
import { netDifferences, netSummary, setSelected, type LowerInfo, type NetDifferences } from '../../core/back-deploy';
import { chronological, componentKey, effectiveComponents, type ComponentRef, type OrgDeployment } from '../../core/promotion/history';
import { CancelledError } from '../../core/cancelled';
import type { CompareItem } from '../../core/compare/types';
import type { DeploymentRecord } from '../../core/deployments';
import { progressText } from '../compare/run';
import type { CompareStore } from '../compare/store';
import type { RunOptions, WorkflowDeps } from '../types';

export interface BackDeployDeps extends WorkflowDeps {
  /** The compare cache (fingerprints of unchanged components are not retrieved again); optional. */
  compareStore?: CompareStore;
}

export interface BackDeployPlanRequest {
  lower: string;
  upper: string;
  /** The deployments to the upper environment the lower one lacks, any order. */
  deployments: readonly OrgDeployment[];
  /** Select the components flagged as work in progress too (default: deselected). */
  includeWip?: boolean;
  /** Components to deselect, by `componentKey` ("ApexClass:Greeter"). */
  exclude?: readonly string[];
}

export interface LastSync {
  /** When the lower environment was last brought level (ISO). */
  at: string;
  /** The back-deploy record that did it, when there was one. */
  record?: string;
}

export interface BackDeployPlan {
  lower: string;
  upper: string;
  /** Oldest first. */
  deployments: OrgDeployment[];
  net: NetDifferences;
  /** The lower environment's last sync with the upper one, as recorded in its org. */
  lastSync?: LastSync;
  /** Why the lower org's deployment records could not be read (no tracking schema, no access). */
  recordsProblem?: string;
  /** The compare's per-component result (differing files, modified dates), by `componentKey`. */
  compared: Record<string, CompareItem>;
  summary: string;
}

/** The newest back-deploy from `upper` recorded in the lower org (newest-first pages). */
export function lastBackDeploy(records: readonly DeploymentRecord[], upper: string): LastSync | undefined {
  let best: LastSync | undefined;
  for (const r of records) {
    if (!r.backDeploy || r.sourceEnvironment !== upper || (r.status !== 'Deployed' && r.status !== 'Completed')) continue;
    const at = r.deploy?.completedAt ?? r.deploy?.startedAt;
    if (!at) continue;
    if (!best || Date.parse(at) > Date.parse(best.at)) best = { at, ...(r.number ? { record: r.number } : {}) };
  }
  return best;
}

async function readLastSync(deps: WorkflowDeps, lower: string, upper: string, signal?: AbortSignal): Promise<{ sync?: LastSync; problem?: string }> {
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(lower);
  try {
    // The newest page is enough: a team back-deploys far more often than 200 records go by.
    const page = await sf.listDeployments(handle, { statuses: ['Deployed', 'Completed'], pageSize: 200, signal });
    return { sync: lastBackDeploy(page.items, upper) };
  } catch (e) {
    if (sf.isTrackingMissing(e) || sf.isTrackingAccessMissing(e) || sf.isTrackingOutdated(e)) {
      return { problem: `${lower} cannot keep deployment records (${(e as Error).message}); install or upgrade Changeline tracking in ${lower} to back-deploy to it.` };
    }
    throw e;
  }
}

/** The digests the net-difference rules compare, from the compare engine's statuses. */
export function digestsOf(items: readonly CompareItem[]): { upper: Map<string, string>; lower: Map<string, string>; info: Map<string, LowerInfo> } {
  const upper = new Map<string, string>();
  const lower = new Map<string, string>();
  const info = new Map<string, LowerInfo>();
  for (const i of items) {
    const key = componentKey(i);
    if (i.status === 'identical') {
      upper.set(key, 'same');
      lower.set(key, 'same');
    } else if (i.status === 'different') {
      upper.set(key, 'upper');
      lower.set(key, 'lower');
    } else if (i.status === 'only-in-source') upper.set(key, 'upper');
    else lower.set(key, 'lower');
    if (i.targetModified) info.set(key, { lastModifiedDate: i.targetModified });
  }
  return { upper, lower, info };
}

/** The components the deployments touched (deduplicated, failed ones left out). */
export function touchedComponents(deployments: readonly OrgDeployment[]): ComponentRef[] {
  const seen = new Map<string, ComponentRef>();
  for (const d of deployments) for (const c of effectiveComponents(d) ?? []) seen.set(componentKey(c), { type: c.type, fullName: c.fullName });
  return [...seen.values()];
}

/** Plans the back-deploy: the net differences between what the missing deployments brought to `upper` and what `lower` has. */
export async function planBackDeploy(deps: BackDeployDeps, req: BackDeployPlanRequest, opts: RunOptions = {}): Promise<BackDeployPlan> {
  if (req.lower === req.upper) throw new Error(`Pick two different environments to back-deploy between (both are "${req.lower}").`);
  const { signal } = opts;
  const report = opts.onProgress ?? (() => undefined);
  const deployments = chronological(req.deployments);
  try {
    report({ message: `Reading ${req.lower}'s last sync with ${req.upper}…` });
    const { sync, problem } = await readLastSync(deps, req.lower, req.upper, signal);
    if (problem) deps.log.warn(problem);
    const components = touchedComponents(deployments);
    let items: CompareItem[] = [];
    if (components.length > 0) {
      const [upper, lower] = await Promise.all([deps.sessions.get(req.upper), deps.sessions.get(req.lower)]);
      if (upper.orgId === lower.orgId) throw new Error(`${req.upper} and ${req.lower} are the same org (${upper.orgId}): nothing to back-deploy.`);
      const sf = await deps.salesforce();
      const cache = deps.compareStore ? await deps.compareStore.cacheFor([upper.orgId, lower.orgId]) : undefined;
      const result = await sf.compareOrgs(
        { handle: upper.handle, label: req.upper },
        { handle: lower.handle, label: req.lower },
        {
          components,
          cache,
          signal,
          onProgress: (p) => {
            if (p.notice) deps.log.warn(p.notice);
            report({ message: progressText(p), percent: p.phase === 'retrieving' && p.total > 0 ? Math.floor((90 * p.done) / p.total) : undefined });
          },
        },
      );
      if (signal?.aborted) throw new CancelledError('Back-deploy planning');
      if (deps.compareStore) await deps.compareStore.saveCache([upper.orgId, lower.orgId]);
      items = result.items;
    }
    const d = digestsOf(items);
    let net = netDifferences({
      lower: req.lower,
      upper: req.upper,
      deployments,
      upperDigests: d.upper,
      lowerDigests: d.lower,
      lowerInfo: d.info,
      ...(sync ? { lastSync: { at: sync.at } } : { wipAfterLastDeployment: true }),
    });
    if (req.includeWip) net = setSelected(net, net.items.filter((i) => i.workInProgress).map((i) => componentKey(i.component)), true);
    if (req.exclude?.length) net = setSelected(net, req.exclude, false);
    const plan: BackDeployPlan = {
      lower: req.lower,
      upper: req.upper,
      deployments,
      net,
      ...(sync ? { lastSync: sync } : {}),
      ...(problem ? { recordsProblem: problem } : {}),
      compared: Object.fromEntries(items.map((i) => [componentKey(i), i])),
      summary: netSummary(net),
    };
    deps.log.info(`Back-deploy ${req.upper} → ${req.lower}: ${plan.summary}`);
    return plan;
  } catch (e) {
    if (signal?.aborted) throw new CancelledError('Back-deploy planning');
    throw e;
  }
}
