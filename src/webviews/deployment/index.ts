/**
 * The deployment panels: one per `${environment}:${id}`, opened (or revealed) by the open command
 * and restored after a reload by a WebviewPanelSerializer from the webview's own state.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { parseWebviewState } from '../../shared/deploymentProtocol';
import { DeploymentPanel, panelKey, VIEW_TYPE, type PanelDeps } from './panel';

export { DeploymentPanel } from './panel';

export class DeploymentPanels implements vscode.Disposable {
  private readonly panels = new Map<string, DeploymentPanel>();
  private readonly deps: PanelDeps;
  private readonly registration: vscode.Disposable;

  /** `serializer: false` leaves VS Code's restore hook to another instance (tests restore through `revive`). */
  constructor(ctx: Ctx, opts: { serializer?: boolean } = {}) {
    this.deps = { ctx };
    this.registration =
      opts.serializer === false
        ? { dispose: () => undefined }
        : vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
            deserializeWebviewPanel: async (panel, state) => void this.revive(panel, state),
          });
  }

  /**
   * Takes over a panel VS Code restored after a reload, from the state its webview saved (the
   * environment and the record id). Undefined when there is nothing to restore.
   */
  revive(panel: vscode.WebviewPanel, state: unknown): DeploymentPanel | undefined {
    const s = parseWebviewState(state);
    if (!s) {
      // Nothing to restore (the panel closed before it loaded): close it rather than show an empty panel.
      panel.dispose();
      return undefined;
    }
    const existing = this.panels.get(panelKey(s.environment, s.id));
    if (existing) {
      panel.dispose();
      existing.reveal();
      return existing;
    }
    return this.track(new DeploymentPanel(panel, s.environment, s.id, this.deps, s));
  }

  /** Opens the panel of a deployment record, or reveals it when already open. */
  open(environment: string, id: string): DeploymentPanel {
    const existing = this.panels.get(panelKey(environment, id));
    if (existing) {
      existing.reveal();
      existing.retryIfUnloaded();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Deployment', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.ctx.extension.extensionUri, 'dist', 'webview')],
    });
    return this.track(new DeploymentPanel(panel, environment, id, this.deps));
  }

  /** The open panel of a record, if any. */
  get(environment: string, id: string): DeploymentPanel | undefined {
    return this.panels.get(panelKey(environment, id));
  }

  all(): DeploymentPanel[] {
    return [...this.panels.values()];
  }

  /** Reads the open panels' records again (of one environment, or all), after a change made elsewhere. */
  refresh(environment?: string): void {
    for (const p of this.panels.values()) if (environment === undefined || p.environment === environment) void p.refresh();
  }

  private track(p: DeploymentPanel): DeploymentPanel {
    this.panels.set(p.key, p);
    p.onDidDispose(() => {
      if (this.panels.get(p.key) === p) this.panels.delete(p.key);
    });
    return p;
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
