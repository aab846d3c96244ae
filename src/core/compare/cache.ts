/**
 * The incremental compare cache: per org and component, the digest of its canonical files and
 * the `lastModifiedDate` it was computed at. Rules:
 * - a component is re-retrieved when it has no entry or its listed `lastModifiedDate` differs
 *   from the entry's (or is unknown);
 * - entries of components that are no longer listed are dropped (only within what was listed);
 * - `forceFull` (a refresh) ignores the cache, and the fresh digests replace the entries.
 * For orgs that keep a change log (source tracking) the cache also keeps the org's listing at a
 * revision of that log (listing.ts decides when it can be reused).
 * Digests are of CANONICAL content, so a cached side compares with a freshly retrieved one.
 * The cache serializes to plain JSON for the extension's storage; a cache written by another
 * canonicalization (the order-insensitivity table changed) loads empty.
 */
import { createHash } from 'node:crypto';
import type { ComponentDigest } from './component-diff';
import { componentKey, componentOfKey } from '../metadata-types';
import { UNORDERED_ELEMENTS } from './unordered';
import type { ComponentRef, ListedComponent } from './types';

/**
 * An org's listing kept for the next compare, valid at a revision of the org's change log
 * (source tracking). Only orgs with a change log have one.
 */
export interface CachedListing {
  revision: string;
  /** When the org was last listed in full (ISO). */
  listedAt: string;
  /** True when every type the org supports was listed; otherwise only the keys of `types`. */
  all: boolean;
  /** Type → its components; a listed type without components has an empty array. */
  types: Record<string, ListedComponent[]>;
}

export interface CacheEntry {
  lastModifiedDate: string;
  digest: ComponentDigest;
}

export interface CompareCache {
  get(orgId: string, ref: ComponentRef): CacheEntry | undefined;
  /** The same by the component's key (`componentKey`), which the engine already holds. */
  getByKey(orgId: string, key: string): CacheEntry | undefined;
  /** Keys (`componentKey`) of the components that have an entry for this org. */
  keys(orgId: string): string[];
  deleteByKey(orgId: string, key: string): void;
  set(orgId: string, ref: ComponentRef, entry: CacheEntry): void;
  delete(orgId: string, ref: ComponentRef): void;
  /** Components that have an entry for this org. */
  refs(orgId: string): ComponentRef[];
  /** The org's kept listing, if any. */
  getListing(orgId: string): CachedListing | undefined;
  /** Keeps (or, with undefined, forgets) the org's listing. */
  setListing(orgId: string, listing: CachedListing | undefined): void;
}

/**
 * Changes whenever hashing, the files a component is compared by (3: archive static resources by
 * their entries; 4: component keys `type:fullName`) or the order-insensitivity table change, invalidating old caches.
 */
export const CANONICAL_VERSION = `4:${createHash('sha256').update(JSON.stringify(UNORDERED_ELEMENTS)).digest('hex').slice(0, 12)}`;

export interface SerializedCompareCache {
  version: string;
  /** orgId → componentKey ("type:fullName") → entry. */
  orgs: Record<string, Record<string, CacheEntry>>;
  /** orgId → its kept listing (orgs with a change log only). */
  listings?: Record<string, CachedListing>;
}

const keyOf = componentKey;
const refOfKey = componentOfKey;

export class MemoryCompareCache implements CompareCache {
  private readonly orgs = new Map<string, Map<string, CacheEntry>>();
  private readonly listings = new Map<string, CachedListing>();

  getListing(orgId: string): CachedListing | undefined {
    return this.listings.get(orgId);
  }

  setListing(orgId: string, listing: CachedListing | undefined): void {
    if (listing) this.listings.set(orgId, listing);
    else this.listings.delete(orgId);
  }

  get(orgId: string, ref: ComponentRef): CacheEntry | undefined {
    return this.orgs.get(orgId)?.get(keyOf(ref));
  }

  getByKey(orgId: string, key: string): CacheEntry | undefined {
    return this.orgs.get(orgId)?.get(key);
  }

  keys(orgId: string): string[] {
    return [...(this.orgs.get(orgId)?.keys() ?? [])];
  }

  deleteByKey(orgId: string, key: string): void {
    this.orgs.get(orgId)?.delete(key);
  }

  set(orgId: string, ref: ComponentRef, entry: CacheEntry): void {
    let org = this.orgs.get(orgId);
    if (!org) this.orgs.set(orgId, (org = new Map()));
    org.set(keyOf(ref), entry);
  }

