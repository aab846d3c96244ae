/**
 * One change request editor panel: loads the CR, its history and the org's users through the
 * environment's session, answers the webview's (validated) messages with the core operations, and
 * keeps the title's dirty marker. Operations run one at a time, in the order they arrive.
 */
import * as vscode from 'vscode';
import { recordPanelKey } from '../shared/recordPanels';
import { WorkQueue } from '../shared/workQueue';
import {
  changeStatus,
  editRequest,
  resolve,
  saveResolution,
  verifyChain,
  type ChangeRequest,
  type HistoryEntry,
  type MergeResult,
  type OpContext,
  type Outcome,
} from '../../core/change-requests';
import { scrubSecrets } from '../../core/scrub';
import type { Ctx } from '../../ctx';
import { COMMANDS, PANEL_TYPES } from '../../shared/ids';
import {
  parseFromWebview,
  type BannerKind,
  type DraftFields,
  type FromWebview,
  type PanelState,
  type ToWebview,
  type UserView,
  type WebviewState,
} from '../../shared/changeRequestProtocol';
import { html, makeNonce } from './html';
import { filterComponents, type OrgDataCache } from './orgData';
import { conflictView, panelState, panelTitle, userName } from './present';

export interface PanelDeps {
  ctx: Ctx;
  cache: OrgDataCache;
  /** Asks before an irreversible step (cancel); a modal dialog unless replaced. */
  confirm: (message: string, action: string) => Promise<boolean>;
}

interface PendingConflict {
  reason: string;
  result: MergeResult;
  theirs: ChangeRequest;
}


