/**
 * Withdraw: the sender takes back an entry still waiting in the target's deployment queue (Queued,
 * or Failed), before a release manager deploys it. The entry reads as Cancelled, withdrawn (who,
 * when), and can no longer be deployed; the same changes may be sent again. Only its sender (or a
 * release manager of the target) may withdraw it; the write is checked against the version read,
 * so a deploy or rejection that happened meanwhile wins and the withdrawal is refused.
 */
import { applyAction, entryLabel } from '../../core/promotion';
import type { WorkflowDeps } from '../types';
import { context, ctxOf, type EntryRef, type QueueOutcome } from './queue';

const isConflict = (e: unknown) => (e as { kind?: unknown })?.kind === 'conflict';

/** Withdraws an entry of `env`'s queue (by id or number, or as the user read it). */
export async function withdrawEntry(deps: WorkflowDeps, env: string, ref: EntryRef, opts: { signal?: AbortSignal } = {}): Promise<QueueOutcome> {
  const c = await context(deps, env, ref, opts.signal);
  if ('ok' in c) return c;
  const { view, entry } = c;
  const r = applyAction(entry, 'withdraw', ctxOf(view, { expectedVersion: c.expectedVersion }));
  if (!r.ok) return r;
  const sf = await deps.salesforce();
  const { handle } = await deps.sessions.get(env);
  try {
    const saved = await sf.withdrawQueueEntry(handle, { ...r.entry, id: entry.id, lastModified: entry.lastModified }, entry.version);
    deps.log.info(`${entryLabel(saved)} withdrawn from ${env}'s queue by ${view.you.name}.`);
    return { ok: true, entry: saved };
  } catch (e) {
    if (isConflict(e)) return { ok: false, conflict: true, reason: `${entryLabel(entry)} was changed meanwhile (deployed, rejected or withdrawn by someone else); refresh ${env}'s queue and look again.` };
    throw e;
  }
}
