/**
 * The back-promotion pipeline in one command: the core plan (production → … → the last shared
 * environment, reverse pipeline order, then the developer sandboxes) run step by step, one
 * back-deploy per step. Each step asks for the deployments the lower environment lacks at that
 * moment (so a step sees what the step above it just brought down), plans and deploys the net
 * differences (work in progress deselected), and the run stops at the first failure, saying where.
 */
import {
  cancelRun,
  finishStep,
  nextStep,
  planBackPromotion,
  runSummary,
  startRun,
  type BackPromotionOptions,
  type BackPromotionRun,
  type RunStep,
} from '../../core/back-deploy';
import { CancelledError } from '../../core/cancelled';
import { deploymentLabel } from '../../core/deployments';
import type { OrgDeployment } from '../../core/promotion/history';
import { plural } from '../../core/promotion/history';
import type { Pipeline } from '../../core/pipeline';
import { DeployError } from '../deploy/run';
import type { RunOptions } from '../types';
import { planBackDeploy, type BackDeployDeps } from './plan';
import { runBackDeploy } from './run';

/** The deployments to `upper` that `lower` lacks now (the deployments-behind reader). */
export type MissingDeployments = (lower: string, upper: string, opts: RunOptions) => Promise<OrgDeployment[]>;

export interface BackPromoteRequest extends BackPromotionOptions {
  pipeline: Pipeline;
  missing: MissingDeployments;
  /** Bring the components flagged as work in progress down too (default: left as they are). */
  includeWip?: boolean;
}

export interface BackPromoteOptions extends RunOptions {
  /** The run as it moves: each step's status and what happened. */
  onStep?(run: BackPromotionRun): void;
  /** Status check interval of each deploy (tests). */
  pollMs?: number;
}

export interface BackPromoteResult {
  run: BackPromotionRun;
  summary: string;
  /** Environments no promotion connection links to the top: left out. */
  notConnected: string[];
}

async function step(deps: BackDeployDeps, req: BackPromoteRequest, s: RunStep, opts: BackPromoteOptions): Promise<{ ok: true; detail: string } | { ok: false; error: string }> {
  const where = `${s.from} → ${s.to}`;
  const progress = (message: string, percent?: number) => opts.onProgress?.({ message: `${where}: ${message}`, ...(percent !== undefined ? { percent } : {}) });
  const sub = { signal: opts.signal, onProgress: (p: { message: string; percent?: number }) => progress(p.message, p.percent) };
  progress('reading the deployments behind…');
  const missing = await req.missing(s.to, s.from, sub);
  if (missing.length === 0) return { ok: true, detail: `${s.to} was level with ${s.from}` };
  const plan = await planBackDeploy(deps, { lower: s.to, upper: s.from, deployments: missing, includeWip: req.includeWip }, sub);
  const selected = plan.net.items.filter((i) => i.selected);
  if (selected.length === 0) {
    const wip = plan.net.items.length;
    return { ok: true, detail: wip === 0 ? `${s.to} had everything already (${plural(plan.net.identical, 'identical component')})` : `nothing brought down: ${plural(wip, 'component')} in progress in ${s.to} left as they are` };
  }
  const r = await runBackDeploy(deps, { plan, pipeline: req.pipeline }, { ...sub, pollMs: opts.pollMs });
  const res = r.outcome.result;
  if (res.canceled) throw new CancelledError('Back-promotion');
  if (!res.success) {
    const first = r.outcome.problems[0];
    const why = res.errorMessage ?? (first ? `${first.component.type} ${first.component.fullName}: ${first.message}` : res.status);
    return { ok: false, error: `${deploymentLabel(r.record)} ${res.status} in ${s.to} (${why})` };
  }
  const wip = plan.net.items.filter((i) => !i.selected).length;
  return { ok: true, detail: `${deploymentLabel(r.record)} brought ${plural(selected.length, 'component')} down${wip ? `; ${wip} left out` : ''}` };
}

/** Runs the back-promotion; resolves with the run (succeeded, failed at a step, or cancelled). */
export async function runBackPromotion(deps: BackDeployDeps, req: BackPromoteRequest, opts: BackPromoteOptions = {}): Promise<BackPromoteResult> {
  const plan = planBackPromotion(req.pipeline, { from: req.from, include: req.include });
  if (!plan.verdict.ok) throw new DeployError(plan.verdict.reason, 'refused');
  let run = startRun(plan);
  opts.onStep?.(run);
  for (;;) {
    const next = nextStep(run);
    if (!next) break;
    run = next.run;
    opts.onStep?.(run);
    if (opts.signal?.aborted) {
      run = cancelRun(run);
      break;
    }
    try {
      run = finishStep(run, next.index, await step(deps, req, next.step, opts));
    } catch (e) {
      if (opts.signal?.aborted || e instanceof CancelledError) {
        run = cancelRun(run);
        opts.onStep?.(run);
        break;
      }
      run = finishStep(run, next.index, { ok: false, error: (e as Error).message });
    }
    opts.onStep?.(run);
  }
  const summary = runSummary(run);
  if (run.state === 'succeeded') deps.log.info(summary);
  else deps.log.warn(summary);
  return { run, summary, notConnected: plan.notConnected };
}
