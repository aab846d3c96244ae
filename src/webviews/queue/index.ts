/** The deployment queue panels: one per environment, opened or revealed, restored after a reload. */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { parseWebviewState, type WebviewState } from '../../shared/queueProtocol';
import { RecordPanels } from '../shared/recordPanels';
import { QueuePanel, VIEW_TYPE } from './panel';

export { QueuePanel } from './panel';

export class QueuePanels implements vscode.Disposable {
  private readonly panels: RecordPanels<QueuePanel, WebviewState>;

  constructor(ctx: Ctx, opts: { serializer?: boolean } = {}) {
    this.panels = new RecordPanels(
      {
        viewType: VIEW_TYPE,
        title: 'Deployment Queue',
        extensionUri: ctx.extension.extensionUri,
        parseState: parseWebviewState,
        create: (panel, environment) => new QueuePanel(panel, environment, ctx),
      },
      opts,
    );
  }

  open(environment: string): QueuePanel {
    return this.panels.open(environment, 'queue');
  }

  get(environment: string): QueuePanel | undefined {
    return this.panels.get(environment, 'queue');
  }

  /** Reads the open panels' queues again (of one environment, or all). */
  refresh(environment?: string): void {
    for (const p of this.panels.all()) if (environment === undefined || p.environment === environment) void p.refresh();
  }

  dispose(): void {
    this.panels.dispose();
  }
}
