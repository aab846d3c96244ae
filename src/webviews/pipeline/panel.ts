/**
 * The pipeline panel (one per window): the environments as boxes by stage with the connections
 * as arrows, and per box the open change requests, the queue, the deployments behind and the last
 * deployment. Reads what the models already know (starting their reads), reads the last
 * deployment of each connected environment in the background (never blocking the panel), and
 * draws again whenever a model changes. Clicks arrive as validated messages and open the
 * matching view (the tree row, the queue, Back Deploy…, the deployment log).
 */
import * as vscode from 'vscode';
import type { Pipeline } from '../../core/pipeline';
import { behindPairs } from '../../core/promotion';
import { TaskPool } from '../../core/pool';
import { scrubSecrets } from '../../core/scrub';
import type { Ctx } from '../../ctx';
import { COMMANDS, PANEL_TYPES } from '../../shared/ids';
import { parseFromWebview, parseWebviewState, type FromWebview, type PipelineViewState, type ToWebview } from '../../shared/pipelineProtocol';
import { readOrgHistory, recordHolders } from '../../workflows/promotion/history';
import { html, makeNonce } from './html';
import { pipelineViewState, type EnvFacts, type LastFact } from './present';

export const VIEW_TYPE = PANEL_TYPES.pipeline;

/** How the panel shows an environment's change requests: the host reveals its row in the tree. */
export type RevealEnvironment = (env: string) => Thenable<void> | Promise<void>;

