/**
 * Running one compare: both environments' sessions, the persistent cache, cancellable progress
 * whose cancellation aborts the Salesforce calls, then the result saved and shown in its panel.
 */
import * as vscode from 'vscode';
import type { CompareProgress, CompareResult } from '../core/compare/types';
import type { CompareScope, CompareView } from '../shared/compareProtocol';
import { CancelledError, type CommandContext } from './context';
import { compareServices } from './compareServices';
import { forgetRetrievedFiles } from './compareDiff';

export interface CompareRequest {
  sourceEnv: string;
  targetEnv: string;
  scope: CompareScope;
  /** Shown in the panel: "All metadata types", "2 metadata types", "Change request CR-0042". */
  scopeLabel: string;
  /** Ignore the cache (Full refresh). */
  full?: boolean;
}

const n = (x: number) => x.toLocaleString('en-US');

/** The progress line a user reads. */
export function progressText(p: CompareProgress): string {
  switch (p.phase) {
    case 'listing':
      // "Listing UAT: 120 of 564 types and folders · Production: 98 of 564 types and folders"
      return `${p.detail}…`;
    case 'retrieving':
      return `Retrieving ${n(p.done)}/${n(p.total)} components… ${p.detail}`;
    default:
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

/** Compares, saves the cache and the result, and shows the panel. Resolves with the engine's result. */
export async function runCompare(ctx: CommandContext, req: CompareRequest): Promise<CompareResult> {
  if (req.sourceEnv === req.targetEnv) throw new Error(`Pick two different environments (both are "${req.sourceEnv}").`);
  const { store, panels } = compareServices();
  // Diffs opened after this compare show the orgs as they are now.
  forgetRetrievedFiles();
  const title = `Comparing ${req.sourceEnv} with ${req.targetEnv}`;
  const panel = panels.get(req.sourceEnv, req.targetEnv);
  panel?.setBusy(`${title}…`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: 'Connecting…' });
          const [source, target] = await Promise.all([ctx.sessions.get(req.sourceEnv), ctx.sessions.get(req.targetEnv)]);
          if (source.orgId === target.orgId) throw new Error(`${req.sourceEnv} and ${req.targetEnv} are the same org (${source.orgId}): nothing to compare.`);
          const sf = await ctx.salesforce();
          const cache = await store.cacheFor([source.orgId, target.orgId]);
          let reported = 0;
          const sourceTracking = ctx.config().compareUseSourceTracking;
          const result = await sf.compareOrgs(
            { handle: source.handle, label: req.sourceEnv, sourceTracking },
            { handle: target.handle, label: req.targetEnv, sourceTracking },
            {
              types: req.scope.types,
              components: req.scope.components,
              cache,
              forceFull: req.full === true,
              signal: abort.signal,
              onProgress: (p) => {
                if (p.notice) ctx.log.warn(p.notice);
                const pct = p.phase === 'retrieving' && p.total > 0 ? Math.floor((90 * p.done) / p.total) : 0;
                progress.report({ message: progressText(p), increment: pct > reported ? pct - reported : undefined });
                reported = Math.max(reported, pct);
              },
            },
          );
          if (token.isCancellationRequested) throw new CancelledError('Compare');
          await store.saveCache([source.orgId, target.orgId]);
          return result;
        } catch (e) {
          if (token.isCancellationRequested) throw new CancelledError('Compare');
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
    const view = toView(result, req);
    await store.saveResult(view);
    ctx.log.info(
      `Compared ${req.sourceEnv} with ${req.targetEnv} (${req.scopeLabel}): ${result.items.length} components; retrieved ${result.retrievedCount}, ${result.fromCacheCount} from cache.`,
    );
    panels.show(view);
    return result;
  } finally {
    panel?.setBusy(undefined);
  }
}
