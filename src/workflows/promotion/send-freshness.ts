/**
 * What "nothing changed since the last send" needs, read without retrieving anything: the last
 * send from `from` still standing in `to`'s queue (one query in the target org), and the sender's
 * listing (listMetadata) of the given metadata types. core/promotion/send-freshness.ts judges.
 */
import { componentKey } from '../../core/metadata-types';
import { lastSendFrom, type StandingSend } from '../../core/promotion';
import type { WorkflowDeps } from '../types';

export interface SendBasis {
  last?: StandingSend;
  /** Last-modified date by `componentKey`, for the listed types (empty when there is no standing send). */
  listed: Map<string, string | undefined>;
  /** The types listed. */
  types: Set<string>;
}

export async function readSendBasis(deps: WorkflowDeps, from: string, to: string, types: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<SendBasis> {
  const sf = await deps.salesforce();
  const target = await deps.sessions.get(to);
  const standing = lastSendFrom(await sf.listQueueEntries(target.handle, opts), from);
  const wanted = new Set(types);
  if (!standing) return { listed: new Map(), types: wanted };
  const e = standing.entry;
  const keys = new Set(Object.keys(e.digests ?? {}).length ? Object.keys(e.digests!) : e.components.map(componentKey));
  const last: StandingSend = { ...(e.number ? { number: e.number } : {}), sentAt: e.sentAt, keys };
  const source = await deps.sessions.get(from);
  const listed = new Map<string, string | undefined>();
  if (wanted.size > 0) for (const c of await sf.listComponents(source.handle, [...wanted], { signal: opts.signal })) listed.set(componentKey(c), c.lastModifiedDate);
  return { last, listed, types: wanted };
}
