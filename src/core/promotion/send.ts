/**
 * Send rules: where an environment may send its changes, the label of the action, "nothing
 * changed since the last send", and the advice to sync first. Changes climb one environment at a
 * time along the pipeline's promotion connections; with intermediate environments nothing goes
 * straight to production; with only one environment besides production it may.
 */
import type { Verdict } from '../change-requests/rules';
import type { Environment, Pipeline } from '../pipeline/types';
import { formatWhen, plural, type DigestMap } from './history';

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

const orList = (names: readonly string[]) => names.join(' or ');

function stageOf(pipeline: Pipeline, name: string): number {
  return pipeline.stages.findIndex((s) => s.includes(name));
}

function production(pipeline: Pipeline): Environment | undefined {
  return pipeline.environments.find((e) => e.role === 'production');
}

/**
 * The environments `from` may send to, in pipeline order: its promotion connections that climb
 * exactly one stage; or production when it is the only environment besides production and no
 * connection leaves it. Empty for production and for unknown names.
 */
export function promotionTargets(pipeline: Pipeline, from: string): Environment[] {
  const env = pipeline.environments.find((e) => e.name === from);
  if (!env || env.role === 'production') return [];
  const stage = stageOf(pipeline, from);
  const connected = new Set(pipeline.connections.filter((c) => c.kind === 'promotion' && c.from === from).map((c) => c.to));
  const targets = pipeline.environments.filter((e) => connected.has(e.name) && stageOf(pipeline, e.name) === stage + 1);
  if (connected.size === 0) {
    const prod = production(pipeline);
    const others = pipeline.environments.filter((e) => e.role !== 'production');
    if (prod && others.length === 1) return [prod];
  }
  return targets;
}

/** "Send to UAT…"; for production always "Send to Production…" (its name added when different). */
export function sendLabel(targets: readonly Environment[]): string {
  if (targets.length === 0) return 'Send…';
  const one = (e: Environment) => (e.role === 'production' && e.name !== 'Production' ? `Production (${e.name})` : e.name);
  return `Send to ${targets.map(one).join(' or ')}…`;
}

/** Whether `from` may send to `to`; the refusal names the allowed target(s). */
export function canSend(pipeline: Pipeline, from: string, to: string): Verdict {
  const names = pipeline.environments.map((e) => e.name);
  for (const n of [from, to]) {
    if (!names.includes(n)) return no(`"${n}" is not an environment of the pipeline (${names.join(', ')}). Check the pipeline file.`);
  }
  const targets = promotionTargets(pipeline, from).map((e) => e.name);
  if (targets.length === 0) return noTarget(pipeline, from);
  if (from === to) return no(`${from} cannot send to itself.`);
  if (targets.includes(to)) return OK;
  const allowed = `Send to ${orList(targets)} instead.`;
  const target = pipeline.environments.find((e) => e.name === to)!;
  const gap = stageOf(pipeline, to) - stageOf(pipeline, from);
  if (gap <= 0) return no(`Changes climb the pipeline: ${to} is not above ${from}. ${allowed}`);
  if (target.role === 'production' && gap > 1) {
    return no(`Nothing goes straight to ${to} from ${from}: changes climb one environment at a time. ${allowed}`);
  }
  if (gap > 1) return no(`${from} → ${to} skips a stage: changes climb one environment at a time. ${allowed}`);
  return no(`The pipeline does not connect ${from} to ${to}. ${allowed}`);
}

function noTarget(pipeline: Pipeline, from: string): Verdict {
  if (pipeline.environments.find((e) => e.name === from)?.role === 'production') {
    return no(`${from} is the last stage: nothing is sent from it. Lower environments catch up with it by back-deploy (Back Deploy…).`);
  }
  return no(`${from} is not connected to a higher environment. Set its "next" in the pipeline file to send changes from it.`);
}

export interface SendAction {
  targets: Environment[];
  label: string;
  /** Refused when the environment has nowhere to send to. */
  verdict: Verdict;
}

/** The Send action of an environment: its target(s), its label and whether it is available. */
export function sendAction(pipeline: Pipeline, from: string): SendAction {
  const targets = promotionTargets(pipeline, from);
  return { targets, label: sendLabel(targets), verdict: targets.length > 0 ? OK : noTarget(pipeline, from) };
}

export interface LastSend {
  /** Digests of what was sent, per component (`componentKey`). */
  digests: DigestMap;
  at?: string;
}

export type FreshnessVerdict = { ok: true; changed: string[] } | { ok: false; reason: string };

/**
 * Whether there is something to send: the components (by `componentKey`) whose digest differs
 * from what was last sent to `to`, including ones deleted in the sender since. Components sent
 * last time but no longer in scope are not a change to send.
 */
export function changedSinceLastSend(from: string, to: string, current: DigestMap, last?: LastSend): FreshnessVerdict {
  if (current.size === 0) return { ok: false, reason: `There is nothing to send from ${from}: no components are selected.` };
  const changed: string[] = [];
  for (const [key, digest] of current) {
    if (!last || !last.digests.has(key) || last.digests.get(key) !== digest) changed.push(key);
  }
  if (changed.length > 0) return { ok: true, changed };
  const when = last?.at ? ` (${formatWhen(last.at)})` : '';
  const same = current.size === 1 ? 'its component is as it was sent' : `its ${plural(current.size, 'component')} are as they were sent`;
  return {
    ok: false,
    reason: `Nothing changed in ${from} since it was last sent to ${to}${when}: ${same}. Change something first, or look for that send in ${to}'s queue and log.`,
  };
}

/**
 * "UAT has 3 deployments that Dev does not have. Sync Dev with UAT first (recommended), or
 * send anyway." — advice shown with Send, never a refusal. Undefined when not behind.
 */
export function syncAdvice(sender: string, target: string, behind: number): string | undefined {
  if (!(behind > 0)) return undefined;
  const has = behind === 1 ? 'has 1 deployment' : `has ${behind} deployments`;
  return `${target} ${has} that ${sender} does not have. Sync ${sender} with ${target} first (recommended), or send anyway.`;
}