  delete(orgId: string, ref: ComponentRef): void {
    this.orgs.get(orgId)?.delete(keyOf(ref));
  }

  refs(orgId: string): ComponentRef[] {
    return this.keys(orgId).map(refOfKey);
  }

  /** Number of entries, all orgs together. */
  get size(): number {
    let n = 0;
    for (const org of this.orgs.values()) n += org.size;
    return n;
  }

  toJSON(): SerializedCompareCache {
    const orgs: Record<string, Record<string, CacheEntry>> = {};
    for (const [orgId, entries] of this.orgs) orgs[orgId] = Object.fromEntries(entries);
    return { version: CANONICAL_VERSION, orgs, listings: Object.fromEntries(this.listings) };
  }

  /**
   * Reads what `toJSON` wrote. It is only a cache: anything unreadable (another version, a
   * damaged entry) is left out rather than failing the compare.
   */
  static fromJSON(value: unknown): MemoryCompareCache {
    const cache = new MemoryCompareCache();
    if (!isRecord(value) || value.version !== CANONICAL_VERSION || !isRecord(value.orgs)) return cache;
    for (const [orgId, entries] of Object.entries(value.orgs)) {
      if (!isRecord(entries)) continue;
      for (const [key, entry] of Object.entries(entries)) {
        if (key.indexOf(':') <= 0 || !isCacheEntry(entry)) continue;
        cache.set(orgId, componentOfKey(key), entry);
      }
    }
    if (isRecord(value.listings)) {
      for (const [orgId, listing] of Object.entries(value.listings)) if (isCachedListing(listing)) cache.setListing(orgId, listing);
    }
    return cache;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return isRecord(v) && Object.values(v).every((x) => typeof x === 'string');
}

function isCacheEntry(v: unknown): v is CacheEntry {
  if (!isRecord(v) || typeof v.lastModifiedDate !== 'string' || !isRecord(v.digest)) return false;
  const d = v.digest;
  return typeof d.fingerprint === 'string' && isStringRecord(d.files) && (d.notes === undefined || isStringRecord(d.notes));
}

function isListedComponent(v: unknown): v is ListedComponent {
  return (
    isRecord(v) &&
    typeof v.type === 'string' &&
    typeof v.fullName === 'string' &&
    (v.lastModifiedDate === undefined || typeof v.lastModifiedDate === 'string') &&
    (v.fileName === undefined || typeof v.fileName === 'string')
  );
}

function isCachedListing(v: unknown): v is CachedListing {
  if (!isRecord(v) || typeof v.revision !== 'string' || typeof v.listedAt !== 'string' || typeof v.all !== 'boolean' || !isRecord(v.types)) return false;
  return Object.values(v.types).every((list) => Array.isArray(list) && list.every(isListedComponent));
}

/** The cached digest of a listed component when it is still valid, else undefined (retrieve it). */
export function usableDigest(
  cache: CompareCache | undefined,
  orgId: string,
  listed: ListedComponent,
  forceFull: boolean,
  key?: string,
): ComponentDigest | undefined {
  if (!cache || forceFull || listed.lastModifiedDate === undefined) return undefined;
  const entry = key === undefined ? cache.get(orgId, listed) : cache.getByKey(orgId, key);
  return entry && entry.lastModifiedDate === listed.lastModifiedDate ? entry.digest : undefined;
}

/** Records a freshly computed digest (only when the listing gave a date to validate it later). */
export function remember(cache: CompareCache | undefined, orgId: string, listed: ListedComponent, digest: ComponentDigest): void {
  if (!cache) return;
  if (listed.lastModifiedDate === undefined) cache.delete(orgId, listed);
  else cache.set(orgId, listed, { lastModifiedDate: listed.lastModifiedDate, digest });
}

/**
 * Drops the entries of components no longer listed. `listed` holds the keys (`componentKey`) of
 * what was listed; `inScope` says, by key, which components the listing covered (the compared
 * types or change request components): entries outside it are kept.
 */
export function pruneCache(
  cache: CompareCache | undefined,
  orgId: string,
  listed: { has(key: string): boolean },
  inScope: (key: string) => boolean,
): number {
  if (!cache) return 0;
  let dropped = 0;
  for (const key of cache.keys(orgId)) {
    if (!listed.has(key) && inScope(key)) {
      cache.deleteByKey(orgId, key);
      dropped++;
    }
  }
  return dropped;
}
