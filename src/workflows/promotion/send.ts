/**
 * Send: changes climb the pipeline one environment at a time. From an environment (its approved
 * change requests), one change request or one deployment record, the package is retrieved from
 * the sender and written, with a message, the CRs it carries and who sent it when, as an entry of
 * the target's deployment queue INTO THE TARGET ORG (the sender's own login there), the package a
 * file linked to the entry. Refused, with the reason, where the pipeline does not lead, or when
 * nothing changed since the last send still standing in the target's queue.
 *
 * In two steps so the editor can say "nothing changed" or "UAT has 3 deployments Dev lacks"
 * before asking for the message: `prepareSend` (retrieve, digests, freshness, advice), then
 * `send` (write the entry and its package).
 */
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import type { Pipeline } from '../../core/pipeline';
import {
  canSend,
  changedSinceLastSend,
  lastSendFrom,
  newQueueEntry,
  promotionTargets,
  sendLabel,
  syncAdvice,
  type QueueEntry,
} from '../../core/promotion';
import type { RunOptions, WorkflowDeps } from '../types';
import { findChangeRequest, listAllChangeRequests } from '../change-requests/find';

/** What a send carries. */
export type SendScope =
  /** The environment's approved change requests. */
  | { kind: 'environment' }
  /** One change request of the sending environment (number or record id). */
  | { kind: 'cr'; ref: string }
  /** One deployment record of the sending environment (DEP-00003 or record id). */
  | { kind: 'deployment'; ref: string };

export interface SendRequest {
  from: string;
  /** Where to: needed only when the pipeline lets `from` send to more than one environment. */
  to?: string;
  pipeline: Pipeline;
  scope: SendScope;
  pollMs?: number;
  /**
   * How many deployments `to` has that `from` lacks, for the sync advice: the editor and the CLI
   * pass the behind workflow (promotion/behind.ts, which needs their compare store). Without it the
   * count is unknown and no advice is given.
   */
  countBehind?: (from: string, to: string, signal?: AbortSignal) => Promise<number | undefined>;
}

/** Everything checked and retrieved, waiting for the message. */
export interface PreparedSend {
  from: string;
  to: string;
  /** "Send to UAT…". */
  label: string;
  components: ComponentRef[];
  crs: QueueEntry['crs'];
  zip: Uint8Array;
  /**
   * When the package was taken from the sender (ISO, just before the retrieve): the entry's
   * `sentAt`, so "nothing modified in the sender since the send" (judged from the sender's
   * listing, core/promotion/send-freshness.ts) never misses a change made while the user wrote the message.
   */
  retrievedAt: string;
  digests: Record<string, string>;
  /** Components that differ from the last send still standing in the target's queue (all, when there is none). */
  changed: string[];
  /** Deployments the target has that the sender lacks, when known (undefined until the behind count is available). */
  behind?: number;
  /** "UAT has 3 deployments that Dev does not have. Sync Dev with UAT first (recommended), or send anyway." */
  advice?: string;
}

export type PrepareOutcome = { ok: true; prepared: PreparedSend } | { ok: false; reason: string };
export type SendOutcome = { ok: true; entry: QueueEntry } | { ok: false; reason: string };

const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The target of a send from `from`: `to` when given and allowed; the only target otherwise. */
export function sendTarget(pipeline: Pipeline, from: string, to?: string): { ok: true; to: string; label: string } | { ok: false; reason: string } {
  const targets = promotionTargets(pipeline, from);
  const chosen = to ?? (targets.length === 1 ? targets[0].name : undefined);
  if (!chosen) {
    if (targets.length === 0) {
      const v = canSend(pipeline, from, from);
      return { ok: false, reason: v.ok ? `${from} has nowhere to send to.` : v.reason };
    }
    return { ok: false, reason: `${from} sends to ${targets.map((t) => t.name).join(' or ')}: say which.` };
  }
  const v = canSend(pipeline, from, chosen);
  if (!v.ok) return v;
  return { ok: true, to: chosen, label: sendLabel(targets.filter((t) => t.name === chosen)) };
}