export class ChangeRequestPanel implements vscode.Disposable {
  private base?: ChangeRequest;
  private history: HistoryEntry[] = [];
  private tamperedIndex?: number;
  private users: UserView[] = [];
  private me = { userId: '', name: '' };
  private dirty = false;
  private ready = false;
  private conflict?: PendingConflict;
  private remoteChanged = false;
  private banner?: { kind: BannerKind; text: string };
  private state?: PanelState;
  private readonly queue = new WorkQueue(
    (busy, what) => void this.post(busy ? { type: 'busy', busy: true, what: what! } : { type: 'busy', busy: false }),
    (what, e) => this.fail(what, e),
  );
  /** Set while this panel announces its own write, so it does not reload for it. */
  private announcing = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  readonly key: string;
  /** Types of the messages the webview itself sent (the first 200), so tests see that it loaded and rendered. */
  readonly fromWebview: string[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly environment: string,
    readonly id: string,
    private readonly deps: PanelDeps,
    /** The webview's saved state when VS Code restored the panel after a reload (it keeps its own unsaved draft). */
    restored?: WebviewState,
  ) {
    this.revived = !!restored;
    this.keptDraft = restored?.draft;
    this.key = recordPanelKey(environment, id);
    const root = vscode.Uri.joinPath(deps.ctx.extension.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(deps.ctx.extension.extensionUri, 'media', 'changeline.svg');
    panel.title = panelTitle(undefined, false, `Change Request (${environment})`);
    panel.webview.html = html({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'changeRequest.js')).toString(),
      codiconUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => {
        if (this.fromWebview.length < 200) this.fromWebview.push(typeof m?.type === 'string' ? m.type.slice(0, 40) : typeof m);
        void this.handleMessage(m);
      }),
      deps.ctx.sessions.onDidChangeChangeRequests((c) => {
        if (c.environment === environment && (c.id === undefined || c.id === id) && !this.announcing) this.onChangedElsewhere();
      }),
      // A pipeline file that names the environment again (after it had not) loads the CR.
      deps.ctx.model.onDidChange((name) => {
        if (name === undefined && this.failure?.missingEnvironment && deps.ctx.model.environment(environment)) this.retry();
      }),
    );
    this.retry();
  }

  private readonly revived: boolean;
  /** The unsaved edits VS Code restored with the panel, kept until the CR is loaded (offered back if it cannot be). */
  private keptDraft?: DraftFields;
  /** Why the CR could not be loaded (nothing loaded yet). */
  private failure?: { text: string; missingEnvironment: boolean };
  /** What the panel waits for before it can load, said in the webview. */
  private waiting?: string;
  private loading = false;

  /** (Re)loads the CR, keeping a restored panel's unsaved edits; once at a time. */
  private retry(): void {
    if (this.loading) return;
    this.loading = true;
    void this.enqueue('Loading the change request', () => this.load(!this.revived)).finally(() => (this.loading = false));
  }

  /** Shown again by the tree's Open: a panel whose CR could not be loaded tries again. */
  retryIfUnloaded(): void {
    if (!this.base && this.failure) this.retry();
  }

  /** Why the CR could not be loaded, and the unsaved edits offered back; undefined once loaded (for tests). */
  loadFailure(): { text: string; draft?: DraftFields } | undefined {
    return this.failure && { text: this.failure.text, ...(this.keptDraft ? { draft: this.keptDraft } : {}) };
  }

  /** What the panel says it waits for before loading (the pipeline file), if anything (for tests). */
  waitingFor(): string | undefined {
    return this.waiting;
  }

  /** The last state sent (or about to be sent) to the webview; for tests. */
  lastState(): PanelState | undefined {
    return this.state;
  }

  isDirty(): boolean {
    return this.dirty;
  }

  /** Resolves when every operation queued so far has finished (tests wait on it). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /**
   * Handles one message from the webview (the tests call it with the same messages). Malformed
   * messages are refused and logged; the returned promise settles when the work is done.
   */
  handleMessage(raw: unknown): Promise<void> {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) {
      this.deps.ctx.log.warn(`Change request panel ${this.key}: ignored a message from the webview (${parsed.error}).`);
      return Promise.resolve();
    }
    const m: FromWebview = parsed.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.state) void this.post({ type: 'state', state: this.state });
        else if (this.failure) void this.post({ type: 'failed', text: this.failure.text, ...(this.keptDraft ? { draft: this.keptDraft } : {}) });
        else if (this.waiting) void this.post({ type: 'banner', kind: 'info', text: this.waiting });
        return Promise.resolve();
      case 'retry':
        this.retry();
        return this.queue.idle();
      case 'openDraft':
        return this.run(() => this.openDraft(m.fields));
      case 'dirty':
        this.dirty = m.dirty;
        this.updateTitle();
        return Promise.resolve();
      case 'save':
        return this.enqueue('Saving', () => this.save(m.fields));
      case 'resolve':
        return this.enqueue('Saving your resolution', () => this.saveResolution(m.choices));
      case 'transition':
        return this.enqueue('Changing the status', () => this.transition(m.to, m.comment));
      case 'reload':
        return this.enqueue('Reloading', async () => {
          this.conflict = undefined;
          this.remoteChanged = false;
          this.dirty = false;
          await this.load(true);
        });
      case 'openDeployment': {
        const dep = this.base?.deployment;
        if (!dep?.recordId || !dep.environment) {
          this.deps.ctx.log.warn(`Change request panel ${this.key}: ignored Open Deployment (${this.base ? 'the change request names no deployment record in a pipeline environment' : 'not loaded yet'}).`);
          return Promise.resolve();
        }
        return this.run(async () => void (await vscode.commands.executeCommand(COMMANDS.openDeployment.id, { environment: dep.environment, id: dep.recordId })));
      }
      case 'listTypes':
        return this.run(async () => void this.post({ type: 'types', types: await this.deps.cache.metadataTypes(this.environment) }));
      case 'listComponents':
        return this.run(async () => {
          const all = await this.deps.cache.componentsOf(this.environment, m.componentType);
          const { items, total } = filterComponents(all, m.query);
          void this.post({ type: 'components', componentType: m.componentType, query: m.query, items, total });
        });
    }
  }

  private async opContext(): Promise<OpContext> {
    const [sf, session] = await Promise.all([this.deps.ctx.salesforce(), this.deps.ctx.sessions.get(this.environment)]);
    // Without the type list the core skips the type check; the org then refuses unknown types on deploy.
    const knownTypes = await this.deps.cache.metadataTypes(this.environment).catch(() => undefined);
    const users = this.users;
    return {
      store: sf.trackingStore(session.handle),
      actor: { userId: session.userId },
      knownTypes,
      approval: this.deps.ctx.model.approvalPolicy(this.environment),
      userName: (id) => userName(users, id),
    };
  }

  private async load(replaceDraft: boolean): Promise<void> {
    await this.pipelineRead();
    const [sf, session] = await Promise.all([this.deps.ctx.salesforce(), this.deps.ctx.sessions.get(this.environment)]);
    const [cr, history, users] = await Promise.all([
      sf.getChangeRequest(session.handle, this.id),
      sf.readHistory(session.handle, this.id),
      this.deps.cache.activeUsers(this.environment),
    ]);
    this.me = { userId: session.userId, name: session.userFullName };
    this.users = users;
    this.base = cr;
    this.failure = undefined;
    this.lastError = undefined;
    this.setHistory(history);
    this.publish(replaceDraft);
    this.keptDraft = undefined; // the webview has it, and the state now keeps it
  }

  /**
   * After a reload VS Code may restore the panel before Changeline has read the pipeline file;
   * until then no environment is known. Waits for it, saying so in the panel.
   */
  private async pipelineRead(): Promise<void> {
    const model = this.deps.ctx.model;
    if (model.hasReadPipeline()) return;
    this.waiting = 'Waiting for the pipeline file to be read before loading the change request…';
    void this.post({ type: 'banner', kind: 'info', text: this.waiting });
    try {
      await model.whenPipelineRead();
    } finally {
      this.waiting = undefined;
    }
  }

  /** Opens unsaved edits as text in an untitled editor, so they can be copied when the CR cannot be loaded. */
  private async openDraft(fields: DraftFields): Promise<void> {
    const text = JSON.stringify({ environment: this.environment, id: this.id, unsavedEdits: fields }, null, 2);
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  private setHistory(history: HistoryEntry[]): void {
    this.history = history;
    this.tamperedIndex = verifyChain(history);
  }

  private async save(fields: Parameters<typeof editRequest>[2]): Promise<void> {
    const base = this.requireBase();
    const outcome = await editRequest(await this.opContext(), base, fields);
    await this.apply(outcome);
  }

  private async transition(to: ChangeRequest['status'], comment?: string): Promise<void> {
    const base = this.requireBase();
    if (this.dirty) return this.refuse('Save or discard your edits first, then change the status.');
    if (to === 'Completed') {
      // Complete closes the deployment that took it and the CRs on both sides (after offering the compare).
      await vscode.commands.executeCommand(COMMANDS.completeDeployment.id, { environment: this.environment, crId: this.id });
      return this.load(false);
    }
    if (to === 'Cancelled' && !(await this.deps.confirm(`Cancel ${base.number ?? base.name}? A cancelled change request can no longer change.`, 'Cancel Change Request'))) return;
    const outcome = await changeStatus(await this.opContext(), base, to, comment);
    await this.apply(outcome);
  }

  private async saveResolution(choices: Parameters<typeof resolve>[1]): Promise<void> {
    const pending = this.conflict;
    if (!pending) return this.refuse('There is no conflict to resolve any more; reload the change request.');
    const chosen = resolve(pending.result, choices);
    if (!chosen.ok) return this.refuse(chosen.reason);
    const outcome = await saveResolution(await this.opContext(), pending.theirs, chosen.cr);
    await this.apply(outcome, 'The org already has the version you chose: nothing else to save.');
  }

  /** Shows the outcome of a write: saved (fresh state), refused (reason, edits kept) or a conflict. */
  private async apply(outcome: Outcome, nothingToSave = 'Nothing to save: no field changed.'): Promise<void> {
    if (outcome.ok) {
      this.base = outcome.cr;
      this.conflict = undefined;
      this.remoteChanged = false;
      this.dirty = false;
      const [sf, session] = await Promise.all([this.deps.ctx.salesforce(), this.deps.ctx.sessions.get(this.environment)]);
      this.setHistory(await sf.readHistory(session.handle, this.id));
      this.banner = outcome.history.length ? { kind: 'info', text: `Saved ${outcome.cr.number ?? outcome.cr.name}.` } : { kind: 'info', text: nothingToSave };
      this.publish(true);
      if (outcome.history.length) this.announce();
      return;
    }
    if ('conflict' in outcome) {
      this.conflict = { reason: outcome.reason, result: outcome.conflict, theirs: outcome.theirs };
      this.banner = { kind: 'warning', text: outcome.reason };
      this.publish(false);
      return;
    }
    this.refuse(outcome.reason);
  }

  private refuse(reason: string): void {
    this.banner = { kind: 'error', text: reason };
    this.publish(false);
  }

  private announce(): void {
    this.announcing = true;
    try {
      this.deps.ctx.sessions.notifyChanged({ environment: this.environment, id: this.id });
    } finally {
      this.announcing = false;
    }
  }

  private onChangedElsewhere(): void {
    if (this.dirty) {
      this.remoteChanged = true;
      this.banner = { kind: 'info', text: 'This change request was changed in the org while you were editing: your save will be checked for conflicts.' };
      if (this.base) this.publish(false);
      return;
    }
    void this.enqueue('Refreshing', () => this.load(true));
  }

  private requireBase(): ChangeRequest {
    if (!this.base) throw new Error('The change request is not loaded yet; wait for it or reload the panel.');
    return this.base;
  }

  /** Builds the state from what the panel holds and sends it; the banner is shown once. */
  private publish(replaceDraft: boolean): void {
    const cr = this.requireBase();
    this.state = panelState({
      environment: this.environment,
      cr,
      users: this.users,
      me: this.me,
      history: this.history,
      tamperedIndex: this.tamperedIndex,
      conflict: this.conflict ? conflictView(this.conflict.reason, this.conflict.result, this.users) : undefined,
      banner: this.banner,
      remoteChanged: this.remoteChanged,
      replaceDraft,
      approval: this.deps.ctx.model.approvalPolicy(this.environment),
    });
    this.banner = undefined;
    this.updateTitle();
    void this.post({ type: 'state', state: this.state });
  }

  private updateTitle(): void {
    this.panel.title = panelTitle(this.base, this.dirty, `Change Request (${this.environment})`);
  }

  private post(m: ToWebview): Thenable<boolean> {
    if (!this.ready) return Promise.resolve(false);
    return this.panel.webview.postMessage(m);
  }

  /** Queues a write or load; failures (org unreachable, …) become an error banner, edits kept. */
  private enqueue(what: string, work: () => Promise<void>): Promise<void> {
    return this.queue.enqueue(what, work);
  }

  /** Runs a read beside the queue (picker lists). */
  private async run(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.fail('Reading from the org', e);
    }
  }

  private fail(what: string, e: unknown): void {
    this.deps.ctx.log.error(`Change request ${this.key}: ${what} failed`, e);
    const text = `${what} failed: ${scrubSecrets((e as Error)?.message ?? String(e))}`;
    if (this.base) {
      this.banner = { kind: 'error', text };
      this.publish(false);
    } else {
      const missingEnvironment = !this.deps.ctx.model.environment(this.environment);
      const said = this.keptDraft
        ? `${text} Your unsaved edits are kept below: Try Again loads the change request and puts them back${missingEnvironment ? ` (it loads by itself once the pipeline file names ${this.environment})` : ''}.`
        : text;
      this.failure = { text: said, missingEnvironment };
      this.lastError = said;
      void this.post({ type: 'failed', text: said, ...(this.keptDraft ? { draft: this.keptDraft } : {}) });
    }
  }

  /** The last failure before the CR could be loaded (for tests and the first render). */
  lastError?: string;

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

export const VIEW_TYPE = PANEL_TYPES.changeRequest;
