/**
 * Withdraw Queued Changes…: the sender takes back an entry still waiting in a queue (tree row or
 * queue panel), after a confirmation; its release managers can then no longer deploy it. Thin:
 * the work is src/workflows/promotion/withdraw.ts.
 */
import { entryLabel } from '../../core/promotion';
import type { Ctx } from '../../ctx';
import { QueueEntryNode } from '../../views/queueNodes';
import { readQueue, type QueueOutcome } from '../../workflows/promotion/queue';
import { withdrawEntry } from '../../workflows/promotion/withdraw';
import { checkEnvironment } from '../change-requests/crArgs';

export const WITHDRAW = 'Withdraw';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export async function withdrawQueueEntry(ctx: Ctx, arg?: unknown): Promise<QueueOutcome | undefined> {
  const t =
    arg instanceof QueueEntryNode
      ? { environment: arg.environment, id: arg.id }
      : isObject(arg) && typeof arg.environment === 'string' && typeof arg.id === 'string' && arg.environment && arg.id
        ? { environment: arg.environment, id: arg.id }
        : undefined;
  if (!t) throw new Error("Choose an entry you sent in an environment's deployment queue (under Queue in the Environments view).");
  checkEnvironment(ctx, t.environment);
  const view = await readQueue(ctx, t.environment);
  const entry = view.entries.find((e) => e.id === t.id);
  if (!entry) throw new Error(`The entry is no longer in ${t.environment}'s deployment queue; refresh it.`);
  const sure = await ctx.prompts.confirm(
    `Withdraw ${entryLabel(entry)} from ${t.environment}'s queue? Its release managers will no longer be able to deploy it; you can send the changes again later.`,
    WITHDRAW,
  );
  if (!sure) return undefined;
  const out = await withdrawEntry(ctx, t.environment, entry);
  void ctx.queues.refresh(t.environment);
  ctx.queuePanels.refresh(t.environment);
  if (!out.ok) void ctx.prompts.warn(out.reason);
  else void ctx.prompts.info(`${entryLabel(out.entry)} was withdrawn from ${t.environment}'s queue.`);
  return out;
}
