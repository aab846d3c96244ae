/**
 * Commands on one change request: open, submit, approve, reject, cancel, delete a draft, copy its
 * number. Each reads the CR fresh from the org and lets the core rules decide; a refusal is shown
 * with the rule's reason, a write that met someone else's change offers to open the CR.
 */
import * as vscode from 'vscode';
import { canTransition, changeStatus, type ChangeRequest, type CrStatus, type Outcome } from '../../core/change-requests';
import { openChangeRequestPanel } from '../../webviews/changeRequest/index';
import type { Ctx } from '../../ctx';
import { crTarget, type CrTarget } from './crArgs';

interface StatusArgs {
  comment?: string;
}

export async function openChangeRequest(ctx: Ctx, arg?: unknown): Promise<unknown> {
  const t = crTarget(arg);
  return openChangeRequestPanel(ctx, t.environment, t.id);
}

async function load(ctx: Ctx, t: CrTarget) {
  const session = await ctx.sessions.get(t.environment);
  const sf = await ctx.salesforce();
  const store = sf.trackingStore(session.handle);
  return { session, sf, store, cr: await store.get(t.id) };
}

const label = (cr: ChangeRequest): string => cr.number ?? `"${cr.name}"`;

/** Shows what came of a write: success, the rule's refusal, or the conflict (with "Open" to resolve it). */
function report(ctx: Ctx, t: CrTarget, outcome: Outcome, success: string): void {
  if (outcome.ok) {
    ctx.log.info(success);
    void ctx.prompts.info(success);
    ctx.sessions.notifyChanged({ environment: t.environment, id: t.id });
  } else if ('conflict' in outcome) {
    void ctx.prompts.warn(`${outcome.reason} Nothing was saved; open it to compare and choose.`, 'Open').then((pick) => {
      if (pick) void vscode.commands.executeCommand('changeline.openChangeRequest', t);
    });
    ctx.sessions.notifyChanged({ environment: t.environment, id: t.id });
  } else {
    void ctx.prompts.warn(outcome.reason);
  }
}

async function moveTo(ctx: Ctx, arg: unknown, to: CrStatus, verb: string): Promise<Outcome | undefined> {
  const t = crTarget(arg);
  const { session, store, cr } = await load(ctx, t);
  const actor = { userId: session.userId };
  const args: StatusArgs = typeof arg === 'object' && arg !== null && 'comment' in arg ? (arg as StatusArgs) : {};
  const needsComment = to === 'Approved' || to === 'Rejected';
  // Refuse before asking for a comment the rules would not accept anyway.
  const approval = ctx.model.approvalPolicy(t.environment);
  const pre = canTransition(cr, to, { actor, comment: needsComment ? 'comment' : undefined, approval });
  if (!pre.ok) {
    // The refusal may say who can approve: by name, read only now that it is needed.
    const names = needsComment ? await userNames(ctx, t.environment) : undefined;
    const said = names ? canTransition(cr, to, { actor, comment: 'comment', approval, userName: names }) : pre;
    void ctx.prompts.warn(said.ok ? pre.reason : said.reason);
    return said.ok ? pre : said;
  }
  let comment = args.comment;
  if (needsComment && comment === undefined) {
    comment = await ctx.prompts.input({
      title: `${verb} ${label(cr)} · ${cr.name}`,
      prompt: `Why do you ${verb.toLowerCase()} it? (kept in its history)`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A comment is required.'),
    });
    if (comment === undefined) return undefined;
  }
  if (to === 'Cancelled') {
    const ok = await ctx.prompts.confirm(`Cancel ${label(cr)} "${cr.name}" in ${t.environment}?`, 'Cancel Change Request', 'A cancelled change request can no longer change status.');
    if (!ok) return undefined;
  }
  const outcome = await changeStatus({ store, actor, approval }, cr, to, comment);
  report(ctx, t, outcome, `${label(cr)} is now ${to}.`);
  return outcome;
}

/** The org's users by name (undefined when they cannot be read: the refusal then names ids). */
async function userNames(ctx: Ctx, environment: string): Promise<((id: string) => string) | undefined> {
  try {
    const session = await ctx.sessions.get(environment);
    const users = await (await ctx.salesforce()).activeUsers(session.handle);
    return (id) => users.find((u) => u.id === id || u.id.slice(0, 15) === id.slice(0, 15))?.name ?? id;
  } catch (e) {
    ctx.log.debug(`Reading the users of ${environment} for a refusal failed: ${(e as Error)?.message}`);
    return undefined;
  }
}

export const submitChangeRequest = (ctx: Ctx, arg?: unknown) => moveTo(ctx, arg, 'Pending approval', 'Submit');
export const approveChangeRequest = (ctx: Ctx, arg?: unknown) => moveTo(ctx, arg, 'Approved', 'Approve');
export const rejectChangeRequest = (ctx: Ctx, arg?: unknown) => moveTo(ctx, arg, 'Rejected', 'Reject');
export const cancelChangeRequest = (ctx: Ctx, arg?: unknown) => moveTo(ctx, arg, 'Cancelled', 'Cancel');

/** Deletes a draft and its history (other statuses are refused: cancel them instead). */
export async function deleteChangeRequest(ctx: Ctx, arg?: unknown): Promise<boolean> {
  const t = crTarget(arg);
  const { session, sf, cr } = await load(ctx, t);
  if (cr.status !== 'Draft') {
    void ctx.prompts.warn(`${label(cr)} is ${cr.status}: only drafts can be deleted. Cancel it instead, so its history is kept.`);
    return false;
  }
  const ok = await ctx.prompts.confirm(`Delete the draft ${label(cr)} "${cr.name}" from ${t.environment}?`, 'Delete', 'The change request and its history are removed from the org. This cannot be undone.');
  if (!ok) return false;
  await sf.deleteChangeRequest(session.handle, t.id);
  ctx.log.info(`Deleted ${label(cr)} from ${t.environment}.`);
  ctx.sessions.notifyChanged({ environment: t.environment });
  return true;
}

export async function copyChangeRequestNumber(ctx: Ctx, arg?: unknown): Promise<string | undefined> {
  const t = crTarget(arg);
  const number = ctx.changeRequests.find(t.environment, t.id)?.number ?? (await load(ctx, t)).cr.number;
  if (!number) return undefined;
  await vscode.env.clipboard.writeText(number);
  vscode.window.setStatusBarMessage(`Copied ${number}`, 3000);
  return number;
}
