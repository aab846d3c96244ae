/**
 * What compare keeps between sessions, in a FileStore (the extension's global storage, or the
 * CLI's folder):
 * - the incremental cache (digests per org and component, and the org's listing when it has
 *   source tracking), one file per org id, loaded lazily;
 * - the last result per source → target pair, so a panel restored after a reload shows it again.
 * It is only a cache: an unreadable file is treated as absent (and logged), never an error.
 */
import { MemoryCompareCache } from '../../core/compare/cache';
import type { LogSink } from '../../core/log-sink';
import type { CompareView } from '../../shared/compareProtocol';
import type { FileStore } from '../storage';

const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export class CompareStore {
  /** One cache for every org; orgs are loaded from disk the first time a compare involves them. */
  private readonly cache = new MemoryCompareCache();
  private readonly loaded = new Set<string>();

  constructor(
    private readonly files: FileStore,
    private readonly log: LogSink,
  ) {}

  /** The folder holding the saved caches and results. */
  folder(): string {
    return this.files.location;
  }

  private cacheFile(orgId: string): string {
    return `cache-${safe(orgId)}.json`;
  }

  private resultFile(sourceEnv: string, targetEnv: string): string {
    return `result-${safe(sourceEnv)}--${safe(targetEnv)}.json`;
  }

  private async readJson(name: string): Promise<unknown> {
    try {
      const bytes = await this.files.read(name);
      return bytes === undefined ? undefined : JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      this.log.warn(`Compare cache: could not read ${name} in ${this.files.location}, ignoring it (${(e as Error).message})`);
      return undefined;
    }
  }

  private async writeJson(name: string, value: unknown): Promise<void> {
    await this.files.write(name, new TextEncoder().encode(JSON.stringify(value)));
  }

  /** The cache with these orgs' saved entries loaded. */
  async cacheFor(orgIds: string[]): Promise<MemoryCompareCache> {
    for (const orgId of orgIds) {
      if (this.loaded.has(orgId)) continue;
      this.loaded.add(orgId);
      const saved = MemoryCompareCache.fromJSON(await this.readJson(this.cacheFile(orgId)));
      for (const ref of saved.refs(orgId)) {
        if (!this.cache.get(orgId, ref)) this.cache.set(orgId, ref, saved.get(orgId, ref)!);
      }
      const listing = saved.getListing(orgId);
      if (listing && !this.cache.getListing(orgId)) this.cache.setListing(orgId, listing);
    }
    return this.cache;
  }

  /** Entries cached for an org (for tests and the log). */
  entries(orgId: string): number {
    return this.cache.refs(orgId).length;
  }

  /** Writes these orgs' entries. */
  async saveCache(orgIds: string[]): Promise<void> {
    const all = this.cache.toJSON();
    for (const orgId of new Set(orgIds)) {
      const listing = all.listings?.[orgId];
      await this.writeJson(this.cacheFile(orgId), { version: all.version, orgs: { [orgId]: all.orgs[orgId] ?? {} }, listings: listing ? { [orgId]: listing } : {} });
    }
  }

  async saveResult(view: CompareView): Promise<void> {
    await this.writeJson(this.resultFile(view.sourceEnv, view.targetEnv), view);
  }

  async loadResult(sourceEnv: string, targetEnv: string): Promise<CompareView | undefined> {
    const v = await this.readJson(this.resultFile(sourceEnv, targetEnv));
    if (typeof v !== 'object' || v === null) return undefined;
    const view = v as CompareView;
    if (view.sourceEnv !== sourceEnv || view.targetEnv !== targetEnv || !Array.isArray(view.items)) return undefined;
    return view;
  }

  /** Forgets everything saved (cache and results). */
  async clear(): Promise<void> {
    await this.files.clear().catch(() => undefined);
    this.loaded.clear();
    const all = this.cache.toJSON();
    for (const orgId of Object.keys(all.orgs)) for (const ref of this.cache.refs(orgId)) this.cache.delete(orgId, ref);
    for (const orgId of Object.keys(all.listings ?? {})) this.cache.setListing(orgId, undefined);
  }
}
