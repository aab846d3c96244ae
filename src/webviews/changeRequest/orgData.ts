/**
 * What the editor needs from an environment's org besides the CR: its active users (approver
 * picker, names in the history), its metadata types (picker, type check) and its components per
 * type (picker). Read once per environment (per type) and shared by all open editors; a failed
 * read is retried next time.
 */
import { metadataTypeNames } from '../../core/metadata-types';
import type { WorkflowDeps } from '../../workflows/types';
import type { ComponentItem, UserView } from '../../shared/changeRequestProtocol';

export class OrgDataCache {
  private readonly users = new Map<string, Promise<UserView[]>>();
  private readonly types = new Map<string, Promise<string[]>>();
  private readonly components = new Map<string, Promise<ComponentItem[]>>();

  constructor(private readonly deps: Pick<WorkflowDeps, 'sessions' | 'salesforce'>) {}

  activeUsers(env: string): Promise<UserView[]> {
    return this.once(this.users, env, async () => {
      const [sf, s] = await Promise.all([this.deps.salesforce(), this.deps.sessions.get(env)]);
      return sf.activeUsers(s.handle);
    });
  }

  /** Metadata type names the org describes, child types (CustomField, ValidationRule…) included, sorted. */
  metadataTypes(env: string): Promise<string[]> {
    return this.once(this.types, env, async () => {
      const [sf, s] = await Promise.all([this.deps.salesforce(), this.deps.sessions.get(env)]);
      return metadataTypeNames(await sf.describeTypes(s.handle));
    });
  }

  componentsOf(env: string, type: string): Promise<ComponentItem[]> {
    return this.once(this.components, `${env}\n${type}`, async () => {
      const [sf, s] = await Promise.all([this.deps.salesforce(), this.deps.sessions.get(env)]);
      return (await sf.listComponents(s.handle, [type])).filter((c) => c.type === type).map((c) => ({ type: c.type, fullName: c.fullName }));
    });
  }

  /** Forgets what was read (all environments, or one). */
  clear(env?: string): void {
    for (const m of [this.users, this.types, this.components] as Array<Map<string, unknown>>) {
      for (const k of [...m.keys()]) if (env === undefined || k === env || k.startsWith(`${env}\n`)) m.delete(k);
    }
  }

  private once<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const cached = map.get(key);
    if (cached) return cached;
    const p = load();
    map.set(key, p);
    p.catch(() => {
      if (map.get(key) === p) map.delete(key);
    });
    return p;
  }
}

/** Components whose full name contains the query (case-insensitive), at most `limit`. */
export function filterComponents(items: readonly ComponentItem[], query: string, limit = 50): { items: ComponentItem[]; total: number } {
  const q = query.trim().toLowerCase();
  const hits = q ? items.filter((c) => c.fullName.toLowerCase().includes(q)) : [...items];
  return { items: hits.slice(0, limit), total: hits.length };
}
