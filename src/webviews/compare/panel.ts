/**
 * Compare panels: one per source → target pair (a new compare of the same pair reuses it),
 * restored after a reload from the saved result. The panel only shows and forwards: what its
 * buttons do is given by the compare commands (`CompareActions`).
 */
import * as vscode from 'vscode';
import { CONTEXT_KEYS, PANEL_TYPES } from '../../shared/ids';
import {
  InvalidMessageError,
  parseCompareMessage,
  parseWebviewState,
  type ComponentRefMsg,
  type CompareView,
  type HostMessage,
  type WebviewMessage,
} from '../../shared/compareProtocol';
import type { Log } from '../../log';
import { compareHtml } from './html';

export interface CompareActions {
  refresh(panel: ComparePanel, full: boolean): Promise<unknown>;
  openDiff(panel: ComparePanel, ref: ComponentRefMsg, path?: string): Promise<unknown>;
  exportCsv(panel: ComparePanel): Promise<unknown>;
  createChangeRequest(panel: ComparePanel, refs: ComponentRefMsg[]): Promise<unknown>;
  /** The last saved result of a pair (for a panel restored after a reload). */
  loadSaved(sourceEnv: string, targetEnv: string): Promise<CompareView | undefined>;
}

const keyOf = (sourceEnv: string, targetEnv: string) => `${sourceEnv}\u0000${targetEnv}`;
export const compareTitle = (sourceEnv: string, targetEnv: string) => `Compare ${sourceEnv} ↔ ${targetEnv}`;

export class ComparePanel implements vscode.Disposable {
  private readyNow = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  /** Messages handled so far (tests wait on them). */
  handled = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly sourceEnv: string,
    readonly targetEnv: string,
    private current: CompareView | undefined,
    private readonly actions: CompareActions,
    private readonly log: Log,
    extensionUri: vscode.Uri,
  ) {
    const root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.webview.html = compareHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'compare.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'compare.css')).toString(),
      codiconUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
      title: compareTitle(sourceEnv, targetEnv),
    });
    panel.title = compareTitle(sourceEnv, targetEnv);
    this.disposables.push(
      this.disposed,
      panel.webview.onDidReceiveMessage((m: unknown) => void this.handleMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The result shown (undefined while a restored panel has none). */
  get view(): CompareView | undefined {
    return this.current;
  }

  /** Whether the webview has said it is ready (it then has the current result). */
  get ready(): boolean {
    return this.readyNow;
  }

  show(view: CompareView, preserveFocus = false): void {
    this.current = view;
    this.post({ type: 'init', view });
    this.panel.reveal(undefined, preserveFocus);
  }

  setBusy(text: string | undefined): void {
    this.post(text ? { type: 'busy', text } : { type: 'idle' });
  }

  private post(message: HostMessage): void {
    if (this.readyNow) void this.panel.webview.postMessage(message);
  }

  /** Every message from the webview goes through here, validated first. */
  async handleMessage(raw: unknown): Promise<void> {
    let msg: WebviewMessage;
    try {
      msg = parseCompareMessage(raw);
    } catch (e) {
      if (e instanceof InvalidMessageError) {
        this.log.warn(e.message);
        return;
      }
      throw e;
    }
    try {
      switch (msg.type) {
        case 'ready':
          this.readyNow = true;
          if (!this.current) this.current = await this.actions.loadSaved(this.sourceEnv, this.targetEnv);
          this.post(
            this.current
              ? { type: 'init', view: this.current }
              : { type: 'empty', sourceEnv: this.sourceEnv, targetEnv: this.targetEnv, reason: 'The last result of this compare is not saved any more.' },
          );
          break;
        case 'openDiff':
          await this.actions.openDiff(this, msg.ref, msg.path);
          break;
        case 'exportCsv':
          await this.actions.exportCsv(this);
          break;
        case 'createChangeRequest':
          await this.actions.createChangeRequest(this, msg.refs);
          break;
        case 'refresh':
          await this.actions.refresh(this, msg.full);
          break;
      }
    } finally {
      this.handled++;
    }
  }

  dispose(): void {
    this.disposed.fire();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.panel.dispose();
  }
}

export class ComparePanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ComparePanel>();
  private lastActive: ComparePanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Log,
    private readonly actions: CompareActions,
  ) {}

  register(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_TYPES.compare, this);
  }

  get(sourceEnv: string, targetEnv: string): ComparePanel | undefined {
    return this.panels.get(keyOf(sourceEnv, targetEnv));
  }

  all(): ComparePanel[] {
    return [...this.panels.values()];
  }

  /** The focused compare panel, else the one focused last. */
  active(): ComparePanel | undefined {
    return this.all().find((p) => p.panel.active) ?? (this.lastActive && this.panels.has(keyOf(this.lastActive.sourceEnv, this.lastActive.targetEnv)) ? this.lastActive : undefined);
  }

  /** Shows a result in its pair's panel, creating the panel if needed. */
  show(view: CompareView): ComparePanel {
    const existing = this.get(view.sourceEnv, view.targetEnv);
    if (existing) {
      existing.show(view);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_TYPES.compare, compareTitle(view.sourceEnv, view.targetEnv), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
    });
    return this.adopt(panel, view.sourceEnv, view.targetEnv, view);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const s = parseWebviewState(state);
    if (!s) {
      // Nothing says which compare this was: close it rather than show an empty shell.
      panel.dispose();
      return;
    }
    this.adopt(panel, s.sourceEnv, s.targetEnv, undefined);
  }

  private adopt(panel: vscode.WebviewPanel, sourceEnv: string, targetEnv: string, view: CompareView | undefined): ComparePanel {
    const p = new ComparePanel(panel, sourceEnv, targetEnv, view, this.actions, this.log, this.extensionUri);
    const key = keyOf(sourceEnv, targetEnv);
    this.panels.set(key, p);
    this.lastActive = p;
    const focus = () => {
      if (panel.active) this.lastActive = p;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.compareFocused, this.all().some((x) => x.panel.active));
    };
    focus();
    panel.onDidChangeViewState(focus);
    p.onDidDispose(() => {
      if (this.panels.get(key) === p) this.panels.delete(key);
      if (this.lastActive === p) this.lastActive = undefined;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.compareFocused, this.all().some((x) => x.panel.active));
    });
    return p;
  }

  dispose(): void {
    for (const p of this.all()) p.dispose();
    this.panels.clear();
  }
}
