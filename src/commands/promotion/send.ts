/**
 * Send to <next environment>… on an environment, an approved change request or a deployment
 * record: checks and retrieves first (under a progress with Cancel), says why when there is
 * nothing to send, advises syncing when the target has deployments the sender lacks (Sync First…
 * runs Back Deploy for the pair and then sends if the user wants; or Compare First), asks for the message, then writes the entry into the
 * target's queue. Thin: the work is src/workflows/promotion/send.ts.
 */
import type { Pipeline } from '../../core/pipeline';
import { sendAction } from '../../core/promotion';
import type { Ctx } from '../../ctx';
import { COMMANDS } from '../../shared/ids';
import { ChangeRequestNode } from '../../views/crNodes';
import { DeploymentNode } from '../../views/deploymentNodes';
import { EnvironmentNode } from '../../views/nodes';
import { prepareSend, send, sendTarget, type SendOutcome, type SendScope } from '../../workflows/promotion/send';
import { backDeploy, type BackDeployOutcome } from '../back-deploy/backDeploy';
import { checkEnvironment } from '../change-requests/crArgs';
import { withCancellableProgress } from '../progress';
import * as vscode from 'vscode';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function pipelineOf(ctx: Ctx): Pipeline {
  const s = ctx.model.status;
  if (s.kind !== 'ok') throw new Error('The pipeline file has errors or is missing (see the Problems panel); fix it first.');
  return s.pipeline;
}

/** What to send, from the node (or `{ environment, cr?, deployment?, to?, message? }` from tests and panels). */
function sendArgs(arg: unknown): { env: string; scope: SendScope; to?: string; message?: string } {
  if (arg instanceof EnvironmentNode) return { env: arg.name, scope: { kind: 'environment' } };
  if (arg instanceof ChangeRequestNode) return { env: arg.environment, scope: { kind: 'cr', ref: arg.id } };
  if (arg instanceof DeploymentNode) return { env: arg.environment, scope: { kind: 'deployment', ref: arg.id } };
  if (isObject(arg) && typeof arg.environment === 'string' && arg.environment) {
    const scope: SendScope = typeof arg.cr === 'string' ? { kind: 'cr', ref: arg.cr } : typeof arg.deployment === 'string' ? { kind: 'deployment', ref: arg.deployment } : { kind: 'environment' };
    return { env: arg.environment, scope, ...(typeof arg.to === 'string' ? { to: arg.to } : {}), ...(typeof arg.message === 'string' ? { message: arg.message } : {}) };
  }
  throw new Error('Choose an environment, an approved change request or a deployment record in the Environments view to send its changes.');
}

/** The tree's count when known, else computed now (the same workflow); undefined when it cannot be made. */
async function behindCount(ctx: Ctx, lower: string, upper: string): Promise<number | undefined> {
  const known = ctx.behind.state(lower, upper);
  const s = known?.kind === 'ready' ? known : await ctx.behind.compute(lower, upper);
  return s.kind === 'ready' ? s.report.count : undefined;
}

export const SEND_ANYWAY = 'Send Anyway';
export const COMPARE_FIRST = 'Compare First';
export const SYNC_FIRST = 'Sync First…';
export const SEND_NOW = 'Send Now';

/** Whether the sender is level with the target after the Back Deploy run from the advice (a validation only is not). */
function syncedLevel(outcome: BackDeployOutcome): boolean {
  if (!outcome) return false;
  if (outcome.kind === 'level' || outcome.kind === 'ignored') return true;
  if (outcome.kind !== 'ran') return false;
  const r = outcome.result.outcome.result;
  const status = outcome.result.record.status;
  return r.success && !r.canceled && (status === 'Deployed' || status === 'Completed');
}

/** Sync First…: Back Deploy (lower = the sender, upper = the target), then the send again when the user wants it (the behind count read anew). */
async function syncThenSend(ctx: Ctx, a: ReturnType<typeof sendArgs>, from: string, to: string): Promise<SendOutcome | undefined> {
  const synced = await backDeploy(ctx, { lower: from, upper: to });
  if (!syncedLevel(synced)) {
    void ctx.prompts.info(`Nothing was sent to ${to}: ${from} was not brought level with it. Send again when it is, or choose Send Anyway.`);
    return undefined;
  }
  if (!(await ctx.prompts.confirm(`${from} was synced with ${to}. Send ${from}'s changes to ${to} now?`, SEND_NOW))) return undefined;
  const scope = a.scope.kind === 'cr' ? { cr: a.scope.ref } : a.scope.kind === 'deployment' ? { deployment: a.scope.ref } : {};
  return sendToNext(ctx, { environment: a.env, ...scope, to, ...(a.message !== undefined ? { message: a.message } : {}) });
}

export async function sendToNext(ctx: Ctx, arg?: unknown): Promise<SendOutcome | undefined> {
  const a = sendArgs(arg);
  checkEnvironment(ctx, a.env);
  const pipeline = pipelineOf(ctx);
  let to = a.to;
  if (to === undefined) {
    const action = sendAction(pipeline, a.env);
    if (!action.verdict.ok) {
      void ctx.prompts.warn(action.verdict.reason);
      return undefined;
    }
    if (action.targets.length > 1) {
      const pick = await ctx.prompts.pick(
        action.targets.map((t) => ({ label: t.name })),
        { title: action.label, placeHolder: `${a.env} sends to ${action.targets.map((t) => t.name).join(' or ')}: where to?`, ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      to = pick.label;
    }
  }
  const target = sendTarget(pipeline, a.env, to);
  if (!target.ok) {
    void ctx.prompts.warn(target.reason);
    return undefined;
  }
  const prepared = await withCancellableProgress(`${target.label.replace(/…$/, '')}: checking what changed`, (opts) => prepareSend(ctx, { from: a.env, to: target.to, pipeline, scope: a.scope, countBehind: (lower, upper) => behindCount(ctx, lower, upper) }, opts), {
    cancelledAs: 'Send',
  });
  if (!prepared.ok) {
    // Nothing to send, or not allowed: the reason, nothing written.
    void ctx.prompts.warn(prepared.reason);
    return prepared;
  }
  const p = prepared.prepared;
  if (p.advice) {
    const choice = await ctx.prompts.warn(p.advice, SYNC_FIRST, SEND_ANYWAY, COMPARE_FIRST);
    if (choice === SYNC_FIRST) return syncThenSend(ctx, a, p.from, p.to);
    if (choice === COMPARE_FIRST) {
      void vscode.commands.executeCommand(COMMANDS.compareEnvironments.id, { source: p.to, target: p.from });
      return undefined;
    }
    if (choice !== SEND_ANYWAY) return undefined;
  }
  const message =
    a.message ??
    (await ctx.prompts.input({
      title: target.label,
      prompt: `What do these changes do? ${p.to}'s release managers read it (${p.components.length} component${p.components.length === 1 ? '' : 's'}, ${p.changed.length} changed since the last send).`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A message is required.'),
    }));
  if (message === undefined) return undefined;
  const sent = await withCancellableProgress(`Sending to ${p.to}`, (opts) => send(ctx, p, message, opts), { cancelledAs: 'Send' });
  if (!sent.ok) {
    void ctx.prompts.warn(sent.reason);
    return sent;
  }
  void ctx.queues.refresh(p.to);
  ctx.queuePanels.refresh(p.to);
  const text = `Sent to ${p.to} as ${sent.entry.number}: ${sent.entry.components.length} component${sent.entry.components.length === 1 ? '' : 's'}. ${p.to}'s release managers deploy or reject it from its queue.`;
  ctx.log.info(text);
  void ctx.prompts.info(text);
  return sent;
}
