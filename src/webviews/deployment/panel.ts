/**
 * One deployment panel: loads the record, its history, its package's files (from the org, the same
 * bytes on every machine) and what the current user may do, answers the webview's (validated)
 * messages, and runs an action by executing its command with `{ environment, id }`, then reads the
 * record again. Work runs one step at a time, in the order it arrives.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recordPanelKey } from '../shared/recordPanels';
import { WorkQueue } from '../shared/workQueue';
import { allowedActions, deploymentLabel, type ActionState, type DeploymentHistoryEntry, type DeploymentRecord, type OrgDeployRow } from '../../core/deployments';
import type { ComponentRef, DeployResult } from '../../core/metadata-types';
import { scrubSecrets } from '../../core/scrub';
import type { Ctx } from '../../ctx';
import { PANEL_TYPES } from '../../shared/ids';
import { PANEL_ACTIONS, parseFromWebview, type BannerKind, type FromWebview, type PanelAction, type PanelState, type ToWebview, type WebviewState } from '../../shared/deploymentProtocol';
import { packageDocumentUri } from '../../views/orgFiles';
import { diffPackageFile } from '../../views/packageDiff';
import { html, makeNonce } from './html';
import { panelState, panelTitle, type LastDependencyCheck, type LastRun, type PackageFileInfo, type PackageRead, type UserRef } from './present';

export interface PanelDeps {
  ctx: Ctx;
}

export const VIEW_TYPE = PANEL_TYPES.deployment;
/** How often a panel reads its record again while a validation or deploy runs. */
const FOLLOW_MS = 5_000;

