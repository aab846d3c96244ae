/**
 * The change requests behind the Environments tree: per environment, whether the org has the
 * tracking schema, and its CRs loaded in the background page by page (the tree shows the first
 * page while the rest arrives; a refresh cancels a load still running). Filters (text, "only
 * mine") and grouping by status are applied here. No tree code.
 */
import * as vscode from 'vscode';
import type { ChangeRequest } from '../core/change-requests';
import { CONTEXT_KEYS } from '../shared/ids';
import type { Log } from '../log';
import type { OrgSessions } from '../workflows/sessions';
import type { SalesforceApi } from '../salesforce-loader';
import type { EnvironmentsModel } from './environmentsModel';
import { filterActive, groupByStatus, matchesFilter, NO_FILTER, type CrFilter, type StatusGroup } from './crFilter';

export type TrackingState =
  | { kind: 'loading' }
  /** The org could not be read (unreachable, expired session, …): the message says what to do. */
  | { kind: 'error'; message: string }
  /** No tracking schema in the org, or one older than this Changeline needs (`upgrade`). */
  | { kind: 'missing'; upgrade: boolean; username: string }
  | {
      kind: 'ready';
      /** The user's id in that org (for "only mine"). */
      userId: string;
      items: ChangeRequest[];
      /** How many CRs the org holds (items grows to it while pages load). */
      total: number;
      complete: boolean;
      /** The list read before, shown while it is read again. */
      rereading?: boolean;
    };

export interface ChangeRequestsModelDeps {
  environments: EnvironmentsModel;
  sessions: OrgSessions;
  salesforce(): Promise<SalesforceApi>;
  log: Log;
}

interface EnvEntry {
  state: TrackingState;
  abort: AbortController;
  done: Promise<void>;
  /** Filtered groups, cached until the items or the filter change. */
  groups?: StatusGroup[];
}

