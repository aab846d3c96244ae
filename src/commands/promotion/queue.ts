/**
 * The deployment queue's commands: open its panel, deploy an entry (release managers; validated
 * first if the user wants; progress with Cancel in the org; an expired session offers Log In
 * Again), reject one with a reason the sender reads. Others are told who can act. Thin: the work
 * is src/workflows/promotion/queue.ts.
 */
import { entryLabel } from '../../core/promotion';
import type { Pipeline } from '../../core/pipeline';
import type { Ctx } from '../../ctx';
import { QueueEntryNode, QueueNode } from '../../views/queueNodes';
import { EnvironmentNode } from '../../views/nodes';
import { deployEntry, readQueue, rejectEntry, type DeployEntryOutcome, type QueueOutcome } from '../../workflows/promotion/queue';
import { DeployError } from '../../workflows/deploy/run';
import { checkEnvironment } from '../change-requests/crArgs';
import { sessionExpiredHandler } from '../deploy/follow';
import { withCancellableProgress } from '../progress';
import { deployFinished, VIEW_LOG } from './log';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function pipelineOf(ctx: Ctx): Pipeline {
  const s = ctx.model.status;
  if (s.kind !== 'ok') throw new Error('The pipeline file has errors or is missing (see the Problems panel); fix it first.');
  return s.pipeline;
}

function entryTarget(arg: unknown): { environment: string; id: string } {
  if (arg instanceof QueueEntryNode) return { environment: arg.environment, id: arg.id };
  if (isObject(arg) && typeof arg.environment === 'string' && typeof arg.id === 'string' && arg.environment && arg.id) return { environment: arg.environment, id: arg.id };
  throw new Error("Choose an entry of an environment's deployment queue (under Queue in the Environments view).");
}

function refreshViews(ctx: Ctx, env: string, source?: string): void {
  void ctx.queues.refresh(env);
  ctx.queuePanels.refresh(env);
  if (source) {
    // A deploy happened: the CRs that followed their role, and what is behind the environment, change.
    ctx.changeRequests.refresh(source);
    ctx.behind.invalidate(env);
  }
}

export async function openQueue(ctx: Ctx, arg?: unknown): Promise<unknown> {
  const env =
    arg instanceof QueueNode || arg instanceof QueueEntryNode
      ? arg.environment
      : arg instanceof EnvironmentNode
        ? arg.name
        : isObject(arg) && typeof arg.environment === 'string'
          ? arg.environment
          : undefined;
  if (!env) throw new Error("Choose an environment's Queue in the Environments view to open its deployment queue.");
  checkEnvironment(ctx, env);
  return ctx.queuePanels.open(env);
}

export const VALIDATE_THEN_DEPLOY = 'Validate, Then Deploy';
export const DEPLOY_NOW = 'Deploy';

