/**
 * Deployments behind: the deployments that landed in the upper environment (Changeline's and out
 * of band) whose components differ in the lower one. The upper history with its components
 * (history.ts), then the compare engine over exactly those components in both orgs, with the
 * compare's persistent fingerprint cache (only what changed since the last compare is retrieved),
 * then the core's counting (core/promotion/behind.ts). Counted again with the same history and
 * neither org's change log moved since, the last fingerprints are used without comparing
 * (core/promotion/behind-memo.ts).
 */
import { componentKey } from '../../core/metadata-types';
import type { Pipeline } from '../../core/pipeline';
import { deploymentsBehind as countBehind, effectiveComponents, landed, type BehindResult, type ComponentRef, type DeployedComponent, type DigestMap } from '../../core/promotion';
import type { CompareResult } from '../../core/compare/types';
import type { CompareStore } from '../compare/store';
import { isChangelineSchema } from '../../core/promotion/org-history';
import { BehindMemos, changeMark, historySignature, memoCandidate, type BehindMemo } from '../../core/promotion/behind-memo';
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
  digests: { upper: DigestMap; lower: DigestMap };
  notes: string[];
  /** When it was computed (ISO). */
  at: string;
  /** True when neither org nor the history changed since the last count: its fingerprints were used without comparing. */
  reused?: boolean;
}

/** The last count of each pair, per fingerprint store (what it compared is only valid with that store's cache). */
const memos = new WeakMap<CompareStore, BehindMemos>();

function memosOf(store: CompareStore): BehindMemos {
  let m = memos.get(store);
  if (!m) memos.set(store, (m = new BehindMemos(16)));
  return m;
}

/** A deployment's components without Changeline's schema, worked out once per list (a finished deployment's list is kept by deploy id). */
const schemaless = new WeakMap<readonly DeployedComponent[], DeployedComponent[]>();
function withoutSchema(list: DeployedComponent[]): DeployedComponent[] {
  let out = schemaless.get(list);
  if (!out) {
    out = list.some(isChangelineSchema) ? list.filter((c) => !isChangelineSchema(c)) : list;
    schemaless.set(list, out);
  }
  return out;
}

/** The landed deployments the count looks at (those after `since`, when given). */
function counted(d: HistoryDeployment, since: number): boolean {
  if (!landed(d)) return false;
  const at = Date.parse(d.completedDate ?? d.startDate ?? '');
  return Number.isNaN(since) || Number.isNaN(at) || at > since;
}

/** True when some counted deployment touched a component (there is something to compare). */
function touchesAny(history: readonly HistoryDeployment[], since: number): boolean {
  return history.some((d) => counted(d, since) && d.components?.some((c) => c.state !== 'Failed'));
}

/** The components the landed deployments touched, once each. */
function touched(history: readonly HistoryDeployment[], since: number): ComponentRef[] {
  const seen = new Map<string, ComponentRef>();
  for (const d of history) {
    if (!counted(d, since)) continue;
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
  const deployments = history.deployments.map((d) => {
    const kept = d.components && withoutSchema(d.components);
    return kept === d.components ? d : { ...d, components: kept };
  });
  let digests: BehindMemo['digests'] = { lower: new Map(), upper: new Map() };
  let compared = 0;
  let reused = false;
  if (touchesAny(deployments, since)) {
    const [lo, up] = await Promise.all([deps.sessions.get(lower), deps.sessions.get(upper)]);
    if (lo.orgId === up.orgId) throw new Error(`${lower} and ${upper} are the same org (${lo.orgId}): nothing can be behind.`);
    const sf = await deps.salesforce();
    const cache = await deps.store.cacheFor([lo.orgId, up.orgId]);
    const memoKey = `${lo.orgId}/${lo.userId}|${up.orgId}/${up.userId}`;
    const memo = memosOf(deps.store).get(memoKey);
    const signature = historySignature(deployments, opts.since);
    const marks = () => ({ lower: changeMark(cache.getListing(lo.orgId)), upper: changeMark(cache.getListing(up.orgId)) });
    const before = marks();
    if (memoCandidate(memo, signature, before.lower, before.upper, Date.now())) {
      // The same history and kept listings: unchanged when neither org's change log moved since.
      const unchanged = async (handle: typeof lo.handle, label: string, revision: string) =>
        (await sf.compareSide(handle, { label }).changesSince?.(revision, opts.signal ?? new AbortController().signal))?.count === 0;
      const [a, b] = await Promise.all([unchanged(lo.handle, lower, memo.lower.revision), unchanged(up.handle, upper, memo.upper.revision)]);
      if (a && b) {
        digests = memo.digests;
        compared = memo.components;
        reused = true;
      }
    }
    if (!reused) {
      const components = touched(deployments, since);
      compared = components.length;
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
      const reusedListings = result.retrievedCount === 0 && result.listing.source.mode === 'tracked' && result.listing.target.mode === 'tracked';
      if (!reusedListings) await deps.store.saveCache([lo.orgId, up.orgId]);
      digests = digestMaps(result, (orgId, key) => cache.getByKey(orgId, key)?.digest.fingerprint);
      const after = marks();
      // Kept for the next count while both orgs keep a change log (their kept listings say where they stood).
      if (after.lower && after.upper) memosOf(deps.store).set(memoKey, { signature, lower: after.lower, upper: after.upper, components: compared, digests });
      else memosOf(deps.store).delete(memoKey);
    }
  }
  const count = countBehind({ lower, upper, history: deployments, upperDigests: digests.upper, lowerDigests: digests.lower, since: opts.since });
  const how = reused ? `${compared} components unchanged since the last count` : `${compared} components compared`;
  deps.log.info(`${lower} is ${count.count} deployment(s) behind ${upper} (${history.deployments.length} deployments, ${how}).`);
  return { ...count, history: history.deployments, digests, notes: history.notes, at: new Date().toISOString(), ...(reused ? { reused } : {}) };
}
