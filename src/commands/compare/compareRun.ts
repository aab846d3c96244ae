/**
 * Running one compare from the editor: the compare workflow under cancellable progress, then the
 * result shown in its panel.
 */
import type { CompareResult } from '../../core/compare/types';
import type { Ctx } from '../../ctx';
import { compareEnvironments, type CompareRequest } from '../../workflows/compare/run';
import { withCancellableProgress } from '../progress';

export type { CompareRequest } from '../../workflows/compare/run';

/** Compares, saves the cache and the result, and shows the panel. Resolves with the engine's result. */
export async function runCompare(ctx: Ctx, req: CompareRequest): Promise<CompareResult> {
  if (req.sourceEnv === req.targetEnv) throw new Error(`Pick two different environments (both are "${req.sourceEnv}").`);
  const { store, panels, files } = ctx.compare;
  // Diffs opened after this compare show the orgs as they are now.
  files.forget();
  const title = `Comparing ${req.sourceEnv} with ${req.targetEnv}`;
  const panel = panels.get(req.sourceEnv, req.targetEnv);
  panel?.setBusy(`${title}…`);
  try {
    const { result, view } = await withCancellableProgress(
      title,
      (opts) => compareEnvironments({ ...ctx, store }, { ...req, sourceTracking: ctx.config().compareUseSourceTracking }, opts),
      { cancelledAs: 'Compare' },
    );
    panels.show(view);
    return result;
  } finally {
    panel?.setBusy(undefined);
  }
}