export async function deployQueueEntry(ctx: Ctx, arg?: unknown): Promise<DeployEntryOutcome | undefined> {
  const t = entryTarget(arg);
  checkEnvironment(ctx, t.environment);
  const pipeline = pipelineOf(ctx);
  const view = await readQueue(ctx, t.environment);
  if (!view.canManage) {
    void ctx.prompts.warn(view.refusal ?? `You cannot deploy queued changes in ${t.environment}.`);
    return undefined;
  }
  const entry = view.entries.find((e) => e.id === t.id);
  if (!entry) throw new Error(`The entry is no longer in ${t.environment}'s deployment queue; refresh it.`);
  let validateFirst = isObject(arg) && typeof arg.validateFirst === 'boolean' ? arg.validateFirst : undefined;
  if (validateFirst === undefined) {
    const pick = await ctx.prompts.pick(
      [
        { label: VALIDATE_THEN_DEPLOY, detail: `Check-only deploy with the tests first; deploy only if it succeeds.` },
        { label: DEPLOY_NOW, detail: `Deploy ${entry.components.length} component${entry.components.length === 1 ? '' : 's'} to ${t.environment} now.` },
      ],
      { title: `Deploy ${entryLabel(entry)} to ${t.environment}`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    validateFirst = pick.label === VALIDATE_THEN_DEPLOY;
  }
  let done: DeployEntryOutcome;
  try {
    done = await withCancellableProgress(
      `Deploying ${entryLabel(entry)} to ${t.environment}`,
      (opts) =>
        deployEntry(ctx, { env: t.environment, ref: entry, pipeline, validateFirst }, {
          ...opts,
          onSessionExpired: sessionExpiredHandler(ctx, t.environment, 'deploy'),
          confirmOverwrites: async (flags) =>
            ctx.prompts.confirm(
              `${flags.length} component${flags.length === 1 ? ' was' : 's were'} changed in ${t.environment} after these changes were sent. Overwrite ${flags.length === 1 ? 'it' : 'them'}?`,
              'Overwrite',
              flags.map((f) => f.message.split('. Deploying')[0]).join('\n'),
            ),
        }),
      { cancelledAs: 'Deploy' },
    );
  } catch (e) {
    refreshViews(ctx, t.environment);
    if (e instanceof DeployError && e.kind === 'refused') {
      void ctx.prompts.warn(e.message);
      return undefined;
    }
    throw e;
  }
  refreshViews(ctx, t.environment, entry.source);
  if (!done.ok) {
    void ctx.prompts.warn(done.conflict ? `${done.reason} Nothing was saved; try again.` : done.reason);
    return done;
  }
  const e = done.entry;
  if (done.advice) ctx.log.info(done.advice);
  const last = done.outcome ?? done.validation;
  for (const p of last?.problems ?? []) ctx.log.warn(`${entryLabel(e)}: ${p.path ?? `${p.component.type} ${p.component.fullName}`}:${p.range.start.line + 1}: ${p.message}`);
  const moved = done.crs.updated.length ? ` In ${e.source}: ${done.crs.updated.join(', ')}.` : '';
  const viewLog = deployFinished(ctx, t.environment, e.deploymentId);
  if (e.status === 'Deployed') void ctx.prompts.info(`${entryLabel(e)} is deployed to ${t.environment}. ${e.sender.name} sees it in the queue.${moved}`, VIEW_LOG).then(viewLog);
  else if (e.status === 'Cancelled') void ctx.prompts.info(`The deploy of ${entryLabel(e)} was canceled in the org.`, VIEW_LOG).then(viewLog);
  else
    void ctx.prompts.warn(`${entryLabel(e)} was not deployed: ${e.failure ?? e.status}`, 'Show Log', VIEW_LOG).then((pick) => {
      if (pick === 'Show Log') ctx.log.show();
      viewLog(pick);
    });
  return done;
}

export async function rejectQueueEntry(ctx: Ctx, arg?: unknown): Promise<QueueOutcome | undefined> {
  const t = entryTarget(arg);
  checkEnvironment(ctx, t.environment);
  const view = await readQueue(ctx, t.environment);
  if (!view.canManage) {
    void ctx.prompts.warn(view.refusal ?? `You cannot reject queued changes in ${t.environment}.`);
    return undefined;
  }
  const entry = view.entries.find((e) => e.id === t.id);
  if (!entry) throw new Error(`The entry is no longer in ${t.environment}'s deployment queue; refresh it.`);
  let reason = isObject(arg) && typeof arg.reason === 'string' ? arg.reason : undefined;
  if (reason === undefined) {
    reason = await ctx.prompts.input({
      title: `Reject ${entryLabel(entry)}`,
      prompt: `Why? ${entry.sender.name} reads it.`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A reason is required.'),
    });
    if (reason === undefined) return undefined;
  }
  const out = await rejectEntry(ctx, t.environment, entry, reason);
  refreshViews(ctx, t.environment);
  if (!out.ok) void ctx.prompts.warn(out.conflict ? `${out.reason} Nothing was saved; try again.` : out.reason);
  else void ctx.prompts.info(`${entryLabel(out.entry)} rejected; ${out.entry.sender.name} sees why.`);
  return out;
}