async function scopeOf(deps: WorkflowDeps, from: string, scope: SendScope, signal?: AbortSignal): Promise<{ ok: true; components: ComponentRef[]; crs: QueueEntry['crs'] } | { ok: false; reason: string }> {
  const sf = await deps.salesforce();
  if (scope.kind === 'cr') {
    const cr = await findChangeRequest(deps, from, scope.ref, signal);
    if (cr.customizations.length === 0) return { ok: false, reason: `${cr.number ?? cr.name} has no customizations in ${from}: there is nothing to send.` };
    return { ok: true, components: cr.customizations, crs: [{ ...(cr.number ? { number: cr.number } : {}), ...(cr.id ? { id: cr.id } : {}) }] };
  }
  if (scope.kind === 'deployment') {
    const { handle } = await deps.sessions.get(from);
    const wanted = scope.ref.trim();
    let record = RECORD_ID.test(wanted) && !/^DEP-/i.test(wanted) ? await sf.getDeployment(handle, wanted) : undefined;
    for (let next: string | undefined, first = true; !record && (first || next); first = false) {
      const page = await sf.listDeployments(handle, { next, pageSize: 2000, signal });
      record = page.items.find((d) => d.number?.toLowerCase() === wanted.toLowerCase());
      next = page.next;
    }
    if (!record) return { ok: false, reason: `There is no deployment record ${wanted} in ${from}.` };
    return { ok: true, components: record.components, crs: record.crId || record.crNumber ? [{ ...(record.crNumber ? { number: record.crNumber } : {}), ...(record.crId ? { id: record.crId } : {}) }] : [] };
  }
  const approved = (await listAllChangeRequests(deps, from, signal)).filter((cr) => cr.status === 'Approved' && cr.customizations.length > 0);
  if (approved.length === 0) {
    return { ok: false, reason: `${from} has no approved change request with customizations: there is nothing to send. Approve one first, or send a single change request.` };
  }
  const seen = new Map<string, ComponentRef>();
  for (const cr of approved) for (const c of cr.customizations) seen.set(componentKey(c), c);
  return { ok: true, components: [...seen.values()], crs: approved.map((cr) => ({ ...(cr.number ? { number: cr.number } : {}), ...(cr.id ? { id: cr.id } : {}) })) };
}

/**
 * Checks the send and retrieves its package from the sender: refused (with the reason) where the
 * pipeline does not lead, when there is nothing to send, or when nothing changed since the last
 * send standing in the target's queue. Writes nothing.
 */
