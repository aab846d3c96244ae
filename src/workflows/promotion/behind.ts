/**
 * Deployments behind: the deployments that landed in the upper environment (Changeline's and out
 * of band) whose components differ in the lower one. The upper history with its components
 * (history.ts), then the compare engine over exactly those components in both orgs, with the
 * compare's persistent fingerprint cache (only what changed since the last compare is retrieved),
 * then the core's counting (core/promotion/behind.ts).
 */
import { componentKey } from '../../core/metadata-types';
import type { Pipeline } from '../../core/pipeline';
import { deploymentsBehind as countBehind, effectiveComponents, landed, type BehindResult, type ComponentRef } from '../../core/promotion';
import type { CompareResult } from '../../core/compare/types';
import type { CompareStore } from '../compare/store';
import { isChangelineSchema } from '../../core/promotion/org-history';
import { readOrgHistory, recordHolders, type HistoryDeployment } from './history';
import type { RunOptions, WorkflowDeps } from '../types';

export interface BehindDeps extends WorkflowDeps {
  /** The compare's cache of fingerprints (the editor's, or the CLI's folder). */
  store: CompareStore;
}

export interface BehindOptions extends RunOptions {
  /** The upper environment's deployments of the last N days (default 30). */
  days?: number;
  /** Only deployments completed after this (ISO), e.g. the last sync. */
  since?: string;
  /** The pipeline, so Changeline's deployment records toward the upper environment are recognised. */
  pipeline?: Pipeline;
}

export interface BehindReport extends BehindResult {
  /** The deployments the upper environment's history holds (all of them, newest first). */
  history: HistoryDeployment[];
  /** Fingerprints of the history's components in each org (absent: the org lacks it). */
  digests: { upper: Map<string, string | undefined>; lower: Map<string, string | undefined> };
  notes: string[];
  /** When it was computed (ISO). */
  at: string;
}

/** The components the landed deployments touched, once each. */
function touched(history: readonly HistoryDeployment[], since: number): ComponentRef[] {
  const seen = new Map<string, ComponentRef>();
  for (const d of history) {
    if (!landed(d)) continue;
    const at = Date.parse(d.completedDate ?? d.startDate ?? '');
    if (!Number.isNaN(since) && !Number.isNaN(at) && at <= since) continue;
    for (const c of effectiveComponents(d) ?? []) {
      const k = componentKey(c);
      if (!seen.has(k)) seen.set(k, { type: c.type, fullName: c.fullName });
    }
  }
  return [...seen.values()];
}

/**
 * The fingerprint of each compared component on each side: the compare cache's when it holds one
 * (components on both sides), else a mark that the org has it.
 */
function digestMaps(result: CompareResult, fingerprint: (orgId: string, key: string) => string | undefined) {
  const lower = new Map<string, string | undefined>();
  const upper = new Map<string, string | undefined>();
  for (const item of result.items) {
    const k = componentKey(item);
    const inLower = item.status !== 'only-in-target';
    const inUpper = item.status !== 'only-in-source';
    if (inLower) lower.set(k, fingerprint(result.source.id, k) ?? (item.status === 'identical' ? 'same' : 'lower'));
    if (inUpper) upper.set(k, fingerprint(result.target.id, k) ?? (item.status === 'identical' ? 'same' : 'upper'));
  }
  return { lower, upper };
}

/** How many deployments of `upper` the `lower` environment lacks, with which components differ. */
export async function deploymentsBehind(deps: BehindDeps, lower: string, upper: string, opts: BehindOptions = {}): Promise<BehindReport> {
  if (lower === upper) throw new Error(`Pick two different environments (both are "${lower}").`);
  const report = opts.onProgress ?? (() => undefined);
  const history = await readOrgHistory(deps, upper, {
    withComponents: true,
    days: opts.days,
    recordsFrom: opts.pipeline ? recordHolders(opts.pipeline, upper) : undefined,
    signal: opts.signal,
    onProgress: (p) => report({ message: p.message, percent: p.percent === undefined ? undefined : Math.floor(p.percent / 2) }),
  });
  const since = opts.since === undefined ? Number.NaN : Date.parse(opts.since);
  // Changeline's own schema is installed in each org on its own: not something the lower one lacks.
  const deployments = history.deployments.map((d) => (d.components?.some(isChangelineSchema) ? { ...d, components: d.components.filter((c) => !isChangelineSchema(c)) } : d));
  const components = touched(deployments, since);
  let digests = { lower: new Map<string, string | undefined>(), upper: new Map<string, string | undefined>() };
  if (components.length > 0) {
    const [lo, up] = await Promise.all([deps.sessions.get(lower), deps.sessions.get(upper)]);
    if (lo.orgId === up.orgId) throw new Error(`${lower} and ${upper} are the same org (${lo.orgId}): nothing can be behind.`);
    const sf = await deps.salesforce();
    const cache = await deps.store.cacheFor([lo.orgId, up.orgId]);
    report({ message: `Comparing ${components.length} components of ${upper}'s deployments with ${lower}…`, percent: 50 });
    const result = await sf.compareOrgs(
      { handle: lo.handle, label: lower },
      { handle: up.handle, label: upper },
      {
        components,
        cache,
        signal: opts.signal,
        onProgress: (p) => {
          if (p.notice) deps.log.warn(p.notice);
          report({ message: p.detail || `Comparing ${lower} with ${upper}…`, percent: p.phase === 'retrieving' && p.total > 0 ? 50 + Math.floor((45 * p.done) / p.total) : undefined });
        },
      },
    );
    // Nothing retrieved and both listings reused: the saved cache still holds every fingerprint (a
    // later compare reads the orgs' change logs from an older revision, which is still right).
    const reused = result.retrievedCount === 0 && result.listing.source.mode === 'tracked' && result.listing.target.mode === 'tracked';
    if (!reused) await deps.store.saveCache([lo.orgId, up.orgId]);
    digests = digestMaps(result, (orgId, key) => cache.getByKey(orgId, key)?.digest.fingerprint);
  }
  const counted = countBehind({ lower, upper, history: deployments, upperDigests: digests.upper, lowerDigests: digests.lower, since: opts.since });
  deps.log.info(`${lower} is ${counted.count} deployment(s) behind ${upper} (${history.deployments.length} deployments, ${components.length} components compared).`);
  return { ...counted, history: history.deployments, digests, notes: history.notes, at: new Date().toISOString() };
}
