/**
 * The deployment queue of each environment as the tree and the queue panel show it: read when the
 * environment's "Queue" row is shown, re-read after a send, a deploy or a reject. No tree code.
 */
import * as vscode from 'vscode';
import type { LogSink } from '../core/log-sink';
import { waiting } from '../core/promotion';
import { readQueue, type QueueView } from '../workflows/promotion/queue';
import type { WorkflowDeps } from '../workflows/types';

export type QueueState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; view: QueueView };

export class QueueModel implements vscode.Disposable {
  private readonly states = new Map<string, QueueState>();
  private readonly generation = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the environment whose queue changed (undefined: all). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: WorkflowDeps & { log: LogSink }) {}

  state(env: string): QueueState {
    return this.states.get(env) ?? { kind: 'idle' };
  }

  /** Entries still waiting for a release manager (the count the tree shows). */
  waitingCount(env: string): number | undefined {
    const s = this.state(env);
    return s.kind === 'ready' ? waiting(s.view.entries).length : undefined;
  }

  ensureLoaded(env: string): void {
    if (this.state(env).kind === 'idle') void this.load(env);
  }

  /** Reads `env`'s queue again (every read one when undefined); resolves once read. */
  refresh(env?: string): Promise<void> {
    if (env === undefined) return Promise.all([...this.states.keys()].map((e) => this.load(e))).then(() => undefined);
    return this.load(env);
  }

  private async load(env: string): Promise<void> {
    const gen = (this.generation.get(env) ?? 0) + 1;
    this.generation.set(env, gen);
    if (this.state(env).kind !== 'ready') this.set(env, { kind: 'loading' });
    try {
      const view = await readQueue(this.deps, env);
      if (this.generation.get(env) === gen) this.set(env, { kind: 'ready', view });
    } catch (e) {
      const message = (e as Error)?.message ?? String(e);
      this.deps.log.warn(`Reading the deployment queue of ${env} failed: ${message}`);
      if (this.generation.get(env) === gen) this.set(env, { kind: 'error', message });
    }
  }

  private set(env: string, s: QueueState): void {
    this.states.set(env, s);
    this.changed.fire(env);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
