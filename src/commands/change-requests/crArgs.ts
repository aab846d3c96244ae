/**
 * What the change request commands act on: a tree node (menus pass it as the first argument),
 * or plain arguments (tests, other commands). Missing choices are asked with a quick pick.
 */
import type { Connection } from '../../core/pipeline';
import { ChangeRequestNode, TrackingMissingNode } from '../../views/crNodes';
import { EnvironmentNode } from '../../views/nodes';
import type { Ctx } from '../../ctx';

export interface CrTarget {
  environment: string;
  id: string;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** The CR a command acts on; throws a clear error when the argument names none. */
export function crTarget(arg: unknown): CrTarget {
  if (arg instanceof ChangeRequestNode) return { environment: arg.environment, id: arg.id };
  if (isRecord(arg) && typeof arg.environment === 'string' && typeof arg.id === 'string') return { environment: arg.environment, id: arg.id };
  throw new Error('Choose a change request in the Environments view (right-click it) to run this command.');
}

/** The environment named by a node, a name, or `{ environment }`, if any. */
export function environmentArg(arg: unknown): string | undefined {
  if (arg instanceof EnvironmentNode) return arg.name;
  if (arg instanceof TrackingMissingNode || arg instanceof ChangeRequestNode) return arg.environment;
  if (typeof arg === 'string') return arg;
  if (isRecord(arg) && typeof arg.environment === 'string') return arg.environment;
  return undefined;
}

/** Checks the environment exists in the pipeline; a clear error otherwise. */
export function checkEnvironment(ctx: Ctx, name: string): string {
  if (ctx.model.environment(name)) return name;
  const known = ctx.model.environments().map((e) => e.name);
  throw new Error(
    known.length
      ? `There is no environment named "${name}" in the pipeline; use one of: ${known.join(', ')}.`
      : 'The pipeline has no environments yet; add one first (Changeline: Add Environment…).',
  );
}

/** The named environment, or the one the user picks (undefined when the pick is dismissed). */
export async function resolveEnvironment(ctx: Ctx, arg: unknown, placeHolder: string, among?: readonly string[]): Promise<string | undefined> {
  const named = environmentArg(arg);
  if (named !== undefined) return checkEnvironment(ctx, named);
  const names = among ?? ctx.model.environments().map((e) => e.name);
  if (names.length === 0) checkEnvironment(ctx, '');
  const picked = await ctx.prompts.pick(
    names.map((name) => ({ label: name, description: ctx.model.environment(name)?.org })),
    { placeHolder, ignoreFocusOut: true },
  );
  return picked?.label;
}

/** Effective pipeline connections (next, explicit, back-promotion) leaving or reaching `env`. */
export function connectionsOf(ctx: Ctx, env: string, direction: 'from' | 'to'): Connection[] {
  const s = ctx.model.status;
  if (s.kind !== 'ok') return [];
  return s.pipeline.connections.filter((c) => (direction === 'from' ? c.from : c.to) === env);
}