export class ChangeRequestsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with an environment name when only that environment changed, undefined for all. */
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, EnvEntry>();
  private current: CrFilter = NO_FILTER;
  /** Org of each environment as last seen in the pipeline. */
  private orgs = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];
  /** CRs per page read from the org (a query batch holds at most 2,000). */
  pageSize = 2000;

  constructor(private readonly deps: ChangeRequestsModelDeps) {
    this.orgs = new Map(deps.environments.environments().map((e) => [e.name, e.org] as const));
    this.subscriptions = [
      // Changeline wrote a CR (here or in a panel): read that CR again, or the whole list when many changed.
      deps.sessions.onDidChangeChangeRequests((c) => (c.id ? this.refreshOne(c.environment, c.id) : this.refresh(c.environment))),
      // The pipeline changed: environments removed or pointed at another org start over.
      deps.environments.onDidChange((name) => {
        if (name === undefined) this.dropStale();
      }),
    ];
  }

  get filter(): CrFilter {
    return this.current;
  }

  /** Sets the filter, updates the context keys the menus use, and redraws the tree. */
  async setFilter(f: CrFilter): Promise<void> {
    this.current = { text: f.text.trim(), mine: f.mine };
    for (const e of this.entries.values()) e.groups = undefined;
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.crFilterActive, filterActive(this.current));
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.crFilterMine, this.current.mine);
    this.changed.fire(undefined);
  }

  /** The environment's state; starts reading it when not read yet. */
  state(env: string): TrackingState {
    return this.ensureLoaded(env).state;
  }

  /** The environment's state as read so far, without starting a read (undefined: never read). */
  peek(env: string): TrackingState | undefined {
    return this.entries.get(env)?.state;
  }

  /** Resolves when the environment's load (all pages) has finished or failed. */
  whenLoaded(env: string): Promise<void> {
    return this.ensureLoaded(env).done;
  }

  /** The status groups of the CRs that pass the filter (empty unless ready). */
  groups(env: string): StatusGroup[] {
    const e = this.ensureLoaded(env);
    if (e.state.kind !== 'ready') return [];
    const userId = e.state.userId;
    e.groups ??= groupByStatus(e.state.items.filter((cr) => matchesFilter(cr, this.current, userId)));
    return e.groups;
  }

  /** A loaded CR by id (15 or 18 characters). */
  find(env: string, id: string): ChangeRequest | undefined {
    const s = this.entries.get(env)?.state;
    return s?.kind === 'ready' ? s.items.find((cr) => cr.id?.slice(0, 15) === id.slice(0, 15)) : undefined;
  }

  /**
   * Reads the environment's CRs again (all environments when undefined); a running load is
   * cancelled. The list read before stays shown (as still loading) until the new one arrives, so
   * the tree keeps its status groups, and with them what the user expanded.
   */
  refresh(env?: string): void {
    const names = env === undefined ? [...this.entries.keys()] : [env];
    for (const n of names) {
      const old = this.entries.get(n);
      old?.abort.abort();
      this.entries.delete(n);
      if (old?.state.kind === 'ready') this.shownWhileReading.set(n, { ...old.state, complete: false, rereading: true });
    }
    this.changed.fire(env);
  }

  /** The last list of an environment being read again, shown until the new one arrives. */
  private readonly shownWhileReading = new Map<string, TrackingState>();

  /**
   * Reads one CR again and puts it in place (a save must not re-read thousands of CRs). Falls
   * back to a full refresh while the list is still loading or when the CR cannot be read.
   */
  refreshOne(env: string, id: string): void {
    const entry = this.entries.get(env);
    if (!entry || entry.state.kind !== 'ready' || !entry.state.complete) {
      this.refresh(env);
      return;
    }
    const previous = entry.done;
    entry.done = (async () => {
      await previous;
      try {
        const session = await this.deps.sessions.get(env);
        const cr = await (await this.deps.salesforce()).getChangeRequest(session.handle, id);
        const s = entry.state;
        if (s.kind !== 'ready' || this.entries.get(env) !== entry) return;
        const at = s.items.findIndex((x) => x.id?.slice(0, 15) === id.slice(0, 15));
        const items = at >= 0 ? s.items.map((x, i) => (i === at ? cr : x)) : [cr, ...s.items];
        this.update(env, entry, { ...s, items, total: at >= 0 ? s.total : s.total + 1 });
      } catch (e) {
        this.deps.log.debug(`Re-reading change request ${id} of ${env} failed (${(e as Error)?.message}); reading the list again.`);
        this.refresh(env);
      }
    })();
  }

  private ensureLoaded(env: string): EnvEntry {
    const existing = this.entries.get(env);
    if (existing) return existing;
    const abort = new AbortController();
    const entry: EnvEntry = { state: this.shownWhileReading.get(env) ?? { kind: 'loading' }, abort, done: Promise.resolve() };
    this.shownWhileReading.delete(env);
    this.entries.set(env, entry);
    entry.done = this.load(env, entry).catch((e) => {
      if (abort.signal.aborted) return;
      this.deps.log.error(`Reading the change requests of ${env} failed`, e);
      this.update(env, entry, { kind: 'error', message: (e as Error)?.message ?? String(e) });
    });
    return entry;
  }

  private update(env: string, entry: EnvEntry, state: TrackingState): void {
    if (this.entries.get(env) !== entry || entry.abort.signal.aborted) return; // superseded by a refresh
    entry.state = state;
    entry.groups = undefined;
    this.changed.fire(env);
  }

  private async load(env: string, entry: EnvEntry): Promise<void> {
    const { signal } = entry.abort;
    const session = await this.deps.sessions.get(env);
    const sf = await this.deps.salesforce();
    const tracking = await sf.trackingStatus(session.handle);
    if (signal.aborted) return;
    if (!tracking.installed || tracking.upgradeAvailable) {
      this.update(env, entry, { kind: 'missing', upgrade: tracking.installed, username: session.username });
      return;
    }
    const started = performance.now();
    const items: ChangeRequest[] = [];
    let next: string | undefined;
    do {
      const page = await sf.listChangeRequests(session.handle, { next, pageSize: this.pageSize, signal });
      if (signal.aborted) return;
      items.push(...page.items);
      next = page.next;
      this.update(env, entry, { kind: 'ready', userId: session.userId, items: [...items], total: Math.max(page.totalSize, items.length), complete: !next });
    } while (next);
    this.deps.log.debug(`Listed ${items.length} change request(s) of ${env} in ${(performance.now() - started).toFixed(0)} ms.`);
  }

  /**
   * Drops environments that left the pipeline or now point at another org, with their open
   * sessions (a session is per environment name, so it would still talk to the old org).
   */
  private dropStale(): void {
    const now = new Map(this.deps.environments.environments().map((e) => [e.name, e.org] as const));
    for (const [name, org] of this.orgs) {
      if (now.get(name) === org) continue;
      this.deps.sessions.reset(name);
      this.shownWhileReading.delete(name);
      const e = this.entries.get(name);
      e?.abort.abort();
      this.entries.delete(name);
    }
    this.orgs = now;
  }

  dispose(): void {
    for (const e of this.entries.values()) e.abort.abort();
    this.entries.clear();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
