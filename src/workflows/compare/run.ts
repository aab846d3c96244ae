/**
 * Compare two environments: both sessions, the persistent cache, the engine, then the cache and
 * the result saved. The editor shows the result in its panel; the CLI prints it.
 */
import type { CompareProgress, CompareResult } from '../../core/compare/types';
import { CancelledError } from '../../core/cancelled';
import type { CompareScope, CompareView } from '../../shared/compareProtocol';
import type { RunOptions, WorkflowDeps } from '../types';
import type { CompareStore } from './store';

export interface CompareRequest {
  sourceEnv: string;
  targetEnv: string;
  scope: CompareScope;
  /** Shown with the result: "All metadata types", "2 metadata types", "Change request CR-0042". */
  scopeLabel: string;
  /** Ignore the cache (Full refresh). */
  full?: boolean;
  /** Read the orgs' change logs (source tracking) where they keep one. */
  sourceTracking?: boolean;
}

export interface CompareDeps extends WorkflowDeps {
  store: CompareStore;
}

const n = (x: number) => x.toLocaleString('en-US');

/** The progress line a user reads. */
export function progressText(p: CompareProgress): string {
  switch (p.phase) {
    case 'retrieving':
      return `Retrieving ${n(p.done)}/${n(p.total)} components… ${p.detail}`;
    default:
      // "Listing UAT: 120 of 564 types and folders · Production: 98 of 564 types and folders…"
      return `${p.detail}…`;
  }
}

export function toView(result: CompareResult, req: CompareRequest): CompareView {
  return {
    sourceEnv: req.sourceEnv,
    targetEnv: req.targetEnv,
    scope: req.scopeLabel,
    startedAt: result.startedAt,
    items: result.items,
    countsByStatus: result.countsByStatus,
    countsByType: result.countsByType,
    notFound: result.notFound,
    retrievedCount: result.retrievedCount,
    fromCacheCount: result.fromCacheCount,
    listing: result.listing,
    request: req.scope,
  };
}

/** Compares, saves the cache and the result. Throws CancelledError when the signal aborts it. */
export async function compareEnvironments(deps: CompareDeps, req: CompareRequest, opts: RunOptions = {}): Promise<{ result: CompareResult; view: CompareView }> {
  if (req.sourceEnv === req.targetEnv) throw new Error(`Pick two different environments (both are "${req.sourceEnv}").`);
  const { signal } = opts;
  const report = opts.onProgress ?? (() => undefined);
  try {
    report({ message: 'Connecting…' });
    const [source, target] = await Promise.all([deps.sessions.get(req.sourceEnv), deps.sessions.get(req.targetEnv)]);
    if (source.orgId === target.orgId) throw new Error(`${req.sourceEnv} and ${req.targetEnv} are the same org (${source.orgId}): nothing to compare.`);
    const sf = await deps.salesforce();
    const cache = await deps.store.cacheFor([source.orgId, target.orgId]);
    const sourceTracking = req.sourceTracking ?? true;
    const result = await sf.compareOrgs(
      { handle: source.handle, label: req.sourceEnv, sourceTracking },
      { handle: target.handle, label: req.targetEnv, sourceTracking },
      {
        types: req.scope.types,
        components: req.scope.components,
        cache,
        forceFull: req.full === true,
        signal,
        onProgress: (p) => {
          // "UAT answered 503; retrying in 1 s (3 of 4)": said in the log as well as in the progress.
          if (p.notice) deps.log.warn(p.notice);
          report({ message: progressText(p), percent: p.phase === 'retrieving' && p.total > 0 ? Math.floor((90 * p.done) / p.total) : undefined });
        },
      },
    );
    if (signal?.aborted) throw new CancelledError('Compare');
    await deps.store.saveCache([source.orgId, target.orgId]);
    const view = toView(result, req);
    await deps.store.saveResult(view);
    deps.log.info(
      `Compared ${req.sourceEnv} with ${req.targetEnv} (${req.scopeLabel}): ${result.items.length} components; retrieved ${result.retrievedCount}, ${result.fromCacheCount} from cache.`,
    );
    return { result, view };
  } catch (e) {
    if (signal?.aborted) throw new CancelledError('Compare');
    throw e;
  }
}
