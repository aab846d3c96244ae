/**
 * "Nothing changed since the last send", known ahead of time without retrieving anything: from the
 * sender's listing (each component's last-modified date, a cheap listMetadata) and the last send
 * still standing in the target's queue (its time and the components it carried). The Send action
 * is disabled only when that is certain: every component the send would carry was in that send
 * and none was modified since — with a margin before the send's time (the moment its package was
 * taken, on the sender's machine), as that clock and the org's may differ. Anything else (a component not listed, a date missing, a change within the
 * margin) leaves Send enabled; its run-time check, which compares the retrieved package's digests,
 * stays the safety net.
 */
import { componentKey, type ComponentRef } from '../metadata-types';
import { formatWhen, plural } from './history';

/**
 * How long before a send's time (taken just before its retrieve, on the sender's machine) a change
 * in the org still counts as possibly after it: the two clocks may differ that much.
 */
export const SEND_RETRIEVE_MARGIN_MS = 2 * 60_000;

export interface StandingSend {
  /** Q-00012, when known. */
  number?: string;
  sentAt: string;
  /** The components it carried, by `componentKey` (the keys of its digests, or its component list). */
  keys: ReadonlySet<string>;
}

export type SendFreshness = { unchanged: true; reason: string } | { unchanged: false };

export interface FreshnessInput {
  from: string;
  to: string;
  /** What the send would carry now. */
  components: readonly ComponentRef[];
  /** The sender's listing: last-modified date by `componentKey`; absent: not in the org (or not listed). */
  listed: ReadonlyMap<string, string | undefined>;
  last?: StandingSend;
  marginMs?: number;
}

const CHANGED: SendFreshness = { unchanged: false };

/** Whether the send is certainly the same as the last one standing; the reason says so, naming it. */
export function freshnessBeforeSend(input: FreshnessInput): SendFreshness {
  const { last, components } = input;
  if (!last || components.length === 0) return CHANGED;
  const sent = Date.parse(last.sentAt);
  if (Number.isNaN(sent)) return CHANGED;
  const before = sent - (input.marginMs ?? SEND_RETRIEVE_MARGIN_MS);
  for (const c of components) {
    const key = componentKey(c);
    if (!last.keys.has(key)) return CHANGED;
    const modified = Date.parse(input.listed.get(key) ?? '');
    if (Number.isNaN(modified) || modified >= before) return CHANGED;
  }
  const which = last.number ? `${last.number} was sent` : 'the last send';
  const what = components.length === 1 ? 'its component is unchanged since' : `its ${plural(components.length, 'component')} are unchanged since`;
  return {
    unchanged: true,
    reason: `Nothing to send: nothing changed in ${input.from} since ${which} to ${input.to} (${formatWhen(last.sentAt)}); ${what}. Change something in ${input.from}, or withdraw or reject that send, to send again.`,
  };
}
