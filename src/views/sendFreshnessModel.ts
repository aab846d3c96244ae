/**
 * Whether Send would have anything to send, known ahead of time for the tree (environment rows and
 * approved change requests): computed in the background per sending environment — the last send
 * standing in the target's queue and the sender's listing, no retrieve — and kept until a refresh,
 * a send or a change to the target's queue. Unknown (not computed yet, several targets, not
 * connected, or the read failed) is never "nothing changed": Send stays enabled and its run-time
 * check decides. Kept apart from the behind counts (behindModel.ts).
 */
import * as vscode from 'vscode';
import type { ComponentRef } from '../core/metadata-types';
import type { Pipeline } from '../core/pipeline';
import { TaskPool } from '../core/pool';
import { freshnessBeforeSend, promotionTargets, SEND_RETRIEVE_MARGIN_MS } from '../core/promotion';
import { readSendBasis, type SendBasis } from '../workflows/promotion/send-freshness';
import type { WorkflowDeps } from '../workflows/types';

export interface SendFreshnessDeps extends WorkflowDeps {
  pipeline(): Pipeline | undefined;
  /** True when the environment's connection was checked and works. */
  connected(env: string): boolean;
}

type Basis = { kind: 'computing'; types: Set<string> } | { kind: 'ready'; to: string; basis: SendBasis } | { kind: 'error'; message: string };

export class SendFreshnessModel implements vscode.Disposable {
  private readonly bases = new Map<string, Basis>();
  private readonly pool = new TaskPool(1);
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the sending environment whose answer may have changed (undefined: all). */
  readonly onDidChange = this.changed.event;

  /** The clock margin (core/promotion/send-freshness.ts); tests of the wiring set 0, as their changes are seconds old. */
  marginMs = SEND_RETRIEVE_MARGIN_MS;

  constructor(private readonly deps: SendFreshnessDeps) {}

  /** The one environment `env` sends to, when the pipeline gives it exactly one. */
  private target(env: string): string | undefined {
    const p = this.deps.pipeline();
    const targets = p ? promotionTargets(p, env) : [];
    return targets.length === 1 ? targets[0].name : undefined;
  }

  /**
   * Why there is nothing to send when that is certain for these components; undefined otherwise
   * (including while unknown: the answer is computed in the background and the change event fires).
   */
  nothingToSend(env: string, components: readonly ComponentRef[]): string | undefined {
    if (components.length === 0) return undefined;
    const to = this.target(env);
    if (!to || !this.deps.connected(env) || !this.deps.connected(to)) return undefined;
    const types = new Set(components.map((c) => c.type));
    const b = this.bases.get(env);
    if (b?.kind === 'computing' || b?.kind === 'error') return undefined;
    if (!b || b.to !== to || [...types].some((t) => b.basis.last && !b.basis.types.has(t))) {
      // Not read yet, or a row needs a type not listed yet: read again with all types asked so far.
      void this.compute(env, to, new Set([...types, ...(b?.kind === 'ready' ? b.basis.types : [])]));
      return undefined;
    }
    const v = freshnessBeforeSend({ from: env, to, components, listed: b.basis.listed, last: b.basis.last, marginMs: this.marginMs });
    return v.unchanged ? v.reason : undefined;
  }

  private compute(env: string, to: string, types: Set<string>): Promise<void> {
    const mine: Basis = { kind: 'computing', types };
    this.bases.set(env, mine);
    return this.pool.run(async () => {
      let next: Basis;
      try {
        next = { kind: 'ready', to, basis: await readSendBasis(this.deps, env, to, [...types]) };
      } catch (e) {
        const message = (e as Error)?.message ?? String(e);
        this.deps.log.warn(`Checking whether ${env} has anything new to send to ${to} failed (Send stays available): ${message}`);
        next = { kind: 'error', message };
      }
      // Only if nothing forgot it or started another read meanwhile.
      if (this.bases.get(env) === mine) {
        this.bases.set(env, next);
        this.changed.fire(env);
      }
    });
  }

  /** Forgets what was read (all, or what involves `env` as sender or target); shown rows read it again. */
  invalidate(env?: string): void {
    const before = this.bases.size;
    if (env === undefined) {
      this.bases.clear();
    } else {
      for (const [from, b] of [...this.bases]) if (from === env || (b.kind === 'ready' && b.to === env) || this.target(from) === env) this.bases.delete(from);
    }
    // Redrawn only when something was forgotten (a redraw reads the queues, whose change calls this).
    if (this.bases.size !== before) this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