export class PipelinePanel implements vscode.Disposable {
  private state?: PipelineViewState;
  private ready = false;
  private isDisposed = false;
  private scheduled?: ReturnType<typeof setTimeout>;
  /** The last deployment per environment, once read (or failed). */
  private readonly last = new Map<string, LastFact>();
  private readonly reading = new Set<string>();
  private readonly pool = new TaskPool(2);
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  /** Messages refused (why), the first 50; for tests and the log. */
  readonly refused: string[] = [];
  /** Types of the messages the webview sent (the first 200): tests see it loaded. */
  readonly fromWebview: string[] = [];
  /** What clicks opened ("queue UAT", …; "failed: …" when it could not), the first 50; for tests. */
  readonly opened: string[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    private readonly revealEnvironment: RevealEnvironment,
  ) {
    const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'changeline.svg');
    panel.title = 'Pipeline';
    panel.webview.html = html({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'pipeline.js')).toString(),
      codiconUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
    });
    const redraw = () => this.schedule();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => {
        if (this.fromWebview.length < 200) this.fromWebview.push(typeof m?.type === 'string' ? m.type.slice(0, 40) : typeof m);
        void this.handleMessage(m);
      }),
      ctx.model.onDidChange(redraw),
      ctx.changeRequests.onDidChange(redraw),
      ctx.queues.onDidChange(redraw),
      ctx.behind.onDidChange((env) => {
        // Invalidated (a deploy finished, or Refresh): the last deployments may have changed too.
        if (env === undefined) this.forgetLast();
        redraw();
      }),
    );
    this.publish();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** The view model as last computed (what the webview shows); for tests. */
  lastState(): PipelineViewState | undefined {
    return this.state;
  }

  /** Reads everything again: change requests, queues, deployments behind and the last deployments. */
  reload(): void {
    const p = this.pipeline();
    this.ctx.changeRequests.refresh();
    for (const e of p?.environments ?? []) void this.ctx.queues.refresh(e.name);
    this.ctx.behind.invalidate();
    this.forgetLast();
    this.publish();
  }

  /** Handles one message from the webview (tests call it with the same messages); malformed ones are refused and logged. */
  async handleMessage(raw: unknown): Promise<void> {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) return this.refuse(parsed.error);
    const m = parsed.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.state) void this.post({ type: 'state', state: this.state });
        return;
      case 'reload':
        return this.reload();
      case 'open':
        return this.open(m);
    }
  }

  private async open(m: Extract<FromWebview, { type: 'open' }>): Promise<void> {
    const p = this.pipeline();
    if (!p?.environments.some((e) => e.name === m.environment)) return this.refuse(`open of ${m.environment}, which is not in the pipeline`);
    const env = m.environment;
    if (m.target === 'behind' && !behindPairs(p).some((x) => x.lower === env && x.upper === m.upper)) return this.refuse(`behind of ${env} against ${m.upper}, which is not above it`);
    const f = this.last.get(env);
    const select = m.target === 'last' && f?.kind === 'ready' ? f.deployment?.id : undefined;
    const what = m.target === 'crs' ? `crs ${env}` : m.target === 'queue' ? `queue ${env}` : m.target === 'behind' ? `backDeploy ${env} ${m.upper}` : `log ${env}${select ? ` ${select}` : ''}`;
    try {
      if (m.target === 'crs') await this.revealEnvironment(env);
      else if (m.target === 'queue') await vscode.commands.executeCommand(COMMANDS.openQueue.id, { environment: env });
      // "N behind UAT": Back Deploy… of that pair (it lists what is missing, or says they are level).
      else if (m.target === 'behind') await vscode.commands.executeCommand(COMMANDS.backDeploy.id, { lower: env, upper: m.upper });
      else await vscode.commands.executeCommand(COMMANDS.openDeploymentLog.id, { environment: env, ...(select ? { select } : {}) });
      this.note(what);
    } catch (e) {
      const message = scrubSecrets((e as Error)?.message ?? String(e));
      this.note(`failed: ${what}: ${message}`);
      this.ctx.log.warn(`Pipeline: opening ${m.target} of ${env} failed: ${message}`);
    }
  }

  private note(what: string): void {
    if (this.opened.length < 50) this.opened.push(what);
  }

  private refuse(error: string): void {
    if (this.refused.length < 50) this.refused.push(error);
    this.ctx.log.warn(`Pipeline panel: ignored a message from the webview (${error}).`);
  }

  private pipeline(): Pipeline | undefined {
    return this.ctx.model.status.kind === 'ok' ? this.ctx.model.status.pipeline : undefined;
  }

  private forgetLast(): void {
    this.generation++;
    this.last.clear();
    this.reading.clear();
  }

  private schedule(): void {
    if (this.isDisposed || this.scheduled) return;
    // Several models change together (a refresh): draw once for all of them.
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.publish();
    }, 50);
  }

  private facts(env: string): EnvFacts {
    this.ctx.model.ensureChecked(env);
    const c = this.ctx.model.connection(env);
    const cr = this.ctx.changeRequests.state(env);
    // The queue lives in the tracking schema: read once the change requests could be (as the tree does).
    if (cr.kind === 'ready') this.ctx.queues.ensureLoaded(env);
    const q = this.ctx.queues.state(env);
    this.ctx.behind.describe(env); // starts the counts once both are connected
    return {
      connection: { state: c?.state, message: c?.error?.message },
      crs:
        cr.kind === 'ready'
          ? { kind: 'ready', statuses: cr.items.map((x) => x.status), complete: cr.complete }
          : cr.kind === 'error'
            ? { kind: 'error', message: cr.message }
            : cr.kind === 'missing'
              ? { kind: 'missing' }
              : { kind: 'loading' },
      queue:
        cr.kind === 'missing'
          ? { kind: 'missing' }
          : cr.kind === 'error' && q.kind !== 'ready'
            ? { kind: 'error', message: cr.message }
            : q.kind === 'ready'
              ? { kind: 'ready', waiting: this.ctx.queues.waitingCount(env) ?? 0, total: q.view.entries.length }
              : q.kind === 'error'
                ? { kind: 'error', message: q.message }
                : { kind: 'loading' },
      behind: (upper) => {
        const s = this.ctx.behind.state(env, upper);
        return s?.kind === 'ready' ? { kind: 'ready', count: s.report.count } : s;
      },
      last: this.lastFact(env, c?.state, c?.error?.message),
    };
  }

  /** The last deployment as known; starts reading it when the environment is connected. */
  private lastFact(env: string, connection: string | undefined, error: string | undefined): LastFact {
    const known = this.last.get(env);
    if (known) return known;
    if (connection === 'connected') this.readLast(env);
    else if (connection && connection !== 'unknown') return { kind: 'error', message: error ?? `${env} is not connected.` };
    return { kind: 'loading' };
  }

  private readLast(env: string): void {
    if (this.reading.has(env)) return;
    this.reading.add(env);
    const gen = this.generation;
    void this.pool.run(async () => {
      let fact: LastFact;
      try {
        const h = await readOrgHistory(this.ctx, env, { limit: 50, recordsFrom: this.holders(env) });
        const d = h.deployments.find((x) => !x.checkOnly);
        fact = { kind: 'ready', ...(d ? { deployment: { id: d.id, status: d.status, when: d.completedDate ?? d.startDate ?? d.createdDate, who: d.createdByName, label: d.mark?.label } } : {}) };
      } catch (e) {
        const message = scrubSecrets((e as Error)?.message ?? String(e));
        this.ctx.log.warn(`Pipeline: reading the last deployment of ${env} failed: ${message}`);
        fact = { kind: 'error', message };
      }
      if (gen !== this.generation || this.isDisposed) return;
      this.last.set(env, fact);
      this.reading.delete(env);
      this.schedule();
    });
  }

  /** The orgs keeping Changeline's deployment records toward `env` (as the deployment log reads them). */
  private holders(env: string): string[] | undefined {
    const p = this.pipeline();
    return p ? recordHolders(p, env) : undefined;
  }

  private publish(): void {
    if (this.isDisposed) return;
    const s = this.ctx.model.status;
    const problem = s.kind === 'missing' ? 'There is no pipeline file yet: create it with "Create Pipeline File from Authorized Orgs".' : s.kind === 'ok' ? undefined : 'The pipeline file has errors: open it ("Open Pipeline File") and fix them.';
    this.state = pipelineViewState(this.pipeline(), (env) => this.facts(env), problem);
    void this.post({ type: 'state', state: this.state });
  }

  private post(m: ToWebview): Thenable<boolean> {
    if (!this.ready || this.isDisposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.scheduled) clearTimeout(this.scheduled);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

/** The one pipeline panel: opened or revealed, restored after a reload. */
export class PipelinePanels implements vscode.Disposable {
  private current?: PipelinePanel;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly ctx: Ctx,
    private readonly revealEnvironment: RevealEnvironment,
    opts: { serializer?: boolean } = {},
  ) {
    this.registration =
      opts.serializer === false
        ? { dispose: () => undefined }
        : vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, { deserializeWebviewPanel: async (panel, state) => void this.revive(panel, state) });
  }

  /** Takes over the panel VS Code restored after a reload. */
  revive(panel: vscode.WebviewPanel, state: unknown): PipelinePanel | undefined {
    if (!parseWebviewState(state) || this.current) {
      panel.dispose();
      this.current?.reveal();
      return this.current;
    }
    return this.track(new PipelinePanel(panel, this.ctx, this.revealEnvironment));
  }

  open(): PipelinePanel {
    if (this.current) {
      this.current.reveal();
      return this.current;
    }
    const root = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Pipeline', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [root] });
    return this.track(new PipelinePanel(panel, this.ctx, this.revealEnvironment));
  }

  get(): PipelinePanel | undefined {
    return this.current;
  }

  private track(p: PipelinePanel): PipelinePanel {
    this.current = p;
    p.onDidDispose(() => {
      if (this.current === p) this.current = undefined;
    });
    return p;
  }

  dispose(): void {
    this.registration.dispose();
    this.current?.dispose();
    this.current = undefined;
  }
}
