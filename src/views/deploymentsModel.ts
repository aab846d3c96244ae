/**
 * The deployment records kept in each environment's org, as the tree shows them: read when the
 * environment's "Deployments" row is expanded, page by page, grouped by status; re-read after a
 * command changed one. No tree code here.
 */
import * as vscode from 'vscode';
import { DEPLOYMENT_STATUSES, type DeploymentRecord, type DeploymentStatus } from '../core/deployments';
import type { LogSink } from '../core/log-sink';
import { listDeploymentRecords } from '../workflows/deploy/records';
import type { WorkflowDeps } from '../workflows/types';

export type DeploymentsState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; items: DeploymentRecord[] };

export class DeploymentsModel implements vscode.Disposable {
  private readonly states = new Map<string, DeploymentsState>();
  private readonly generation = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the environment whose records changed (undefined: all). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: WorkflowDeps & { log: LogSink }) {}

  state(env: string): DeploymentsState {
    return this.states.get(env) ?? { kind: 'idle' };
  }

  /** Records of `env` grouped by status, in the statuses' order. */
  groups(env: string): Array<{ status: DeploymentStatus; items: DeploymentRecord[] }> {
    const s = this.state(env);
    if (s.kind !== 'ready') return [];
    return DEPLOYMENT_STATUSES.map((status) => ({ status, items: s.items.filter((d) => d.status === status) })).filter((g) => g.items.length > 0);
  }

  find(env: string, id: string): DeploymentRecord | undefined {
    const s = this.state(env);
    return s.kind === 'ready' ? s.items.find((d) => d.id === id) : undefined;
  }

  /** Starts reading `env`'s records unless they were read (or are being read). */
  ensureLoaded(env: string): void {
    if (this.state(env).kind === 'idle') void this.load(env);
  }

  /** Reads `env`'s records again (all environments when undefined). */
  refresh(env?: string): void {
    if (env === undefined) {
      for (const e of [...this.states.keys()]) void this.load(e);
      return;
    }
    void this.load(env);
  }

  private async load(env: string): Promise<void> {
    const gen = (this.generation.get(env) ?? 0) + 1;
    this.generation.set(env, gen);
    if (this.state(env).kind !== 'ready') this.set(env, { kind: 'loading' });
    try {
      const items: DeploymentRecord[] = [];
      let next: string | undefined;
      do {
        const page = await listDeploymentRecords(this.deps, env, { next, pageSize: 2000 });
        items.push(...page.items);
        next = page.next;
      } while (next);
      if (this.generation.get(env) === gen) this.set(env, { kind: 'ready', items });
    } catch (e) {
      this.deps.log.warn(`Reading the deployment records of ${env} failed: ${(e as Error)?.message ?? String(e)}`);
      if (this.generation.get(env) === gen) this.set(env, { kind: 'error', message: (e as Error)?.message ?? String(e) });
    }
  }

  private set(env: string, s: DeploymentsState): void {
    this.states.set(env, s);
    this.changed.fire(env);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
