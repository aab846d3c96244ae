/**
 * The deployment log panel of an environment (one per environment): reads the log through the
 * workflow, filters it on the host as the webview asks (validated messages; no org read), and
 * reads one deployment's details (component results, test failures) when a row is opened.
 */
import * as vscode from 'vscode';
import type { HistoryDeployment } from '../../core/promotion/org-history';
import { scrubSecrets } from '../../core/scrub';
import type { Ctx } from '../../ctx';
import { EMPTY_FILTER, parseFromWebview, type LogFilterView, type LogPanelState, type ToWebview } from '../../shared/deploymentLogProtocol';
import { COMMANDS, PANEL_TYPES } from '../../shared/ids';
import { readDeploymentDetails } from '../../workflows/promotion/history';
import { readDeploymentLog, type DeploymentLog } from '../../workflows/promotion/log';
import { recordPanelKey, RecordPanels } from '../shared/recordPanels';
import { makeNonce } from '../shared/security';
import { WorkQueue } from '../shared/workQueue';
import { html } from './html';
import { detailsView, FIRST_PAGE, logState, WHOLE_LOG } from './present';

export const VIEW_TYPE = PANEL_TYPES.deploymentLog;

/** The id half of a log panel's key (one log panel per environment). */
const LOG_ID = 'log';

/** The environment a restored log panel's webview saved (`{ environment, id: 'log' }`, or `{ environment }` before the id was saved). */
export function parseLogWebviewState(x: unknown): { environment: string; id: string } | undefined {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return undefined;
  const o = x as Record<string, unknown>;
  if (typeof o.environment !== 'string' || !o.environment || o.environment.length > 80) return undefined;
  if (o.id !== undefined && o.id !== LOG_ID) return undefined;
  return { environment: o.environment, id: LOG_ID };
}

