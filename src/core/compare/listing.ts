/**
 * Listing one side of a compare, reusing the last listing when the org's change log allows.
 *
 * Listing a whole org costs one listMetadata call per three types (hundreds of calls), even when
 * nothing changed. Orgs with source tracking (scratch orgs, developer sandboxes) keep a change
 * log: one query tells what changed since a revision. Rules:
 * - no change log, no cache, or `forceFull`: list every compared type; when the org has a change
 *   log, keep that listing at the revision read BEFORE listing (a change made while listing is
 *   seen again next time);
 * - a kept listing that covers the compared types: ask for the changes since its revision and
 *   list again only the types they name (types the kept listing did not cover yet as well);
 *   everything else is reused. The kept listing then moves to the new revision.
 * A change the org's change log does not record (a metadata type source tracking does not cover)
 * is only seen by a full listing: Full refresh, or the first compare once the kept listing is a
 * day old (MAX_LISTING_AGE_MS), which bounds how long such a change can go unseen.
 */
import type { CachedListing, CompareCache } from './cache';
import type { CompareSide, ListedComponent, ListingInfo, OrgChanges } from './types';

/** A kept listing older than this is not reused: the org is listed in full again. */
export const MAX_LISTING_AGE_MS = 24 * 60 * 60 * 1000;

export interface SideListing {
  components: readonly ListedComponent[];
  info: ListingInfo;
}

export interface ListSideOptions {
  /** Types to list; undefined = every type the side supports. */
  types: readonly string[] | undefined;
  signal: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  cache?: CompareCache;
  forceFull?: boolean;
  now: () => Date;
}

export async function listSide(side: CompareSide, opts: ListSideOptions): Promise<SideListing> {
  const { cache, signal } = opts;
  if (!cache || !side.changesSince) return { components: await side.listComponents(opts.types, signal, opts.onProgress), info: { mode: 'full' } };

  const kept = opts.forceFull ? undefined : cache.getListing(side.id);
  if (kept && isFresh(kept, opts.now()) && covers(kept, opts.types)) {
    const read = await readChanges(side, kept.revision, signal);
    if (read.changes) return relistChanged(side, kept, read.changes, opts);
    if (read.problem) return listInFull(side, opts, read.problem);
  }
  return listInFull(side, opts);
}

/**
 * The change log, or why it could not be read. A failure to read it (a user without access to
 * the Tooling API, say) is not the compare's failure: the org is listed in full instead.
 */
async function readChanges(side: CompareSide, since: string | undefined, signal: AbortSignal): Promise<{ changes?: OrgChanges; problem?: string }> {
  try {
    return { changes: await side.changesSince!(since, signal) };
  } catch (e) {
    if (signal.aborted) throw e;
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

function isFresh(kept: CachedListing, now: Date): boolean {
  const age = now.getTime() - Date.parse(kept.listedAt);
  return Number.isFinite(age) && age >= 0 && age < MAX_LISTING_AGE_MS;
}

function covers(kept: CachedListing, types: readonly string[] | undefined): boolean {
  // A listing of chosen types cannot stand for "every type"; the missing chosen types are listed.
  return types === undefined ? kept.all : true;
}

async function relistChanged(side: CompareSide, kept: CachedListing, changes: OrgChanges, opts: ListSideOptions): Promise<SideListing> {
  const wanted = opts.types ? new Set(opts.types) : undefined;
  const relist = new Set<string>();
  // Changed types the kept listing holds (kept current for later compares) or that are compared now.
  for (const t of changes.types) if (kept.all || t in kept.types || wanted?.has(t)) relist.add(t);
  if (wanted && !kept.all) for (const t of wanted) if (!(t in kept.types)) relist.add(t);

  const types: Record<string, ListedComponent[]> = { ...kept.types };
  if (relist.size > 0) {
    const fresh = await side.listComponents([...relist], opts.signal, opts.onProgress);
    for (const t of relist) types[t] = [];
    // A listing can return related types too (a foldered type's folders): those are replaced whole.
    const returned = new Set(fresh.map((c) => c.type));
    for (const t of returned) if (!relist.has(t)) types[t] = [];
    for (const c of fresh) types[c.type].push(c);
  }
  const listing: CachedListing = { revision: changes.revision, listedAt: kept.listedAt, all: kept.all, types };
  opts.cache!.setListing(side.id, listing);
  return {
    components: componentsOf(listing, wanted),
    info: { mode: 'tracked', changes: changes.count, relistedTypes: relist.size, listedAt: kept.listedAt },
  };
}

async function listInFull(side: CompareSide, opts: ListSideOptions, earlierProblem?: string): Promise<SideListing> {
  const { changes: start, problem = earlierProblem } = earlierProblem ? {} : await readChanges(side, undefined, opts.signal);
  const listedAt = opts.now().toISOString();
  const components = await side.listComponents(opts.types, opts.signal, opts.onProgress);
  if (!start) {
    // No change log (any more), or it could not be read: nothing to keep.
    opts.cache!.setListing(side.id, undefined);
    return { components, info: problem ? { mode: 'full', problem } : { mode: 'full' } };
  }
  const types: Record<string, ListedComponent[]> = {};
  for (const t of opts.types ?? []) types[t] = [];
  for (const c of components) (types[c.type] ??= []).push(c);
  opts.cache!.setListing(side.id, { revision: start.revision, listedAt, all: opts.types === undefined, types });
  return { components, info: { mode: 'full' } };
}

function componentsOf(listing: CachedListing, wanted: Set<string> | undefined): ListedComponent[] {
  const out: ListedComponent[] = [];
  for (const [type, list] of Object.entries(listing.types)) if (!wanted || wanted.has(type)) out.push(...list);
  return out;
}
