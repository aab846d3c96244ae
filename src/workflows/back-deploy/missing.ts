/**
 * Where a back-deploy's input comes from: the deployments to the upper environment that the lower
 * one lacks (the deployments-behind workflow over the upper environment's history), and which
 * environment is "upper" when the user names only the lower one.
 */
import { promotionTargets } from '../../core/promotion/send';
import type { Pipeline } from '../../core/pipeline';
import type { CompareStore } from '../compare/store';
import { deploymentsBehind } from '../promotion/behind';
import type { WorkflowDeps } from '../types';
import type { MissingDeployments } from './promote';

/** The deployments-behind reader as a back-deploy's source of missing deployments. */
export function missingFromHistory(deps: WorkflowDeps & { compareStore: CompareStore }, pipeline: Pipeline): MissingDeployments {
  return async (lower, upper, opts) => {
    const behind = await deploymentsBehind({ ...deps, store: deps.compareStore }, lower, upper, { pipeline, signal: opts.signal, onProgress: opts.onProgress });
    for (const note of behind.notes) deps.log.warn(note);
    return behind.deployments.map((e) => e.deployment);
  };
}

export type UpperChoice = { ok: true; upper: string } | { ok: false; reason: string };

/** The environment `lower` back-deploys from: `from` when given (it must be one `lower` promotes to), else its only promotion target. */
export function upperOf(pipeline: Pipeline, lower: string, from?: string): UpperChoice {
  const targets = promotionTargets(pipeline, lower).map((e) => e.name);
  if (from !== undefined) {
    if (from === lower) return { ok: false, reason: `${lower} cannot back-deploy from itself.` };
    if (!pipeline.environments.some((e) => e.name === from)) return { ok: false, reason: `"${from}" is not an environment of the pipeline.` };
    if (!targets.includes(from)) {
      return { ok: false, reason: targets.length ? `${lower} promotes to ${targets.join(' or ')}, not ${from}: back-deploy from ${targets.join(' or ')}.` : `${lower} promotes to no environment, so it has nothing above it to back-deploy from.` };
    }
    return { ok: true, upper: from };
  }
  if (targets.length === 1) return { ok: true, upper: targets[0] };
  if (targets.length === 0) return { ok: false, reason: `${lower} promotes to no environment, so it has nothing above it to back-deploy from.` };
  return { ok: false, reason: `${lower} promotes to ${targets.join(' and ')}: name the one to back-deploy from.` };
}