/** The package as read from the org, kept while its file id and retrieve time stay the same. */
interface LoadedPackage {
  key: string;
  read: PackageRead;
  texts: Map<string, string>;
  refs: Map<string, ComponentRef>;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** A release command's answer (`{ record, outcome: { result } }`), when it is one. */
function releaseResult(x: unknown): DeployResult | undefined {
  if (!isObj(x) || !isObj(x.outcome) || !isObj(x.outcome.result)) return undefined;
  const r = x.outcome.result;
  return typeof r.id === 'string' && Array.isArray(r.failures) && isObj(r.tests) && Array.isArray(r.coverage) ? (r as unknown as DeployResult) : undefined;
}

/** A dependency check's answer (`{ missing, basis }`), when it is one. */
function dependencyReport(x: unknown): LastDependencyCheck | undefined {
  const r = isObj(x) && isObj(x.report) ? x.report : x;
  if (!isObj(r) || !Array.isArray(r.missing) || typeof r.basis !== 'string') return undefined;
  const ok = r.missing.every((m) => isObj(m) && isObj(m.ref) && Array.isArray(m.neededBy));
  return ok ? { missing: r.missing as LastDependencyCheck['missing'], basis: r.basis } : undefined;
}

export class DeploymentPanel implements vscode.Disposable {
  private record?: DeploymentRecord;
  private history: DeploymentHistoryEntry[] = [];
  private users: UserRef[] = [];
  private me = { userId: '', name: '' };
  private actions: ActionState[] = [];
  private proposed?: ComponentRef[];
  private pkg?: LoadedPackage;
  private lastRun?: LastRun;
  private lastDependencies?: { at: string; check: LastDependencyCheck };
  private banner?: { kind: BannerKind; text: string };
  private state?: PanelState;
  private ready = false;
  private readonly queue = new WorkQueue(
    (busy, what) => void this.post(busy ? { type: 'busy', busy: true, what: what! } : { type: 'busy', busy: false }),
    (what, e) => this.fail(what, e),
  );
  private failure?: string;
  private waiting?: string;
  private loading = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  readonly key: string;
  /** Types of the messages the webview itself sent (the first 200), so tests see that it loaded and rendered. */
  readonly fromWebview: string[] = [];
  /** Messages refused (why), the first 50; for tests and the log. */
  readonly refused: string[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly environment: string,
    readonly id: string,
    private readonly deps: PanelDeps,
    /** The webview's saved state when VS Code restored the panel after a reload. */
    readonly restored?: WebviewState,
  ) {
    this.key = recordPanelKey(environment, id);
    const root = vscode.Uri.joinPath(deps.ctx.extension.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [root] };
    panel.iconPath = vscode.Uri.joinPath(deps.ctx.extension.extensionUri, 'media', 'changeline.svg');
    panel.title = `Deployment (${environment})`;
    panel.webview.html = html({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'deployment.js')).toString(),
      codiconUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m) => {
        if (this.fromWebview.length < 200) this.fromWebview.push(typeof m?.type === 'string' ? m.type.slice(0, 40) : typeof m);
        void this.handleMessage(m);
      }),
      // A pipeline file that names the environment again (after it had not) loads the record.
      deps.ctx.model.onDidChange((name) => {
        if (name === undefined && !this.record && this.failure && deps.ctx.model.environment(environment)) this.retry();
      }),
    );
    this.retry();
  }

  /** (Re)loads the record; once at a time. */
  private retry(): void {
    if (this.loading) return;
    this.loading = true;
    void this.enqueue('Loading the deployment', () => this.load()).finally(() => (this.loading = false));
  }

  /** Shown again by Open: a panel whose record could not be loaded tries again. */
  retryIfUnloaded(): void {
    if (!this.record && this.failure) this.retry();
  }

  /** The last state sent (or about to be sent) to the webview; for tests. */
  lastState(): PanelState | undefined {
    return this.state;
  }

  /** Why the record could not be loaded; undefined once loaded (for tests). */
  loadFailure(): string | undefined {
    return this.failure;
  }

  /** What the panel says it waits for before loading (the pipeline file), if anything. */
  waitingFor(): string | undefined {
    return this.waiting;
  }

  /** Resolves when every operation queued so far has finished (tests wait on it). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Reads the record again (after a change made elsewhere, e.g. by a tree command). */
  refresh(): Promise<void> {
    return this.enqueue('Refreshing', () => this.load());
  }

  /**
   * Handles one message from the webview (the tests call it with the same messages). Malformed
   * messages, and actions on another record than this panel's, are refused and logged.
   */
  handleMessage(raw: unknown): Promise<void> {
    const parsed = parseFromWebview(raw);
    if (!parsed.ok) return this.refuseMessage(parsed.error);
    const m: FromWebview = parsed.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        if (this.state) void this.post({ type: 'state', state: this.state });
        else if (this.failure) void this.post({ type: 'failed', text: this.failure });
        else if (this.waiting) void this.post({ type: 'banner', kind: 'info', text: this.waiting });
        return Promise.resolve();
      case 'retry':
        this.retry();
        return this.queue.idle();
      case 'reload':
        return this.enqueue('Reloading', () => this.load());
      case 'action':
        if (m.environment !== this.environment || m.id !== this.id) {
          return this.refuseMessage(`an action on deployment ${m.id} in ${m.environment.slice(0, 60)}, but this panel shows ${this.id} in ${this.environment}`);
        }
        return this.enqueue(PANEL_ACTIONS.find((a) => a.action === m.action)!.label.replace(/…$/, ''), () => this.runAction(m.action));
      case 'openFile':
        return this.enqueue('Opening the file', () => this.openFile(m.path));
      case 'diffFile':
        return this.enqueue('Reading the target’s version', () => this.diffFile(m.path));
    }
  }

  private refuseMessage(error: string): Promise<void> {
    if (this.refused.length < 50) this.refused.push(error);
    this.deps.ctx.log.warn(`Deployment panel ${this.key}: ignored a message from the webview (${error}).`);
    return Promise.resolve();
  }

  private async load(): Promise<void> {
    await this.pipelineRead();
    const ctx = this.deps.ctx;
    const [sf, session] = await Promise.all([ctx.salesforce(), ctx.sessions.get(this.environment)]);
    const [record, history, users] = await Promise.all([
      sf.getDeployment(session.handle, this.id),
      sf.readDeploymentHistory(session.handle, this.id),
      sf.activeUsers(session.handle).catch((e: unknown) => {
        ctx.log.warn(`Deployment ${this.key}: the users of ${this.environment} could not be read (${(e as Error).message}); ids are shown instead of names.`);
        return [] as UserRef[];
      }),
    ]);
    this.me = { userId: session.userId, name: session.userFullName };
    this.users = users.map((u) => ({ id: u.id, name: u.name }));
    this.record = record;
    this.history = history;
    this.failure = undefined;
    const [proposed, pkg, targetDeploys] = await Promise.all([this.readProposed(record), this.readPackage(record), this.readTargetDeploys(record)]);
    this.proposed = proposed;
    this.pkg = pkg;
    this.actions = allowedActions(record, {
      actor: { userId: session.userId },
      now: new Date(),
      target: ctx.model.environment(record.targetEnvironment),
      targetDeploys,
    });
    // A dependency list from this window stays shown while the record still holds that check.
    if (this.lastDependencies && record.dependencyCheck?.at !== this.lastDependencies.at) this.lastDependencies = undefined;
    this.publish();
    this.followRun(record);
  }

  private followTimer?: ReturnType<typeof setTimeout>;

  /**
   * While a validation or deploy of the record runs (started here, from the tree, the command line
   * or another machine), reads the record again now and then, so the panel shows its end.
   */
  private followRun(record: DeploymentRecord): void {
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = undefined;
    const running = record.status === 'Deploying' || (record.validation !== undefined && !record.validation.completedAt);
    if (!running || this.isDisposed) return;
    this.followTimer = setTimeout(() => {
      this.followTimer = undefined;
      if (!this.isDisposed && !this.loading) void this.refresh();
    }, FOLLOW_MS);
  }

  /** After a reload VS Code may restore the panel before the pipeline file is read: waits for it, saying so. */
  private async pipelineRead(): Promise<void> {
    const model = this.deps.ctx.model;
    if (model.hasReadPipeline()) return;
    this.waiting = 'Waiting for the pipeline file to be read before loading the deployment…';
    void this.post({ type: 'banner', kind: 'info', text: this.waiting });
    try {
      await model.whenPipelineRead();
    } finally {
      this.waiting = undefined;
    }
  }

  /** The CR's proposed customizations (shown as "proposed" on the components); undefined when the CR cannot be read. */
  private async readProposed(record: DeploymentRecord): Promise<ComponentRef[] | undefined> {
    if (!record.crId) return undefined;
    try {
      const [sf, session] = await Promise.all([this.deps.ctx.salesforce(), this.deps.ctx.sessions.get(this.environment)]);
      const cr = await sf.getChangeRequest(session.handle, record.crId);
      return cr.proposedCustomizations.map((c) => ({ type: c.type, fullName: c.fullName }));
    } catch (e) {
      this.deps.ctx.log.info(`Deployment ${this.key}: change request ${record.crNumber ?? record.crId} could not be read (${(e as Error).message}).`);
      return undefined;
    }
  }

  /** The package's files, read from the org once per retrieve; a failure is said in the panel, not thrown. */
  private async readPackage(record: DeploymentRecord): Promise<LoadedPackage | undefined> {
    const p = record.package;
    if (!p) return undefined;
    const key = `${p.fileId}@${p.retrievedAt}`;
    if (this.pkg?.key === key && 'files' in this.pkg.read) return this.pkg;
    try {
      const [sf, session] = await Promise.all([this.deps.ctx.salesforce(), this.deps.ctx.sessions.get(this.environment)]);
      const zip = await sf.readStoredPackage(session.handle, p.fileId);
      const listed = sf.packageFiles(zip);
      const contents = sf.readPackage({ zip });
      const texts = new Map(contents.files.map((f) => [f.path, f.text]));
      const refs = new Map(contents.files.map((f) => [f.path, f.ref]));
      const digests = p.digests;
      const changed = digests ? listed.filter((f) => digests[f.path] !== f.digest).map((f) => f.path).concat(Object.keys(digests).filter((x) => !listed.some((f) => f.path === x))) : [];
      const files: PackageFileInfo[] = listed
        .filter((f) => !f.path.endsWith('/'))
        .map((f) => ({ path: f.path, size: f.size, ...(refs.has(f.path) ? { ref: refs.get(f.path)! } : {}), text: texts.has(f.path) }));
      return { key, read: { files, changed }, texts, refs };
    } catch (e) {
      const problem = `The package could not be read from ${this.environment}: ${scrubSecrets((e as Error)?.message ?? String(e))}`;
      this.deps.ctx.log.warn(`Deployment ${this.key}: ${problem}`);
      return { key, read: { problem }, texts: new Map(), refs: new Map() };
    }
  }

  /** The target's deployment history, read only when a finished validation could be quick-deployed. */
  private async readTargetDeploys(record: DeploymentRecord): Promise<OrgDeployRow[] | undefined> {
    if (!record.validation?.completedAt || !record.validation.success) return undefined;
    try {
      const [sf, target] = await Promise.all([this.deps.ctx.salesforce(), this.deps.ctx.sessions.get(record.targetEnvironment)]);
      return await sf.recentDeployRequests(target.handle);
    } catch (e) {
      this.deps.ctx.log.info(`Deployment ${this.key}: ${record.targetEnvironment}'s deployment history could not be read (${(e as Error).message}).`);
      return undefined;
    }
  }

  private async runAction(action: PanelAction): Promise<void> {
    const record = this.requireRecord();
    const state = this.actions.find((a) => a.action === action);
    if (state && !state.allowed) return this.say('error', state.reason ?? `${deploymentLabel(record)}: that is not possible now.`);
    const spec = PANEL_ACTIONS.find((a) => a.action === action)!;
    let answer: unknown;
    try {
      answer = await vscode.commands.executeCommand(spec.command, { environment: this.environment, id: this.id });
    } finally {
      // Whatever the command did (or failed to do), the panel shows the record as the org has it now.
      await this.load();
    }
    // A revert's result is the record's (Reverted, its history); the last run shown stays the record's deploy.
    const result = action === 'revert' ? undefined : releaseResult(answer);
    if (result) {
      this.lastRun = { kind: action === 'validate' ? 'validation' : 'deploy', result };
    }
    const report = dependencyReport(answer);
    if (report && this.record?.dependencyCheck) this.lastDependencies = { at: this.record.dependencyCheck.at, check: report };
    if (result || report) this.publish();
  }

  private packageText(filePath: string): { text: string; ref?: ComponentRef } {
    const record = this.requireRecord();
    const pkg = this.pkg;
    if (!record.package || !pkg) throw new Error(`${deploymentLabel(record)} has no package yet: retrieve it first (Retrieve Selected Customizations).`);
    if ('problem' in pkg.read) throw new Error(pkg.read.problem);
    const files = pkg.read.files;
    if (!files.some((f) => f.path === filePath)) throw new Error(`The package of ${deploymentLabel(record)} has no file ${filePath}; reload the panel.`);
    const text = pkg.texts.get(filePath);
    if (text === undefined) throw new Error(`${path.posix.basename(filePath)} is a binary file and cannot be shown as text.`);
    return { text, ...(pkg.refs.has(filePath) ? { ref: pkg.refs.get(filePath)! } : {}) };
  }

  /** The read-only document of a package file: `changeline-org:/<DEP-00001 package>/<path>`. */
  private packageUri(filePath: string): vscode.Uri {
    return packageDocumentUri(this.requireRecord(), filePath);
  }

  private async openFile(filePath: string): Promise<void> {
    const { text } = this.packageText(filePath);
    const uri = this.packageUri(filePath);
    this.deps.ctx.compare.orgFiles.set(uri, text);
    await vscode.window.showTextDocument(uri, { preview: true });
  }

  /** Opens the native diff editor: the target's current version on the left, the package's on the right. */
  private async diffFile(filePath: string): Promise<void> {
    const record = this.requireRecord();
    const { text, ref } = this.packageText(filePath);
    if (!ref) throw new Error(`Changeline cannot tell which component ${filePath} belongs to, so it cannot find the target's version.`);
    await diffPackageFile(this.deps.ctx, { targetEnvironment: record.targetEnvironment, record, filePath, text, ref });
  }

  private requireRecord(): DeploymentRecord {
    if (!this.record) throw new Error('The deployment is not loaded yet; wait for it or reload the panel.');
    return this.record;
  }

  private say(kind: BannerKind, text: string): void {
    this.banner = { kind, text };
    if (this.record) this.publish();
    else void this.post({ type: 'banner', kind, text });
  }

  /** Builds the state from what the panel holds and sends it; the banner is shown once. */
  private publish(): void {
    const record = this.requireRecord();
    this.state = panelState({
      environment: this.environment,
      record,
      history: this.history,
      users: this.users,
      me: this.me,
      actions: this.actions,
      target: this.deps.ctx.model.environment(record.targetEnvironment),
      proposed: this.proposed,
      pkg: this.pkg?.read,
      lastRun: this.lastRun,
      lastDependencies: this.lastDependencies?.check,
      banner: this.banner,
    });
    this.banner = undefined;
    this.panel.title = panelTitle(record);
    void this.post({ type: 'state', state: this.state });
  }

  private post(m: ToWebview): Thenable<boolean> {
    if (!this.ready || this.isDisposed) return Promise.resolve(false);
    return this.panel.webview.postMessage(m);
  }

  /** Queues work; failures (org unreachable, …) become an error banner. */
  private enqueue(what: string, work: () => Promise<void>): Promise<void> {
    return this.queue.enqueue(what, work);
  }

  private fail(what: string, e: unknown): void {
    this.deps.ctx.log.error(`Deployment ${this.key}: ${what} failed`, e);
    const text = `${what} failed: ${scrubSecrets((e as Error)?.message ?? String(e))}`;
    if (this.record) {
      this.say('error', text);
    } else {
      this.failure = text;
      void this.post({ type: 'failed', text });
    }
  }

  private isDisposed = false;

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.followTimer) clearTimeout(this.followTimer);
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}
