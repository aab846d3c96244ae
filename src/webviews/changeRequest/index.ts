/**
 * The change request editor panels: one per record (src/webviews/shared/recordPanels.ts), opened
 * (or revealed) by the commands and restored after a reload from the webview's own state (the
 * webview keeps the unsaved draft itself).
 */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { parseWebviewState, type WebviewState } from '../../shared/changeRequestProtocol';
import { RecordPanels } from '../shared/recordPanels';
import { OrgDataCache } from './orgData';
import { ChangeRequestPanel, VIEW_TYPE, type PanelDeps } from './panel';

export { ChangeRequestPanel } from './panel';

export class ChangeRequestPanels implements vscode.Disposable {
  private readonly deps: PanelDeps;
  private readonly panels: RecordPanels<ChangeRequestPanel, WebviewState>;

  /** `serializer: false` leaves VS Code's restore hook to another instance (tests restore through `revive`). */
  constructor(ctx: Ctx, opts: { serializer?: boolean } = {}) {
    const deps: PanelDeps = {
      ctx,
      cache: new OrgDataCache(ctx),
      confirm: async (message, action) => ctx.prompts.confirm(message, action),
    };
    this.deps = deps;
    this.panels = new RecordPanels(
      {
        viewType: VIEW_TYPE,
        title: 'Change Request',
        extensionUri: ctx.extension.extensionUri,
        parseState: parseWebviewState,
        create: (panel, environment, id, restored) => new ChangeRequestPanel(panel, environment, id, deps, restored),
      },
      opts,
    );
  }

  /** Takes over a panel VS Code restored after a reload; undefined when there is nothing to restore. */
  revive(panel: vscode.WebviewPanel, state: unknown): ChangeRequestPanel | undefined {
    return this.panels.revive(panel, state);
  }

  /** Opens the editor of a CR, or reveals it when already open. */
  open(environment: string, id: string): ChangeRequestPanel {
    return this.panels.open(environment, id);
  }

  /** The open editor of a CR, if any. */
  get(environment: string, id: string): ChangeRequestPanel | undefined {
    return this.panels.get(environment, id);
  }

  all(): ChangeRequestPanel[] {
    return this.panels.all();
  }

  /** Replaces the confirmation dialog (tests answer it themselves). */
  setConfirm(confirm: PanelDeps['confirm']): void {
    this.deps.confirm = confirm;
  }

  /** Forgets the users, types and components read from the orgs (after a refresh). */
  clearCache(environment?: string): void {
    this.deps.cache.clear(environment);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

/** Opens (or reveals) the editor of change request `id` in `environment`. */
export function openChangeRequestPanel(ctx: Ctx, environment: string, id: string): ChangeRequestPanel {
  return ctx.changeRequestPanels.open(environment, id);
}
