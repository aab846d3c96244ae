/**
 * "Deployments behind" counted again without comparing, when nothing it depends on changed:
 * the upper environment's history (the same deployments, in the same state, with the same
 * components known) and both orgs' fingerprints (the compare's kept listing of each org at the
 * same revision of its change log, and the change log saying nothing changed since). Then the
 * fingerprints of the last count still hold and only the (cheap) count runs again. A new deploy
 * to the upper org (any tool) adds a DeployRequest row, so the history differs; a change in
 * either org raises its change log's revision: both make the next count compare again. An org
 * without a change log (production, most sandboxes) has no kept listing: always compared.
 */
import type { CachedListing } from '../compare/cache';
import { MAX_LISTING_AGE_MS } from '../compare/listing';
import type { DigestMap, OrgDeployment } from './history';

/** Where an org's fingerprints stood: the compare's kept listing, at a revision of the org's change log. */
export interface ChangeMark {
  revision: string;
  /** When the org was last listed in full (a kept listing is reused for a day at most). */
  listedAt: string;
}

/** What one count compared, kept for the next one. */
export interface BehindMemo {
  signature: string;
  lower: ChangeMark;
  upper: ChangeMark;
  /** How many components were compared. */
  components: number;
  digests: { upper: DigestMap; lower: DigestMap };
}

/** The change mark of a kept listing (none without a change log). */
export function changeMark(listing: Pick<CachedListing, 'revision' | 'listedAt'> | undefined): ChangeMark | undefined {
  return listing ? { revision: listing.revision, listedAt: listing.listedAt } : undefined;
}

/**
 * What the compared components depend on in the history: each deployment's id, status, kind and
 * date, and its components as known (how many, how many with a delivered fingerprint). The
 * components of a finished deployment never change, so a same signature means the same
 * components to compare.
 */
export function historySignature(history: readonly OrgDeployment[], since: string | undefined): string {
  const parts: string[] = [since ?? ''];
  for (const d of history) {
    let known = 'u';
    if (d.components) {
      // Only Changeline's deployments carry what they delivered (read from their packages).
      let delivered = 0;
      if (d.source === 'changeline') for (const c of d.components) if (c.digest !== undefined) delivered++;
      known = `${d.components.length}/${delivered}`;
    }
    parts.push(`${d.id}|${d.status}|${d.checkOnly ? 1 : 0}|${d.completedDate ?? d.startDate ?? ''}|${known}`);
  }
  return parts.join('\n');
}

/**
 * True when the memo may stand, before asking the orgs' change logs: the same history, and both
 * orgs' kept listings where they were at the last count and still fresh (else the compare lists
 * the org again, and the count must follow it).
 */
export function memoCandidate(memo: BehindMemo | undefined, signature: string, lower: ChangeMark | undefined, upper: ChangeMark | undefined, now: number): memo is BehindMemo {
  if (!memo || memo.signature !== signature || !lower || !upper) return false;
  const same = (a: ChangeMark, b: ChangeMark) => a.revision === b.revision && a.listedAt === b.listedAt;
  if (!same(memo.lower, lower) || !same(memo.upper, upper)) return false;
  const fresh = (m: ChangeMark) => {
    const age = now - Date.parse(m.listedAt);
    return Number.isFinite(age) && age >= 0 && age < MAX_LISTING_AGE_MS;
  };
  return fresh(lower) && fresh(upper);
}

/** The memos of the pairs counted, by key; the least recently used goes first past the bound. */
export class BehindMemos {
  private readonly map = new Map<string, BehindMemo>();
  constructor(private readonly max = 16) {}
  get(key: string): BehindMemo | undefined {
    const m = this.map.get(key);
    if (m) {
      this.map.delete(key);
      this.map.set(key, m);
    }
    return m;
  }
  set(key: string, memo: BehindMemo): void {
    this.map.delete(key);
    this.map.set(key, memo);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}
