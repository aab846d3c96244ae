/**
 * "Deployments behind" per environment, as the tree shows it ("2 behind UAT"): computed in the
 * background when the environment and the one above it are connected, one at a time, and kept
 * until a refresh or a deploy to the upper environment. Never blocks the tree: until computed
 * there is nothing to show; a failure is logged and shown as "behind unknown" in the tooltip.
 */
import * as vscode from 'vscode';
import { behindPairs, behindText } from '../core/promotion';
import type { Pipeline } from '../core/pipeline';
import { TaskPool } from '../core/pool';
import type { CompareStore } from '../workflows/compare/store';
import { deploymentsBehind, type BehindReport } from '../workflows/promotion/behind';
import type { WorkflowDeps } from '../workflows/types';

export type BehindState = { kind: 'computing' } | { kind: 'ready'; report: BehindReport } | { kind: 'error'; message: string };

export interface BehindDepsSource extends WorkflowDeps {
  pipeline(): Pipeline | undefined;
  store(): CompareStore;
  /** True when the environment's connection was checked and works. */
  connected(env: string): boolean;
  /** True when the user chose Ignore All for these deployments (Back Deploy…): the count is not shown. */
  ignored?(lower: string, upper: string, report: BehindReport): boolean;
}

const key = (lower: string, upper: string) => `${lower}\u0000${upper}`;

export class BehindModel implements vscode.Disposable {
  private readonly states = new Map<string, BehindState>();
  private readonly pool = new TaskPool(1);
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the lower environment whose count changed (undefined: all). */
  readonly onDidChange = this.changed.event;
  private generation = 0;

  constructor(private readonly deps: BehindDepsSource) {}

  /** The pairs (lower → upper) the pipeline has for an environment. */
  private uppers(env: string): string[] {
    const p = this.deps.pipeline();
    return p ? behindPairs(p).filter((x) => x.lower === env).map((x) => x.upper) : [];
  }

  state(lower: string, upper: string): BehindState | undefined {
    return this.states.get(key(lower, upper));
  }

  /** "2 behind UAT"; undefined while unknown or level (the tooltip says which). Starts computing when both are connected. */
  describe(env: string): string | undefined {
    const parts: string[] = [];
    for (const upper of this.uppers(env)) {
      const s = this.states.get(key(env, upper));
      if (!s) this.ensure(env, upper);
      if (s?.kind === 'ready' && s.report.count > 0 && !this.deps.ignored?.(env, upper, s.report)) parts.push(`${s.report.count} behind ${upper}`);
    }
    return parts.length ? parts.join(', ') : undefined;
  }

  /** For the tooltip: each pair's sentence, or why it is unknown. */
  tooltip(env: string): string[] {
    return this.uppers(env).map((upper) => {
      const s = this.states.get(key(env, upper));
      if (!s) return `Deployments behind ${upper}: computed once both are connected.`;
      if (s.kind === 'computing') return `Deployments behind ${upper}: computing…`;
      if (s.kind === 'error') return `Deployments behind ${upper} unknown: ${s.message}`;
      const ignored = s.report.count > 0 && this.deps.ignored?.(env, upper, s.report) ? ' Ignored until a new deployment reaches it.' : '';
      return `${behindText(s.report)} (as of ${new Date(s.report.at).toLocaleTimeString()}).${ignored}`;
    });
  }

  private ensure(lower: string, upper: string): void {
    if (!this.deps.connected(lower) || !this.deps.connected(upper)) return;
    void this.compute(lower, upper);
  }

  /** Computes (again) the count of a pair; resolves with the state. */
  compute(lower: string, upper: string): Promise<BehindState> {
    const k = key(lower, upper);
    const gen = this.generation;
    this.states.set(k, { kind: 'computing' });
    return this.pool.run(async () => {
      let s: BehindState;
      try {
        const report = await deploymentsBehind({ ...this.depsFor() }, lower, upper, { pipeline: this.deps.pipeline() });
        s = { kind: 'ready', report };
      } catch (e) {
        const message = (e as Error)?.message ?? String(e);
        this.deps.log.warn(`Counting the deployments ${lower} is behind ${upper} failed: ${message}`);
        s = { kind: 'error', message };
      }
      if (gen === this.generation && this.states.get(k)?.kind === 'computing') {
        this.states.set(k, s);
        this.changed.fire(lower);
      }
      return s;
    });
  }

  private depsFor() {
    return { sessions: this.deps.sessions, salesforce: () => this.deps.salesforce(), log: this.deps.log, store: this.deps.store() };
  }

  /**
   * Forgets the counts (all, or those involving `env`: a deploy to it changes what is behind it);
   * shown environments compute them again.
   */
  invalidate(env?: string): void {
    if (env === undefined) {
      this.generation++;
      this.states.clear();
    } else {
      for (const k of [...this.states.keys()]) if (k.split('\u0000').includes(env)) this.states.delete(k);
    }
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
