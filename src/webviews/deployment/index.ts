/**
 * The deployment panels: one per record (src/webviews/shared/recordPanels.ts), opened (or
 * revealed) by the open command and restored after a reload from the webview's own state.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { parseWebviewState, type WebviewState } from '../../shared/deploymentProtocol';
import { RecordPanels } from '../shared/recordPanels';
import { DeploymentPanel, VIEW_TYPE } from './panel';

export { DeploymentPanel } from './panel';

export class DeploymentPanels implements vscode.Disposable {
  private readonly panels: RecordPanels<DeploymentPanel, WebviewState>;

  /** `serializer: false` leaves VS Code's restore hook to another instance (tests restore through `revive`). */
  constructor(ctx: Ctx, opts: { serializer?: boolean } = {}) {
    const deps = { ctx };
    this.panels = new RecordPanels(
      {
        viewType: VIEW_TYPE,
        title: 'Deployment',
        extensionUri: ctx.extension.extensionUri,
        parseState: parseWebviewState,
        create: (panel, environment, id, restored) => new DeploymentPanel(panel, environment, id, deps, restored),
      },
      opts,
    );
  }

  /** Takes over a panel VS Code restored after a reload; undefined when there is nothing to restore. */
  revive(panel: vscode.WebviewPanel, state: unknown): DeploymentPanel | undefined {
    return this.panels.revive(panel, state);
  }

  /** Opens the panel of a deployment record, or reveals it when already open. */
  open(environment: string, id: string): DeploymentPanel {
    return this.panels.open(environment, id);
  }

  /** The open panel of a record, if any. */
  get(environment: string, id: string): DeploymentPanel | undefined {
    return this.panels.get(environment, id);
  }

  all(): DeploymentPanel[] {
    return this.panels.all();
  }

  /** Reads the open panels' records again (of one environment, or all), after a change made elsewhere. */
  refresh(environment?: string): void {
    for (const p of this.panels.all()) if (environment === undefined || p.environment === environment) void p.refresh();
  }

  dispose(): void {
    this.panels.dispose();
  }
}