export class DeploymentLogPanel implements vscode.Disposable {
  private history: HistoryDeployment[] = [];
  private readAt = '';
  private notes: string[] = [];
  private filter: LogFilterView = EMPTY_FILTER;
  private selected?: string;
  private state?: LogPanelState;
  private failure?: string;
  private ready = false;
  private isDisposed = false;
  private readonly queue = new WorkQueue(
    (busy, what) => void this.post(busy ? { type: 'busy', busy: true, what: what! } : { type: 'busy', busy: false }),
    (what, e) => this.fail(what, e),
  );
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  /** Messages refused (why), the first 50; for tests and the log. */
  readonly refused: string[] = [];
  /** Types of the messages the webview sent (the first 200), so tests see that it loaded. */
  readonly fromWebview: string[] = [];
  readonly key: string;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly environment: string,
    private readonly ctx: Ctx,
    select?: string,
  ) {
    this.selected = select;
    this.key = recordPanelKey(environment, LOG_ID);
    const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'changeline.svg');
    panel.title = `Deployment Log (${environment})`;
    panel.webview.html = html({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'deploymentLog.js')).toString(),
      codiconUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => {
        if (this.fromWebview.length < 200) this.fromWebview.push(typeof m?.type === 'string' ? m.type.slice(0, 40) : typeof m);
        void this.handleMessage(m);
      }),
    );
    void this.reload();
  }

  /** Reads the log again from the org (keeps the filter); `select` a deployment by id when shown. */
  reload(select?: string): Promise<void> {
    if (select) this.selected = select;
    return this.queue.enqueue('Reading the deployment log', async () => {
      const pipeline = this.ctx.model.status.kind === 'ok' ? this.ctx.model.status.pipeline : undefined;
      // The newest first, shown at once; then the whole history (what Salesforce keeps: 30 days).
      const first = await readDeploymentLog(this.ctx, this.environment, { pipeline, limit: FIRST_PAGE });
      this.show(first);
      if (first.total < FIRST_PAGE) return;
      this.show(await readDeploymentLog(this.ctx, this.environment, { pipeline, limit: WHOLE_LOG }));
    });
  }

  private show(log: DeploymentLog): void {
    this.history = log.deployments;
    this.readAt = log.readAt;
    this.notes = log.notes;
    this.failure = undefined;
    this.publish();
  }

  /** The last state sent (or about to be sent); for tests. */
  lastState(): LogPanelState | undefined {
    return this.state;
  }

  /** Why the log could not be read, if it could not (for tests). */
  loadFailure(): string | undefined {
    return this.failure;
  }

  /** Resolves once the work queued so far is done (tests wait on it). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Reads the log again when its last read failed (opening it again is a retry). */
  retryIfUnloaded(): void {
    if (this.failure) void this.reload();
  }

  /** Handles one message from the webview (tests call it with the same messages); malformed ones are refused and logged. */
  handleMessage(raw: unknown): Promise<void> {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) {
      if (this.refused.length < 50) this.refused.push(parsed.error);
      this.ctx.log.warn(`Deployment log of ${this.environment}: ignored a message from the webview (${parsed.error}).`);
      return Promise.resolve();
    }
    const m = parsed.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.state) void this.post({ type: 'state', state: this.state });
        else if (this.failure) void this.post({ type: 'failed', text: this.failure });
        return Promise.resolve();
      case 'refresh':
        return this.reload();
      case 'revertLatest':
        // The command finds the latest Changeline deployment to the environment, asks, reverts, and reads this log again.
        void vscode.commands.executeCommand(COMMANDS.revertLatestDeployment.id, { environment: this.environment });
        return Promise.resolve();
      case 'filter':
        this.filter = m.filter;
        this.publish();
        return Promise.resolve();
      case 'details': {
        if (!this.history.some((d) => d.id === m.id)) {
          if (this.refused.length < 50) this.refused.push(`details of ${m.id}, which this log does not show`);
          this.ctx.log.warn(`Deployment log of ${this.environment}: ignored details of ${m.id}, which it does not show.`);
          return Promise.resolve();
        }
        this.selected = m.id;
        return this.queue.enqueue('Reading the deployment', async () => {
          try {
            const d = await readDeploymentDetails(this.ctx, this.environment, m.id);
            void this.post({ type: 'details', details: detailsView(d) });
          } catch (e) {
            const text = scrubSecrets(`The details of ${m.id} could not be read: ${(e as Error)?.message ?? String(e)}`);
            this.ctx.log.warn(text);
            void this.post({ type: 'detailsFailed', id: m.id, text });
          }
        });
      }
    }
  }

  private publish(): void {
    this.state = logState(this.environment, this.history, this.filter, { readAt: this.readAt, notes: this.notes, selected: this.selected });
    void this.post({ type: 'state', state: this.state });
  }

  private fail(what: string, e: unknown): void {
    const text = scrubSecrets(`${what} failed: ${(e as Error)?.message ?? String(e)}`);
    this.ctx.log.warn(`Deployment log of ${this.environment}: ${text}`);
    this.failure = text;
    void this.post({ type: 'failed', text });
  }

  private post(m: ToWebview): Thenable<boolean> {
    if (!this.ready || this.isDisposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(m);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}

/** The open log panels, one per environment; restored after a reload (the webview saves its environment). */
export class DeploymentLogPanels implements vscode.Disposable {
  private readonly panels: RecordPanels<DeploymentLogPanel, { environment: string; id: string }>;
  private selectOnCreate?: string;

  /** `serializer: false` leaves VS Code's restore hook to another instance (tests restore through `revive`). */
  constructor(ctx: Ctx, opts: { serializer?: boolean } = {}) {
    this.panels = new RecordPanels(
      {
        viewType: VIEW_TYPE,
        title: 'Deployment Log',
        extensionUri: ctx.extension.extensionUri,
        parseState: parseLogWebviewState,
        create: (panel, environment) => new DeploymentLogPanel(panel, environment, ctx, this.selectOnCreate),
      },
      opts,
    );
  }

  /** Opens the environment's log (or reveals it and reads it again); `select` a deployment by id. */
  open(environment: string, select?: string): DeploymentLogPanel {
    const open = this.panels.get(environment, LOG_ID);
    if (open) {
      open.reveal();
      void open.reload(select);
      return open;
    }
    this.selectOnCreate = select;
    try {
      return this.panels.open(environment, LOG_ID);
    } finally {
      this.selectOnCreate = undefined;
    }
  }

  /** Takes over a log panel VS Code restored after a reload (undefined when its state names no environment). */
  revive(panel: vscode.WebviewPanel, state: unknown): DeploymentLogPanel | undefined {
    return this.panels.revive(panel, state);
  }

  get(environment: string): DeploymentLogPanel | undefined {
    return this.panels.get(environment, LOG_ID);
  }

  dispose(): void {
    this.panels.dispose();
  }
}