export async function prepareSend(deps: WorkflowDeps, req: SendRequest, opts: RunOptions = {}): Promise<PrepareOutcome> {
  const target = sendTarget(req.pipeline, req.from, req.to);
  if (!target.ok) return target;
  const sf = await deps.salesforce();
  opts.onProgress?.({ message: `Reading what ${req.from} sends…`, percent: 0 });
  const scope = await scopeOf(deps, req.from, req.scope, opts.signal);
  if (!scope.ok) return scope;
  const [source, dest] = await Promise.all([deps.sessions.get(req.from), deps.sessions.get(target.to)]);
  opts.onProgress?.({ message: `Retrieving ${scope.components.length} component${scope.components.length === 1 ? '' : 's'} from ${req.from}…`, percent: 10 });
  const retrievedAt = new Date().toISOString();
  const { zip, problems } = await sf.retrievePackageZip(source.handle, scope.components, { signal: opts.signal, pollMs: req.pollMs });
  if (problems.length) {
    return { ok: false, reason: `${req.from} could not give every component to send: ${problems.join('; ')}. Remove them from what you send, or create them in ${req.from}, and send again.` };
  }
  opts.onProgress?.({ message: `Comparing with the last send to ${target.to}…`, percent: 60 });
  const digests: Record<string, string> = {};
  for (const c of await sf.digestZip(Buffer.from(zip))) digests[componentKey(c)] = c.digest.fingerprint;
  // Components the org did not return (deleted meanwhile) count as changed: absent from `digests`.
  const current = new Map<string, string | undefined>(scope.components.map((c) => [componentKey(c), digests[componentKey(c)] ?? '']));
  const entries = await sf.listQueueEntries(dest.handle, { signal: opts.signal });
  const fresh = changedSinceLastSend(req.from, target.to, current, lastSendFrom(entries, req.from));
  if (!fresh.ok) return fresh;
  opts.onProgress?.({ message: `Counting the deployments ${target.to} has that ${req.from} lacks…`, percent: 65 });
  const behind = await (req.countBehind ? req.countBehind(req.from, target.to, opts.signal) : Promise.resolve(undefined)).catch((e: unknown) => {
    // The advice is a recommendation: a count that cannot be made does not stop the send.
    deps.log.warn(`Counting the deployments ${target.to} has that ${req.from} lacks failed: ${(e as Error)?.message ?? String(e)}`);
    return undefined;
  });
  const advice = behind === undefined ? undefined : syncAdvice(req.from, target.to, behind);
  opts.onProgress?.({ message: `Ready to send to ${target.to}.`, percent: 70 });
  return {
    ok: true,
    prepared: { from: req.from, to: target.to, label: target.label, components: scope.components, crs: scope.crs, zip, retrievedAt, digests, changed: fresh.changed, behind, ...(advice ? { advice } : {}) },
  };
}

/**
 * Writes the queue entry into the target org with the sender's login there, the package stored as
 * a file linked to it. Refuses an empty or too long message. Resolves with the entry as stored.
 */
export async function send(deps: WorkflowDeps, prepared: PreparedSend, message: string, opts: RunOptions = {}): Promise<SendOutcome> {
  const sf = await deps.salesforce();
  const dest = await deps.sessions.get(prepared.to);
  const made = newQueueEntry({
    target: prepared.to,
    source: prepared.from,
    message,
    sender: { name: dest.userFullName, userId: dest.userId, username: dest.username },
    // When the changes were taken from the sender (the package's moment), not when the entry was written.
    sentAt: prepared.retrievedAt ?? new Date().toISOString(),
    crs: prepared.crs,
    components: prepared.components,
    digests: prepared.digests,
  });
  if (!made.ok) return made;
  if (opts.signal?.aborted) return { ok: false, reason: 'The send was cancelled; nothing was written.' };
  opts.onProgress?.({ message: `Writing the entry into ${prepared.to}'s queue…`, percent: 80 });
  const entry = await sf.createQueueEntry(dest.handle, made.entry);
  opts.onProgress?.({ message: `Storing the package with ${entry.number ?? 'the entry'} in ${prepared.to}…`, percent: 90 });
  const stored = await sf.storePackage(dest.handle, entry.id!, prepared.zip, `${entry.number ?? 'queue-entry'}-package`);
  const saved = await sf.attachQueuePackage(dest.handle, entry, stored.contentDocumentId);
  deps.log.info(`Sent ${prepared.components.length} component(s) from ${prepared.from} to ${prepared.to}'s queue as ${saved.number} (${prepared.crs.map((c) => c.number ?? c.id).join(', ') || 'no CR'}).`);
  opts.onProgress?.({ message: `Sent to ${prepared.to} as ${saved.number}.`, percent: 100 });
  return { ok: true, entry: saved };
}

/** prepareSend then send, for callers that have the message up front (the CLI). */
export async function sendChanges(deps: WorkflowDeps, req: SendRequest & { message: string }, opts: RunOptions = {}): Promise<(SendOutcome & { advice?: string }) | PrepareOutcome & { ok: false }> {
  const p = await prepareSend(deps, req, opts);
  if (!p.ok) return p;
  const sent = await send(deps, p.prepared, req.message, opts);
  return sent.ok && p.prepared.advice ? { ...sent, advice: p.prepared.advice } : sent;
}
