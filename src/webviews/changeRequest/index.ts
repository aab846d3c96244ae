/**
 * The change request editor panels: one per `${environment}:${id}`, opened (or revealed) by the
 * commands and restored after a reload by a WebviewPanelSerializer from the webview's own state.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { parseWebviewState } from '../../shared/changeRequestProtocol';
import { OrgDataCache } from './orgData';
import { ChangeRequestPanel, panelKey, VIEW_TYPE, type PanelDeps } from './panel';

export { ChangeRequestPanel } from './panel';

export class ChangeRequestPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ChangeRequestPanel>();
  private readonly deps: PanelDeps;
  private readonly registration: vscode.Disposable;

  /** `serializer: false` leaves VS Code's restore hook to another instance (tests restore through `revive`). */
  constructor(ctx: Ctx, opts: { serializer?: boolean } = {}) {
    this.deps = {
      ctx,
      cache: new OrgDataCache(ctx),
      confirm: async (message, action) => ctx.prompts.confirm(message, action),
    };
    this.registration =
      opts.serializer === false
        ? { dispose: () => undefined }
        : vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
            deserializeWebviewPanel: async (panel, state) => void this.revive(panel, state),
          });
  }

  /**
   * Takes over a panel VS Code restored after a reload, from the state its webview saved (the
   * webview keeps the unsaved draft itself). Undefined when there is nothing to restore.
   */
  revive(panel: vscode.WebviewPanel, state: unknown): ChangeRequestPanel | undefined {
    const s = parseWebviewState(state);
    if (!s) {
      // Nothing to restore (the panel closed before it loaded): close it rather than show an empty editor.
      panel.dispose();
      return undefined;
    }
    const existing = this.panels.get(panelKey(s.environment, s.id));
    if (existing) {
      panel.dispose();
      existing.reveal();
      return existing;
    }
    return this.track(new ChangeRequestPanel(panel, s.environment, s.id, this.deps, s));
  }

  /** Opens the editor of a CR, or reveals it when already open. */
  open(environment: string, id: string): ChangeRequestPanel {
    const existing = this.panels.get(panelKey(environment, id));
    if (existing) {
      existing.reveal();
      existing.retryIfUnloaded();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Change Request', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.ctx.extension.extensionUri, 'dist', 'webview')],
    });
    return this.track(new ChangeRequestPanel(panel, environment, id, this.deps));
  }

  /** The open editor of a CR, if any. */
  get(environment: string, id: string): ChangeRequestPanel | undefined {
    return this.panels.get(panelKey(environment, id));
  }

  all(): ChangeRequestPanel[] {
    return [...this.panels.values()];
  }

  /** Replaces the confirmation dialog (tests answer it themselves). */
  setConfirm(confirm: PanelDeps['confirm']): void {
    this.deps.confirm = confirm;
  }

  /** Forgets the users, types and components read from the orgs (after a refresh). */
  clearCache(environment?: string): void {
    this.deps.cache.clear(environment);
  }

  private track(p: ChangeRequestPanel): ChangeRequestPanel {
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

/** Opens (or reveals) the editor of change request `id` in `environment`. */
export function openChangeRequestPanel(ctx: Ctx, environment: string, id: string): ChangeRequestPanel {
  return ctx.changeRequestPanels.open(environment, id);
}
