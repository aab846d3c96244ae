/**
 * The back-promotion pipeline: production → … → the last shared environment in reverse pipeline
 * order, one back-deploy per connection, then the developer sandboxes (parallel environments of
 * the lowest stage) brought level from the environment above them, individually or all. The run
 * is a pure state machine: the caller deploys each step and reports; it stops at the first
 * failure and says where.
 */
import type { Verdict } from '../change-requests/rules';
import type { Pipeline } from '../pipeline/types';
import { promotionTargets } from '../promotion/send';

export interface BackStep {
  /** The upper environment whose deployments come down. */
  from: string;
  to: string;
  /** `to` is a developer sandbox: one of parallel environments of the lowest stage. */
  sandbox: boolean;
}

export interface BackPromotionPlan {
  verdict: Verdict;
  /** In the order to run them: each environment is level before the ones below it. */
  steps: BackStep[];
  /** Environments no promotion connection links to the top: left out. */
  notConnected: string[];
}

export interface BackPromotionOptions {
  /** Bring only these environments level (and those between them and the top). Default: all. */
  include?: readonly string[];
  /** Start from this environment instead of production. */
  from?: string;
}

const refuse = (reason: string): BackPromotionPlan => ({ verdict: { ok: false, reason }, steps: [], notConnected: [] });

/** The steps of a back-promotion over the pipeline. */
export function planBackPromotion(pipeline: Pipeline, options: BackPromotionOptions = {}): BackPromotionPlan {
  const names = pipeline.environments.map((e) => e.name);
  const top = options.from ?? pipeline.environments.find((e) => e.role === 'production')?.name;
  if (top === undefined) return refuse('The pipeline has no production environment to bring the others level with. Give one environment the role "production".');
  for (const n of [top, ...(options.include ?? [])]) {
    if (!names.includes(n)) return refuse(`"${n}" is not an environment of the pipeline (${names.join(', ')}).`);
  }
  const stage = (n: string) => pipeline.stages.findIndex((s) => s.includes(n));
  const parent = new Map(names.map((n) => [n, promotionTargets(pipeline, n)[0]?.name] as const));
  const chain = (n: string): string[] | undefined => {
    const path: string[] = [];
    for (let cur: string | undefined = n; cur !== undefined; cur = parent.get(cur)) {
      if (cur === top) return path;
      if (path.includes(cur)) return undefined;
      path.push(cur);
    }
    return undefined;
  };
  const below = names.filter((n) => n !== top && stage(n) < stage(top));
  const reachable = below.filter((n) => chain(n) !== undefined);
  const notConnected = below.filter((n) => chain(n) === undefined);

  let wanted = new Set(reachable);
  if (options.include) {
    wanted = new Set();
    for (const n of options.include) {
      if (n === top) return refuse(`${top} is where this back-promotion starts: name the environments to bring level with it.`);
      const path = chain(n);
      if (!path) return refuse(`${n} is not below ${top} in the pipeline, so it cannot be brought level from it.`);
      for (const p of path) wanted.add(p);
    }
  }
  const lowest = pipeline.stages.map((s) => s.filter((n) => reachable.includes(n))).find((s) => s.length > 0) ?? [];
  const sandboxes = new Set(lowest.length > 1 ? lowest : []);
  const steps = names
    .filter((n) => wanted.has(n))
    .sort((a, b) => stage(b) - stage(a) || names.indexOf(a) - names.indexOf(b))
    .map((n) => ({ from: parent.get(n)!, to: n, sandbox: sandboxes.has(n) }));
  if (steps.length === 0) return { verdict: { ok: false, reason: `No environment below ${top} is connected to it through the pipeline: nothing to bring level.` }, steps, notConnected };
  return { verdict: { ok: true }, steps, notConnected };
}

export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled' | 'not-run';

export interface RunStep extends BackStep {
  status: StepStatus;
  /** What happened: the deployment made, "already level", or the error. */
  detail?: string;
}

export interface BackPromotionRun {
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  steps: RunStep[];
}

export type StepOutcome = { ok: true; detail?: string } | { ok: false; error: string };

/** A run of the plan's steps, none started. */
export function startRun(plan: BackPromotionPlan): BackPromotionRun {
  return { state: plan.steps.length === 0 ? 'succeeded' : 'running', steps: plan.steps.map((s) => ({ ...s, status: 'pending' })) };
}

/** The step to run now (marked running in the returned run), or undefined when the run is over or a step runs. */
export function nextStep(run: BackPromotionRun): { run: BackPromotionRun; index: number; step: RunStep } | undefined {
  if (run.state !== 'running' || run.steps.some((s) => s.status === 'running')) return undefined;
  const index = run.steps.findIndex((s) => s.status === 'pending');
  if (index < 0) return undefined;
  const steps = run.steps.map((s, i) => (i === index ? { ...s, status: 'running' as const } : s));
  return { run: { ...run, steps }, index, step: steps[index] };
}

/** Records the outcome of the running step; a failure stops the run and leaves the rest not run. */
export function finishStep(run: BackPromotionRun, index: number, outcome: StepOutcome): BackPromotionRun {
  const cur = run.steps[index];
  if (!cur || cur.status !== 'running') throw new Error(`Step ${index + 1} of the back-promotion is not running.`);
  const failed = !outcome.ok;
  const steps = run.steps.map((s, i): RunStep => {
    if (i === index) return { ...s, status: failed ? 'failed' : 'done', detail: outcome.ok ? outcome.detail : outcome.error };
    if (failed && s.status === 'pending') return { ...s, status: 'not-run' };
    return s;
  });
  const over = steps.every((s) => s.status !== 'pending');
  return { steps, state: failed ? 'failed' : over ? 'succeeded' : 'running' };
}

/** Stops the run: the running step is cancelled, the rest not run. */
export function cancelRun(run: BackPromotionRun): BackPromotionRun {
  if (run.state !== 'running') return run;
  const steps = run.steps.map((s): RunStep => (s.status === 'running' ? { ...s, status: 'cancelled' } : s.status === 'pending' ? { ...s, status: 'not-run' } : s));
  return { steps, state: 'cancelled' };
}

const arrow = (s: BackStep) => `${s.from} → ${s.to}`;

/** What happened, saying where it stopped. */
export function runSummary(run: BackPromotionRun): string {
  const list = (st: StepStatus) => run.steps.filter((s) => s.status === st).map(arrow).join(', ');
  const done = list('done');
  const notRun = list('not-run');
  const tail = `${done ? ` Done: ${done}.` : ' Nothing was done.'}${notRun ? ` Not run: ${notRun}.` : ''}`;
  switch (run.state) {
    case 'succeeded':
      return run.steps.length === 0 ? 'Back-promotion: nothing to do.' : `Back-promotion done: ${done}.`;
    case 'failed': {
      const f = run.steps.find((s) => s.status === 'failed')!;
      return `Back-promotion stopped at ${arrow(f)}: ${(f.detail ?? 'it failed').replace(/\.$/, '')}.${tail}`;
    }
    case 'cancelled': {
      const c = run.steps.find((s) => s.status === 'cancelled');
      return `Back-promotion cancelled${c ? ` during ${arrow(c)}` : ''}.${tail}`;
    }
    default: {
      const r = run.steps.find((s) => s.status === 'running');
      return r ? `Back-promotion: bringing ${r.to} level with ${r.from}…` : 'Back-promotion: starting…';
    }
  }
}
