/**
 * The panels of one kind that each show one org record (a change request, a deployment record):
 * one per `${environment}:${id}`, opened or revealed, restored after a reload by a
 * WebviewPanelSerializer from the state the webview saved, and forgotten when closed.
 */
import * as vscode from 'vscode';

/** The key of a record's panel: one panel per record of an environment. */
export const recordPanelKey = (environment: string, id: string): string => `${environment}:${id}`;

/** What the registry needs of a panel. */
export interface RecordPanel extends vscode.Disposable {
  readonly key: string;
  readonly environment: string;
  readonly onDidDispose: vscode.Event<void>;
  reveal(): void;
  /** Loads again a panel whose first load failed (opening it again is a retry). */
  retryIfUnloaded(): void;
}

export interface RecordPanelKind<P extends RecordPanel, S extends { environment: string; id: string }> {
  viewType: string;
  /** The tab's title until the panel names its record. */
  title: string;
  extensionUri: vscode.Uri;
  /** The state a webview saved, or undefined when it names no record. */
  parseState(state: unknown): S | undefined;
  /** A panel around a new or restored webview panel (restored: with its saved state). */
  create(panel: vscode.WebviewPanel, environment: string, id: string, restored?: S): P;
}

export class RecordPanels<P extends RecordPanel, S extends { environment: string; id: string }> implements vscode.Disposable {
  private readonly panels = new Map<string, P>();
  private readonly registration: vscode.Disposable;

  /** `serializer: false` leaves VS Code's restore hook to another instance (tests restore through `revive`). */
  constructor(
    private readonly kind: RecordPanelKind<P, S>,
    opts: { serializer?: boolean } = {},
  ) {
    this.registration =
      opts.serializer === false
        ? { dispose: () => undefined }
        : vscode.window.registerWebviewPanelSerializer(kind.viewType, {
            deserializeWebviewPanel: async (panel, state) => void this.revive(panel, state),
          });
  }

  /**
   * Takes over a panel VS Code restored after a reload, from the state its webview saved.
   * Undefined when there is nothing to restore.
   */
  revive(panel: vscode.WebviewPanel, state: unknown): P | undefined {
    const s = this.kind.parseState(state);
    if (!s) {
      // Nothing to restore (the panel closed before it loaded): close it rather than show an empty panel.
      panel.dispose();
      return undefined;
    }
    const existing = this.panels.get(recordPanelKey(s.environment, s.id));
    if (existing) {
      panel.dispose();
      existing.reveal();
      return existing;
    }
    return this.track(this.kind.create(panel, s.environment, s.id, s));
  }

  /** Opens the panel of a record, or reveals it (loading it again if it failed) when already open. */
  open(environment: string, id: string): P {
    const existing = this.panels.get(recordPanelKey(environment, id));
    if (existing) {
      existing.reveal();
      existing.retryIfUnloaded();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this.kind.viewType, this.kind.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.kind.extensionUri, 'dist', 'webview')],
    });
    return this.track(this.kind.create(panel, environment, id));
  }

  /** The open panel of a record, if any. */
  get(environment: string, id: string): P | undefined {
    return this.panels.get(recordPanelKey(environment, id));
  }

  all(): P[] {
    return [...this.panels.values()];
  }

  private track(p: P): P {
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
