/**
 * One deployment queue panel per environment: shows the queue (entries, who may act), answers the
 * webview's validated messages — Deploy and Reject run their commands with `{ environment, id }`,
 * Diff opens a component's package version against the environment's — and reads the queue again
 * after each. Work runs one step at a time, in the order it arrives.
 */
import * as vscode from 'vscode';
import { componentKey, type ComponentRef } from '../../core/metadata-types';
import { entryLabel, type QueueEntry } from '../../core/promotion';
import { scrubSecrets } from '../../core/scrub';
import type { Ctx } from '../../ctx';
import { COMMANDS, PANEL_TYPES } from '../../shared/ids';
import { parseFromWebview, type QueueState, type ToWebview } from '../../shared/queueProtocol';
import { toOrgFileUri } from '../../views/orgFiles';
import type { QueueView } from '../../workflows/promotion/queue';
import { recordPanelKey } from '../shared/recordPanels';
import { WorkQueue } from '../shared/workQueue';
import { matchTargetPath } from '../deployment/present';
import { html, makeNonce } from './html';
import { queueState } from './present';

export const VIEW_TYPE = PANEL_TYPES.queue;

export class QueuePanel implements vscode.Disposable {
  private view?: QueueView;
  private state?: QueueState;
  private ready = false;
  private failure?: string;
  private readonly queue = new WorkQueue(
    (busy, what) => void this.post(busy ? { type: 'busy', busy: true, what: what! } : { type: 'busy', busy: false }),
    (what, e) => this.fail(what, e),
  );
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  readonly key: string;
  readonly id = 'queue';
  /** Messages refused (why), the first 50; for tests and the log. */
  readonly refused: string[] = [];
  /** Types of the messages the webview sent (the first 200): tests see it loaded. */
  readonly fromWebview: string[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly environment: string,
    private readonly ctx: Ctx,
  ) {
    this.key = recordPanelKey(environment, 'queue');
    const root = vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'changeline.svg');
    panel.title = `Queue (${environment})`;
    panel.webview.html = html({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'queue.js')).toString(),
      codiconUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => {
        if (this.fromWebview.length < 200) this.fromWebview.push(typeof m?.type === 'string' ? m.type.slice(0, 40) : typeof m);
        void this.handleMessage(m);
      }),
    );
    void this.refresh();
  }

  reveal(): void {
    this.panel.reveal();
  }

  retryIfUnloaded(): void {
    if (!this.view) void this.refresh();
  }

  lastState(): QueueState | undefined {
    return this.state;
  }

  loadFailure(): string | undefined {
    return this.failure;
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  refresh(): Promise<void> {
    return this.queue.enqueue('Reading the queue', () => this.load());
  }

  /** Handles one message from the webview (tests call it with the same messages); malformed ones are refused and logged. */
  handleMessage(raw: unknown): Promise<void> {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) return this.refuse(parsed.error);
    const m = parsed.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.state) void this.post({ type: 'state', state: this.state });
        else if (this.failure) void this.post({ type: 'failed', text: this.failure });
        return Promise.resolve();
      case 'reload':
        return this.refresh();
      case 'deploy':
      case 'reject':
      case 'withdraw': {
        if (!this.entry(m.id)) return this.refuse(`${m.type} of entry ${m.id}, which is not in ${this.environment}'s queue as shown`);
        const command = m.type === 'deploy' ? COMMANDS.deployQueueEntry.id : m.type === 'reject' ? COMMANDS.rejectQueueEntry.id : COMMANDS.withdrawQueueEntry.id;
        return this.queue.enqueue(m.type === 'deploy' ? 'Deploying' : m.type === 'reject' ? 'Rejecting' : 'Withdrawing', async () => {
          try {
            await vscode.commands.executeCommand(command, { environment: this.environment, id: m.id });
          } finally {
            await this.load();
          }
        });
      }
      case 'revert': {
        if (this.entry(m.id)?.status !== 'Deployed') return this.refuse(`revert of entry ${m.id}, which is not a deployed entry of ${this.environment}'s queue as shown`);
        return this.queue.enqueue('Reverting', async () => {
          try {
            await vscode.commands.executeCommand(COMMANDS.revertLatestDeployment.id, { environment: this.environment, entry: m.id });
          } finally {
            await this.load();
          }
        });
      }
      case 'diff': {
        const e = this.entry(m.id);
        if (!e) return this.refuse(`diff of entry ${m.id}, which is not in ${this.environment}'s queue as shown`);
        if (!e.components.some((c) => componentKey(c) === componentKey(m.component))) return this.refuse(`diff of ${m.component.type} ${m.component.fullName}, which ${e.number} does not carry`);
        return this.queue.enqueue('Reading both versions', () => this.diff(e, m.component));
      }
    }
  }

  private entry(id: string): QueueEntry | undefined {
    return this.view?.entries.find((e) => e.id === id);
  }

  private refuse(error: string): Promise<void> {
    if (this.refused.length < 50) this.refused.push(error);
    this.ctx.log.warn(`Queue panel ${this.environment}: ignored a message from the webview (${error}).`);
    return Promise.resolve();
  }

  private async load(): Promise<void> {
    await this.ctx.queues.refresh(this.environment);
    const s = this.ctx.queues.state(this.environment);
    if (s.kind === 'error') throw new Error(s.message);
    if (s.kind !== 'ready') return;
    this.view = s.view;
    this.failure = undefined;
    this.state = queueState(s.view);
    const waiting = this.ctx.queues.waitingCount(this.environment) ?? 0;
    this.panel.title = `Queue (${this.environment}${waiting ? `, ${waiting} waiting` : ''})`;
    void this.post({ type: 'state', state: this.state });
  }

  /** The native diff: the environment's current version left, the entry's package version right. */
  private async diff(e: QueueEntry, ref: ComponentRef): Promise<void> {
    if (!e.packageFileId) throw new Error(`${entryLabel(e)} has no package in ${this.environment}.`);
    const [sf, session] = await Promise.all([this.ctx.salesforce(), this.ctx.sessions.get(this.environment)]);
    const zip = await sf.readStoredPackage(session.handle, e.packageFileId);
    const files = sf.readPackage({ zip }).files.filter((f) => f.ref && componentKey(f.ref) === componentKey(ref));
    const file = files.find((f) => !f.path.endsWith('-meta.xml')) ?? files[0];
    if (!file) throw new Error(`The package of ${entryLabel(e)} has no file of ${ref.type} ${ref.fullName}.`);
    const theirs = await this.ctx.compare.files.get(this.environment, ref);
    const match = matchTargetPath(file.path, [...theirs.keys()]);
    const left = toOrgFileUri(this.environment, match ?? file.path.split('/').slice(1).join('/'));
    this.ctx.compare.orgFiles.set(left, match !== undefined ? (theirs.get(match) ?? '') : '');
    const right = toOrgFileUri(`${e.number ?? 'Queue entry'} package`, file.path);
    this.ctx.compare.orgFiles.set(right, file.text);
    const missing = match === undefined ? ` — not in ${this.environment}` : '';
    await vscode.commands.executeCommand('vscode.diff', left, right, `${file.path.split('/').pop()} (${this.environment} ↔ ${e.number ?? 'package'})${missing}`, { preview: true });
  }

  private post(m: ToWebview): Thenable<boolean> {
    if (!this.ready || this.isDisposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(m);
  }

  private fail(what: string, e: unknown): void {
    this.ctx.log.error(`Queue panel ${this.environment}: ${what} failed`, e);
    const text = `${what} failed: ${scrubSecrets((e as Error)?.message ?? String(e))}`;
    if (this.view) void this.post({ type: 'banner', kind: 'error', text });
    else {
      this.failure = text;
      void this.post({ type: 'failed', text });
    }
  }

  private isDisposed = false;

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}
