/**
 * The files of one component in one environment, retrieved alone for a diff and kept briefly
 * (the next file of the same bundle opens at once).
 */
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import type { WorkflowDeps } from '../types';

export type Files = ReadonlyMap<string, string | Uint8Array>;

const KEEP_MS = 2 * 60_000;

export class ComponentFiles {
  private readonly recent = new Map<string, { at: number; files: Promise<Files> }>();

  constructor(private readonly deps: Pick<WorkflowDeps, 'sessions' | 'salesforce'>) {}

  /** The component's files by path (empty when the org has none). */
  get(env: string, ref: ComponentRef, signal?: AbortSignal): Promise<Files> {
    const key = `${env}\u0000${componentKey(ref)}`;
    const now = Date.now();
    for (const [k, v] of this.recent) if (now - v.at > KEEP_MS) this.recent.delete(k);
    const hit = this.recent.get(key);
    if (hit) return hit.files;
    const files = this.retrieve(env, ref, signal);
    this.recent.set(key, { at: now, files });
    files.catch(() => this.recent.delete(key));
    return files;
  }

  private async retrieve(env: string, ref: ComponentRef, signal?: AbortSignal): Promise<Files> {
    const session = await this.deps.sessions.get(env);
    const sf = await this.deps.salesforce();
    const side = sf.compareSide(session.handle, { label: env });
    const answer = side.retrieve([ref], signal ?? new AbortController().signal);
    const found: Files[] = [];
    if (Symbol.asyncIterator in answer) {
      for await (const c of answer) if (c.type === ref.type && c.fullName === ref.fullName) found.push(c.files);
    } else {
      for (const c of await answer) if (c.type === ref.type && c.fullName === ref.fullName) found.push(c.files);
    }
    return found[0] ?? new Map<string, string | Uint8Array>();
  }

  /** Forgets retrieved files (after a compare or a refresh the orgs may have changed). */
  forget(): void {
    this.recent.clear();
  }
}
