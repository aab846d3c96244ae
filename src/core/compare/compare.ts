/**
 * The compare engine: lists both environments (or reuses a kept listing, listing.ts), classifies
 * components by presence, retrieves those present on both sides (only what changed since the
 * cached compare), and compares their digests file by file. Only digests are kept in memory,
 * never file content.
 */
import { setMaxListeners } from 'node:events';
import { CompareCancelledError, raceAbort, throwIfAborted } from './abort';
import { pruneCache, remember, usableDigest, type CompareCache } from './cache';
import { diffDigests, type ComponentDigest } from './component-diff';
import { listSide } from './listing';
import { componentKey, retrieveAll, type RetrievalJob } from './retrieval';
import {
  COMPARE_STATUSES,
  type CompareItem,
  type CompareProgress,
  type CompareResult,
  type CompareSide,
  type CompareStatus,
  type ComponentRef,
  type ListedComponent,
  type ListingInfo,
} from './types';

export interface CompareOptions {
  /** Metadata types to compare; omitted = all types. Not together with `components`. */
  types?: readonly string[];
  /** Only these components (a change request's); their types are listed, the rest ignored. */
  components?: readonly ComponentRef[];
  signal?: AbortSignal;
  onProgress?: (progress: CompareProgress) => void;
  cache?: CompareCache;
  /** Ignore the cache (a refresh); fresh digests still update it. */
  forceFull?: boolean;
  /** Retrieves in flight at once, both sides together (1–16, default 8: four per org). */
  concurrency?: number;
  /**
   * Components per retrieve request (1–10,000). Default: the work split so every retrieve slot
   * is used, at most DEFAULT_CHUNK_SIZE per request (the Metadata API allows 10,000 files and a
   * 39 MB zip per retrieve; the margin is for big components such as static resources).
   */
  chunkSize?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

/** The largest chunk the engine chooses by itself (a caller may ask for up to 10,000). */
export const DEFAULT_CHUNK_SIZE = 2500;
/**
 * Measured on two emulated 10,000-component orgs (npm run bench): 2 retrieves in flight took
 * 1.5–2× as long as 4, mostly waiting on status checks; 8 (every chunk of both sides at once,
 * at most 2,500 components each) was faster again than 4 (two rounds).
 */
export const DEFAULT_CONCURRENCY = 8;

export async function compareEnvironments(
  source: CompareSide,
  target: CompareSide,
  opts: CompareOptions = {},
): Promise<CompareResult> {
  const { chunkSize, concurrency, listTypes, inScope, inScopeKey } = checkOptions(opts);
  const startedAt = (opts.now ?? (() => new Date()))().toISOString();
  const progress = opts.onProgress ?? (() => undefined);
  const outer = opts.signal;
  throwIfAborted(outer);

  // Internal signal: aborted on cancellation and on the first failure, so nothing keeps running.
  const inner = new AbortController();
  // Every retrieve in flight (up to 16) and its status checks listen for the abort: not a leak.
  setMaxListeners(200, inner.signal);
  const onOuterAbort = () => inner.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    const listOpts = { cache: opts.cache, forceFull: opts.forceFull === true, now: opts.now ?? (() => new Date()) };
    const [[sourceList, sourceListing], [targetList, targetListing]] = await listBoth(source, target, listTypes, inScope, inner.signal, outer, progress, listOpts);
    throwIfAborted(outer);
    pruneCache(opts.cache, source.id, sourceList, inScopeKey);
    pruneCache(opts.cache, target.id, targetList, inScopeKey);

    // Digests of components on both sides: from the cache when still valid, else retrieved.
    const both = [...sourceList.keys()].filter((k) => targetList.has(k));
    const digests = [new Map<string, ComponentDigest>(), new Map<string, ComponentDigest>()];
    const jobs: RetrievalJob[] = [];
    let fromCacheCount = 0;
    let retrievedCount = 0;
    [source, target].forEach((side, i) => {
      const listing = i === 0 ? sourceList : targetList;
      const toRetrieve: ComponentRef[] = [];
      for (const key of both) {
        const listed = listing.get(key)!;
        const cached = usableDigest(opts.cache, side.id, listed, opts.forceFull === true, key);
        if (cached) {
          digests[i].set(key, cached);
          fromCacheCount++;
        } else toRetrieve.push({ type: listed.type, fullName: listed.fullName });
      }
      if (toRetrieve.length > 0) {
        jobs.push({
          side,
          refs: toRetrieve,
          onDigest: (ref, digest) => {
            const key = componentKey(ref);
            digests[i].set(key, digest);
            retrievedCount++;
            remember(opts.cache, side.id, listing.get(key)!, digest);
          },
        });
      }
    });
    if (jobs.length > 0) {
      await raceAbort(
        retrieveAll(jobs, {
          chunkSize: chunkSize ?? automaticChunkSize(jobs, concurrency),
          concurrency,
          signal: inner.signal,
          onChunk: ({ side, size, ended, done, total }) =>
            progress({
              phase: 'retrieving',
              done,
              total,
              detail: ended
                ? `Retrieved ${done} of ${total} components`
                : `Retrieving ${size} component${size === 1 ? '' : 's'} from ${side.label}`,
            }),
        }),
        outer,
      );
    }
    throwIfAborted(outer);

    progress({ phase: 'comparing', done: 0, total: both.length, detail: 'Comparing components' });
    const items = classify(source, target, sourceList, targetList, digests);
    progress({ phase: 'comparing', done: both.length, total: both.length, detail: 'Compared' });

    return {
      source: { id: source.id, label: source.label },
      target: { id: target.id, label: target.label },
      startedAt,
      items,
      ...counts(items),
      notFound: notFound(opts.components ?? [], sourceList, targetList),
      retrievedCount,
      fromCacheCount,
      listing: { source: sourceListing, target: targetListing },
    };
  } catch (e) {
    inner.abort();
    // Once the user cancelled, any failure (a side's own abort error included) is the cancellation.
    if (outer?.aborted) throw new CompareCancelledError();
    throw e;
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * Components per request when the caller did not say: each side's share of the retrieve slots
 * gets an equal part of that side's components, at most DEFAULT_CHUNK_SIZE. Fewer, larger
 * requests cost fewer status checks; more requests than slots would only wait.
 */
export function automaticChunkSize(jobs: ReadonlyArray<{ refs: readonly unknown[] }>, concurrency: number): number {
  const slotsPerJob = Math.max(1, Math.floor(concurrency / Math.max(1, jobs.length)));
  const largest = Math.max(1, ...jobs.map((j) => j.refs.length));
  return Math.min(DEFAULT_CHUNK_SIZE, Math.ceil(largest / slotsPerJob));
}

function checkOptions(opts: CompareOptions) {
  const chunkSize = opts.chunkSize;
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  if (chunkSize !== undefined && (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 10_000)) {
    throw new RangeError(`chunkSize must be a whole number from 1 to 10000 (got ${String(opts.chunkSize)}).`);
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new RangeError(`concurrency must be a whole number from 1 to 16 (got ${String(opts.concurrency)}).`);
  }
  if (opts.types && opts.components) {
    throw new TypeError('Compare either metadata types or a change request\u2019s components, not both.');
  }
  for (const t of opts.types ?? []) {
    if (typeof t !== 'string' || t.trim() === '') throw new TypeError(`Metadata type names must be non-empty text (got ${JSON.stringify(t)}).`);
  }
  for (const c of opts.components ?? []) {
    if (typeof c?.type !== 'string' || c.type === '' || typeof c.fullName !== 'string' || c.fullName === '') {
      throw new TypeError(`A component needs a type and a full name (got ${JSON.stringify(c)}).`);
    }
  }
  const wanted = opts.components ? new Set(opts.components.map(componentKey)) : undefined;
  const types = opts.types ? new Set(opts.types) : undefined;
  const listTypes = opts.components ? [...new Set(opts.components.map((c) => c.type))] : opts.types ? [...types!] : undefined;
  const inScope = (ref: ComponentRef) =>
    wanted ? wanted.has(componentKey(ref)) : types ? types.has(ref.type) : true;
  // The same by key ("type:fullName"), for what the cache holds by key.
  const inScopeKey = (key: string) => (wanted ? wanted.has(key) : types ? types.has(key.slice(0, key.indexOf(':'))) : true);
  return { chunkSize, concurrency, listTypes, inScope, inScopeKey };
}

async function listBoth(
  source: CompareSide,
  target: CompareSide,
  types: readonly string[] | undefined,
  inScope: (ref: ComponentRef) => boolean,
  signal: AbortSignal,
  outer: AbortSignal | undefined,
  progress: (p: CompareProgress) => void,
  listOpts: { cache?: CompareCache; forceFull: boolean; now: () => Date },
): Promise<Array<[Map<string, ListedComponent>, ListingInfo]>> {
  if (types && types.length === 0) return [[new Map(), { mode: 'full' }], [new Map(), { mode: 'full' }]];
  // Per side: types (and folders) listed of those known so far; progress counts both sides.
  const counts = new Map<CompareSide, { done: number; total: number; listed?: number; changes?: number }>([
    [source, { done: 0, total: 0 }],
    [target, { done: 0, total: 0 }],
  ]);
  const report = () => {
    const all = [...counts.values()];
    const detail = [...counts.entries()]
      .map(([side, c]) => {
        if (c.listed !== undefined) return `${side.label}: ${c.listed} components${c.changes !== undefined ? ` (${c.changes} changed since the last compare)` : ''}`;
        return c.total ? `${side.label}: ${c.done} of ${c.total} types and folders` : `${side.label}: starting`;
      })
      .join(' · ');
    progress({ phase: 'listing', done: all.reduce((n, c) => n + c.done, 0), total: all.reduce((n, c) => n + c.total, 0), detail: `Listing ${detail}` });
  };
  const list = async (side: CompareSide) => {
    const mine = counts.get(side)!;
    report();
    const { components, info } = await listSide(side, {
      types,
      signal,
      ...listOpts,
      onProgress: (done, total) => {
        mine.done = done;
        mine.total = total;
        report();
      },
    });
    const byKey = new Map<string, ListedComponent>();
    for (const c of components) if (inScope(c)) byKey.set(componentKey(c), c);
    mine.listed = byKey.size;
    mine.changes = info.changes;
    mine.done = Math.max(mine.done, mine.total);
    report();
    return [byKey, info] as [Map<string, ListedComponent>, ListingInfo];
  };
  const both = Promise.all([list(source), list(target)]);
  return raceAbort(both, outer);
}

function classify(
  source: CompareSide,
  target: CompareSide,
  sourceList: Map<string, ListedComponent>,
  targetList: Map<string, ListedComponent>,
  [sourceDigests, targetDigests]: Array<Map<string, ComponentDigest>>,
): CompareItem[] {
  const items: CompareItem[] = [];
  const keys = [...sourceList.keys()];
  for (const key of targetList.keys()) if (!sourceList.has(key)) keys.push(key);
  for (const key of keys) {
    const s = sourceList.get(key);
    const t = targetList.get(key);
    const ref = (s ?? t)!;
    const item: CompareItem = { type: ref.type, fullName: ref.fullName, status: 'identical' };
    if (s?.lastModifiedDate) item.sourceModified = s.lastModifiedDate;
    if (t?.lastModifiedDate) item.targetModified = t.lastModifiedDate;
    if (!t) item.status = 'only-in-source';
    else if (!s) item.status = 'only-in-target';
    else {
      const sd = sourceDigests.get(key);
      const td = targetDigests.get(key);
      const notes = sd?.notes || td?.notes ? [...notesOf(source, sd), ...notesOf(target, td)] : [];
      for (const [side, d] of [[source, sd], [target, td]] as const) {
        if (!d) notes.push(`Not returned when retrieving from ${side.label} (it may have just been deleted, or cannot be retrieved).`);
      }
      if (sd && td) {
        const diff = diffDigests(sd, td);
        item.status = diff.status;
        if (diff.status === 'different') item.differingFiles = diff.differingFiles;
      } else item.status = 'different';
      if (notes.length > 0) item.notes = notes;
    }
    items.push(item);
  }
  return items.sort((a, b) => cmp(a.type, b.type) || cmp(a.fullName, b.fullName));
}

function notFound(
  requested: readonly ComponentRef[],
  sourceList: Map<string, ListedComponent>,
  targetList: Map<string, ListedComponent>,
): ComponentRef[] {
  const missing = new Map<string, ComponentRef>();
  for (const c of requested) {
    const key = componentKey(c);
    if (!sourceList.has(key) && !targetList.has(key)) missing.set(key, { type: c.type, fullName: c.fullName });
  }
  return [...missing.values()];
}

function notesOf(side: CompareSide, digest: ComponentDigest | undefined): string[] {
  return Object.entries(digest?.notes ?? {}).map(([path, note]) => `${side.label}: ${path} is ${note}.`);
}

function counts(items: readonly CompareItem[]): Pick<CompareResult, 'countsByStatus' | 'countsByType'> {
  const zero = () => Object.fromEntries(COMPARE_STATUSES.map((s) => [s, 0])) as Record<CompareStatus, number>;
  const countsByStatus = zero();
  const countsByType: Record<string, Record<CompareStatus, number>> = {};
  for (const item of items) {
    countsByStatus[item.status]++;
    (countsByType[item.type] ??= zero())[item.status]++;
  }
  return { countsByStatus, countsByType };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
